/**
 * CREATE TABLE for an entity: ReplacingMergeTree on `version`, ordered by (connection_id, id), so
 * the newest image of each record wins and a replayed one changes nothing. Deleted records stay
 * as rows with is_deleted = true (the API decides whether to show them).
 */
import { ENTITY_PLURALS, type EntityName } from '../entities.js';
import { entityModels } from '../model/index.js';
import { clickhouseColumns, quoteIdentifier } from './columns.js';
import { RECORD_IMAGE_COLUMN } from './record-image.js';

/** Blocks ClickHouse remembers per table to drop a re-inserted batch (insert_deduplication_token). */
export const DEDUPLICATION_WINDOW = 1000;

export interface TableDdlOptions {
  /** Qualifies the table; unqualified by default (the session's database). */
  database?: string;
  /** Default: the entity's plural (purchase_orders). */
  table?: string;
}

function quoteString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function clickhouseTableName(entity: EntityName): string {
  return ENTITY_PLURALS[entity];
}

/**
 * The column keeping each row's API image (record-image.ts): one ZSTD stream a list reads instead
 * of every field's. '' when the writer did not give it (rows from before it existed, inserts
 * outside the sink); readers then fall back to the fields.
 */
export function recordImageColumnDefinition(): string {
  return `${quoteIdentifier(RECORD_IMAGE_COLUMN)} String DEFAULT '' COMMENT ${quoteString('The record as GET /v1 serves it (JSON, remote_data left out), written by the sink; empty for rows written before this column existed.')} CODEC(ZSTD(3))`;
}

export function clickhouseTableDdl(entity: EntityName, options: TableDdlOptions = {}): string {
  const table = quoteIdentifier(options.table ?? clickhouseTableName(entity));
  const name = options.database ? `${quoteIdentifier(options.database)}.${table}` : table;
  const columns = clickhouseColumns(entity).map((column) => `    ${quoteIdentifier(column.name)} ${column.type} COMMENT ${quoteString(column.comment)}`);
  return [
    `CREATE TABLE IF NOT EXISTS ${name}`,
    '(',
    `${columns.join(',\n')},`,
    `    ${recordImageColumnDefinition()}`,
    ')',
    'ENGINE = ReplacingMergeTree(`version`)',
    'ORDER BY (`connection_id`, `id`)',
    `SETTINGS non_replicated_deduplication_window = ${DEDUPLICATION_WINDOW}`,
    `COMMENT ${quoteString(entityModels[entity].doc)}`,
  ].join('\n');
}
