import { ENTITY_NAMES, clickhouseTableDdl } from '../../../schemas/index.js';
import type { Migration } from './migration.js';

/**
 * One table per entity, from the model's DDL: ReplacingMergeTree on `version`, ordered by
 * (connection_id, id), with `is_deleted` and the non-replicated dedup window. Fields the model
 * gains later are added by entity-columns.ts on every start, not by editing this migration.
 */
export const entityTables: Migration = {
  version: 1,
  name: 'entity tables',
  statements: ENTITY_NAMES.map((entity) => clickhouseTableDdl(entity)),
};
