import { getEventListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from './clickhouse.js';

describe('embedded ClickHouse queries with a long-lived abort signal', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-chdb-signal-'));
  let clickhouse: ClickHouse;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'signal_test', dataDir });
  });

  afterAll(async () => {
    await clickhouse.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no listener on the signal once each query is answered, failed or not', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 15; i++) {
      const result = await clickhouse.client.query({ query: `SELECT ${i} AS i`, format: 'JSONEachRow', abort_signal: controller.signal });
      expect(await result.json()).toEqual([{ i }]);
    }
    await expect(clickhouse.client.query({ query: 'SELECT * FROM no_such_table', abort_signal: controller.signal })).rejects.toMatchObject({ type: 'UNKNOWN_TABLE' });
    await clickhouse.client.command({ query: 'SELECT 1', abort_signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // The signal still cancels a query after all that.
    controller.abort();
    await expect(clickhouse.client.query({ query: 'SELECT 1', abort_signal: controller.signal })).rejects.toThrow();
    expect((await clickhouse.client.ping()).success).toBe(true);
  });
});
