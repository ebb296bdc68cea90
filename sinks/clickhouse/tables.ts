/**
 * Names of the tables and views the ClickHouse sink owns, in the database the client is opened
 * on (CLICKHOUSE_DATABASE). Entity tables are named by the model (schemas: `purchase_orders` …).
 */
export const RAW_RECORDS_TABLE = 'raw_records';
export const EVENTS_TABLE = 'events';
export const SYNC_RUNS_TABLE = 'sync_runs';
export const DEAD_LETTERS_TABLE = 'dead_letters';
export const SCHEMA_MIGRATIONS_TABLE = 'schema_migrations';

/** Blocks each table remembers to drop a re-inserted batch (same insert_deduplication_token). */
export { DEDUPLICATION_WINDOW } from '../../schemas/index.js';
