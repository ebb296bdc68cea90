import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { createLogger } from '../../platform/logger.js';
import { ENTITY_NAMES, ENTITY_PLURALS } from '../../schemas/index.js';
import { runMigrations } from './migration-runner.js';
import { MIGRATIONS } from './migrations/index.js';
import { queryRows } from './testing/sink-fixtures.js';

describe('ClickHouse sink migrations', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-migrations-'));
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  let clickhouse: ClickHouse;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'migrations_test', dataDir });
  });

  afterAll(async () => {
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const tables = async () => (await queryRows<{ name: string; engine: string }>(clickhouse, 'SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name')).map((row) => `${row.name}:${row.engine}`);

  it('creates every table and view once, records each version, and changes nothing when run again', async () => {
    const first = await runMigrations(clickhouse, logger);
    expect(first.applied).toEqual(MIGRATIONS.map((migration) => migration.version));
    const created = await tables();
    for (const entity of ENTITY_NAMES) {
      expect(created).toContain(`${ENTITY_PLURALS[entity]}:ReplacingMergeTree`);
      expect(created).toContain(`${ENTITY_PLURALS[entity]}_latest:View`);
    }
    for (const name of ['raw_records:ReplacingMergeTree', 'events:ReplacingMergeTree', 'sync_runs:ReplacingMergeTree', 'dead_letters:ReplacingMergeTree', 'webhook_deliveries:MergeTree', 'webhook_messages:ReplacingMergeTree', 'purchase_order_lines:View', 'work_order_tasks:View', 'stock_levels:View', 'dead_letter_counts:View', 'sync_runs_latest:View', 'raw_records_latest:View', 'schema_migrations:ReplacingMergeTree']) {
      expect(created).toContain(name);
    }
    // Every table that takes sink batches keeps a dedup window (chdb is non-replicated: off otherwise).
    const windows = await queryRows<{ name: string; create_table_query: string }>(clickhouse, "SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND name != 'schema_migrations'");
    for (const table of windows) expect(table.create_table_query, table.name).toMatch(/non_replicated_deduplication_window = 1000/);

    const second = await runMigrations(clickhouse, logger);
    expect(second.applied).toEqual([]);
    expect(second.columns).toEqual({ added: [], mismatched: [] });
    expect(await tables()).toEqual(created);
    const recorded = await queryRows<{ version: number; name: string }>(clickhouse, 'SELECT version, name FROM schema_migrations FINAL ORDER BY version');
    expect(recorded).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version, name: migration.name })));
  });

  it('adds a column the model has and the table lacks, and the views show it', async () => {
    await clickhouse.client.command({ query: 'ALTER TABLE vendors DROP COLUMN notes' });
    const report = await runMigrations(clickhouse, logger);
    expect(report.columns.added).toEqual([{ table: 'vendors', column: 'notes' }]);
    await expect(queryRows(clickhouse, 'SELECT notes FROM vendors_latest LIMIT 1')).resolves.toEqual([]);
  });

  it('reports a column whose type differs from the model and leaves it alone', async () => {
    await clickhouse.client.command({ query: 'ALTER TABLE vendors DROP COLUMN website' });
    await clickhouse.client.command({ query: 'ALTER TABLE vendors ADD COLUMN website String' });
    const report = await runMigrations(clickhouse, logger);
    expect(report.columns.mismatched).toEqual([{ table: 'vendors', column: 'website', table_type: 'String', model_type: 'Nullable(String)' }]);
    const [column] = await queryRows(clickhouse, "SELECT type FROM system.columns WHERE database = currentDatabase() AND table = 'vendors' AND name = 'website'");
    expect(column).toEqual({ type: 'String' });
    await clickhouse.client.command({ query: 'ALTER TABLE vendors DROP COLUMN website' });
    expect((await runMigrations(clickhouse, logger)).columns.added).toEqual([{ table: 'vendors', column: 'website' }]);
  });

  it('re-runs a migration a crash cut short, without touching what it had already created', async () => {
    await clickhouse.client.command({ query: 'DROP TABLE sync_runs' });
    await clickhouse.client.command({ query: 'ALTER TABLE schema_migrations DELETE WHERE version = 3 SETTINGS mutations_sync = 1' });
    await clickhouse.client.insert({ table: 'events', values: [{ id: 'e1', type: 'sync.started', timestamp: '2024-01-01 00:00:00.000', connection_id: 'c', data: '{}', kafka_partition: 0, kafka_offset: 1 }], format: 'JSONEachRow' });
    const report = await runMigrations(clickhouse, logger);
    expect(report.applied).toEqual([3]);
    expect(await tables()).toContain('sync_runs:ReplacingMergeTree');
    expect(await queryRows(clickhouse, 'SELECT id FROM events')).toEqual([{ id: 'e1' }]);
  });

  it('stops at a failing statement, naming the migration and the statement, and records nothing for it', async () => {
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', statements: ['CREATE TABLE IF NOT EXISTS ok_table (x UInt8) ENGINE = MergeTree ORDER BY x', 'CREATE TABLE nonsense ('] }];
    const next = MIGRATIONS.length + 1;
    await expect(runMigrations(clickhouse, logger, broken)).rejects.toMatchObject({ code: 'migration_failed', message: expect.stringMatching(new RegExp(`migration ${next} \\(broken\\) failed at statement 2`)) });
    expect(await queryRows(clickhouse, `SELECT version FROM schema_migrations WHERE version = ${next}`)).toEqual([]);
    const fixed = [...MIGRATIONS, { version: next, name: 'broken', statements: ['CREATE TABLE IF NOT EXISTS ok_table (x UInt8) ENGINE = MergeTree ORDER BY x'] }];
    expect((await runMigrations(clickhouse, logger, fixed)).applied).toEqual([next]);
  });

  it('refuses a migration list that is not numbered 1, 2, 3 … in order', async () => {
    const shuffled = [MIGRATIONS[1]!, MIGRATIONS[0]!];
    await expect(runMigrations(clickhouse, logger, shuffled)).rejects.toMatchObject({ code: 'migration_failed', message: expect.stringMatching(/position 1 holds version 2/) });
  });
});
