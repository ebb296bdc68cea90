import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../platform/clickhouse.js';
import { insertJsonRows } from '../platform/clickhouse-insert.js';

describe('embedded ClickHouse (chdb through @clickhouse/client)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-chdb-'));
  let clickhouse: ClickHouse;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'millrace_test', dataDir });
  });

  afterAll(async () => {
    await clickhouse.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a table, inserts rows and reads them back in its own database', async () => {
    const { client } = clickhouse;
    await client.command({
      query: `CREATE TABLE items (id String, qty Decimal(18, 3), at DateTime64(3, 'UTC'), version UInt64)
              ENGINE = ReplacingMergeTree(version) ORDER BY id
              SETTINGS non_replicated_deduplication_window = 100`,
    });
    const rows = [
      { id: 'a', qty: '1.500', at: '2024-05-01 10:00:00.000', version: 1 },
      { id: 'b', qty: '2.000', at: '2024-05-01 11:00:00.000', version: 1 },
    ];
    await insertJsonRows(clickhouse, 'items', rows, { insert_deduplication_token: 'batch-1' });
    // The same batch again with the same token is dropped: the retry-safety the sinks rely on.
    await insertJsonRows(clickhouse, 'items', rows, { insert_deduplication_token: 'batch-1' });
    const result = await client.query({ query: 'SELECT id, toString(qty) AS qty, currentDatabase() AS db FROM items ORDER BY id', format: 'JSONEachRow' });
    expect(await result.json()).toEqual([
      { id: 'a', qty: '1.5', db: 'millrace_test' },
      { id: 'b', qty: '2', db: 'millrace_test' },
    ]);
  });

  it('tells a second process clearly that the data directory is taken', () => {
    const script = `
      import { openClickHouse } from ${JSON.stringify(path.resolve('platform/clickhouse.ts'))};
      try { await openClickHouse({ database: 'x', dataDir: ${JSON.stringify(dataDir)} }); console.log('OPENED'); }
      catch (error) { console.log(error.code + ' ' + error.message); }`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stdout).toContain('clickhouse_data_dir_locked');
    expect(child.stdout).toContain(dataDir);
    expect(child.stdout).not.toContain('OPENED');
  });
});
