import type { ClickHouse } from '../../platform/clickhouse.js';
import type { Logger } from '../../platform/logger.js';
import { MIGRATIONS, reconcileEntityColumns, viewStatements, type ColumnChanges, type Migration } from './migrations/index.js';
import { SinkError } from './errors.js';
import { SCHEMA_MIGRATIONS_TABLE } from './tables.js';

/**
 * Brings the database to the current schema: the numbered migrations not yet recorded in
 * `schema_migrations` (each statement idempotent, so a run cut short is safe to repeat), then on
 * every start the entity columns the model gained and the views. Safe to run from several sinks
 * at once on one server; `schema_migrations` keeps one row per version (ReplacingMergeTree).
 */
export interface MigrationReport {
  /** Versions applied by this run. */
  applied: number[];
  columns: ColumnChanges;
  views: number;
}

export async function runMigrations(clickhouse: ClickHouse, logger: Logger, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  assertOrdered(migrations);
  await clickhouse.client.command({
    query: `CREATE TABLE IF NOT EXISTS ${SCHEMA_MIGRATIONS_TABLE} (
      version UInt32,
      name String,
      applied_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree ORDER BY version
    COMMENT 'Schema versions of the ClickHouse sink that have been applied.'`,
  });
  const done = await appliedVersions(clickhouse);
  const applied: number[] = [];
  // Fields the model gained since the last start come first when migrations are pending: a
  // migration may read every field of a table (0006 spells each row's image from them).
  if (migrations.some((migration) => !done.has(migration.version))) await reconcileEntityColumns(clickhouse, logger);
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const [index, statement] of migration.statements.entries()) {
      try {
        await clickhouse.client.command({ query: statement });
      } catch (error) {
        throw new SinkError('migration_failed', `migration ${migration.version} (${migration.name}) failed at statement ${index + 1}: ${(error as Error).message}. Fix the cause and restart; applied statements are skipped safely.`, { cause: error });
      }
    }
    await clickhouse.client.insert({
      table: SCHEMA_MIGRATIONS_TABLE,
      values: [{ version: migration.version, name: migration.name, applied_at: new Date().toISOString().replace('T', ' ').replace('Z', '') }],
      format: 'JSONEachRow',
    });
    applied.push(migration.version);
    logger.info({ version: migration.version, migration: migration.name }, 'clickhouse sink: migration applied');
  }
  const columns = await reconcileEntityColumns(clickhouse, logger);
  const views = viewStatements();
  for (const query of views) await clickhouse.client.command({ query });
  return { applied, columns, views: views.length };
}

async function appliedVersions(clickhouse: ClickHouse): Promise<Set<number>> {
  const result = await clickhouse.client.query({ query: `SELECT DISTINCT version FROM ${SCHEMA_MIGRATIONS_TABLE}`, format: 'JSONEachRow' });
  return new Set(((await result.json()) as { version: number }[]).map((row) => Number(row.version)));
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new SinkError('migration_failed', `migration list is out of order: position ${index + 1} holds version ${migration.version} (${migration.name}); versions must be 1, 2, 3 … in order.`);
    }
  });
}
