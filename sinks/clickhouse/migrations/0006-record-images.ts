import { ENTITY_NAMES, clickhouseTableName } from '../../../schemas/index.js';
import { recordImageColumnDefinition } from '../../../schemas/clickhouse/ddl.js';
import { recordJsonExpression } from '../../../schemas/clickhouse/record-image-sql.js';
import { RECORD_IMAGE_COLUMN } from '../../../schemas/clickhouse/record-image.js';
import type { Migration } from './migration.js';

/**
 * `record_json` in every entity table: the record as the API serves it, written by the sink with
 * each row, so a list reads one column instead of every field's (docs/api.md). Rows already
 * stored get their image from the SQL spelling of the same image, as a mutation: a ClickHouse
 * server runs it in the background (until it reaches a row, the API reads that row's fields as
 * before); embedded ClickHouse finished it within the migration, 29 s for 1,000,000 purchase
 * orders. Both statements may run again (IF NOT EXISTS; the update touches only rows still
 * without an image).
 */
export const recordImages: Migration = {
  version: 6,
  name: 'record images',
  statements: ENTITY_NAMES.flatMap((entity) => [
    `ALTER TABLE ${clickhouseTableName(entity)} ADD COLUMN IF NOT EXISTS ${recordImageColumnDefinition()}`,
    `ALTER TABLE ${clickhouseTableName(entity)} UPDATE ${RECORD_IMAGE_COLUMN} = ${recordJsonExpression(entity)} WHERE ${RECORD_IMAGE_COLUMN} = ''`,
  ]),
};
