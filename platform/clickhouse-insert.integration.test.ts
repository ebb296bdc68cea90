import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from './clickhouse.js';
import { insertJsonRows, settingsClause } from './clickhouse-insert.js';

describe('per-statement ClickHouse settings on the embedded engine', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-ch-insert-'));
  let clickhouse: ClickHouse;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'insert_test', dataDir });
    for (const table of ['first', 'second']) {
      await clickhouse.client.command({ query: `CREATE TABLE ${table} (id String) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100` });
    }
  });

  afterAll(async () => {
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function ids(table: string): Promise<string[]> {
    const result = await clickhouse.client.query({ query: `SELECT id FROM ${table} ORDER BY id`, format: 'JSONEachRow' });
    return ((await result.json()) as { id: string }[]).map((row) => row.id);
  }

  it('an insert with a token followed by plain inserts into another dedup-window table: all land, the repeat does not', async () => {
    await insertJsonRows(clickhouse, 'first', [{ id: 'a' }], { insert_deduplication_token: "batch-'1'" });
    await insertJsonRows(clickhouse, 'first', [{ id: 'a' }], { insert_deduplication_token: "batch-'1'" });
    await clickhouse.client.insert({ table: 'second', values: [{ id: 'x' }], format: 'JSONEachRow' });
    await clickhouse.client.insert({ table: 'second', values: [{ id: 'y' }], format: 'JSONEachRow' });
    await insertJsonRows(clickhouse, 'first', [{ id: 'b' }]);
    expect(await ids('first')).toEqual(['a', 'b']);
    expect(await ids('second')).toEqual(['x', 'y']);
  });

  it('refuses a per-statement setting passed as a client setting, naming it and the fix, and leaves the session clean', async () => {
    const attempt = clickhouse.client.insert({ table: 'second', values: [{ id: 'z' }], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 't' } });
    await expect(attempt).rejects.toThrow(/insert_deduplication_token was passed as a client setting.*SETTINGS clause/);
    const readonly = clickhouse.client.query({ query: 'SELECT 1', clickhouse_settings: { readonly: '1', max_execution_time: 5 } });
    await expect(readonly).rejects.toThrow(/readonly, max_execution_time/);
    const session = await clickhouse.client.query({
      query: "SELECT name, value FROM system.settings WHERE name IN ('insert_deduplication_token', 'readonly') ORDER BY name",
      format: 'JSONEachRow',
    });
    expect(await session.json()).toEqual([
      { name: 'insert_deduplication_token', value: '' },
      { name: 'readonly', value: '0' },
    ]);
    // Format settings keep working as client settings.
    const formatted = await clickhouse.client.query({ query: 'SELECT toDecimal64(1.5, 2) AS d', format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_decimals: 1 } });
    expect(await formatted.json()).toEqual([{ d: '1.5' }]);
  });

  it('writes settings clauses with quoted strings and refuses names that are not identifiers', () => {
    expect(settingsClause({})).toBe('');
    expect(settingsClause({ insert_deduplication_token: "a'b\\c", async_insert: false, max_threads: 2 })).toBe(
      "SETTINGS insert_deduplication_token = 'a\\'b\\\\c', async_insert = 0, max_threads = 2",
    );
    expect(() => settingsClause({ 'x = 1; DROP': 1 })).toThrow(/Invalid ClickHouse setting name/);
  });
});
