import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { createLogger } from '../../platform/logger.js';
import { WEBHOOK_DELIVERIES_TABLE, WEBHOOK_MESSAGES_TABLE, ensureWebhookTables } from './ddl.js';
import { DeliveryLog, type DeliveryAttemptRow, type DeliveryMessageRow } from './delivery-log.js';
import { insertDeliveryMessages } from './delivery-queries.js';

/**
 * On the embedded engine every stage of `millrace start` shares one ClickHouse session, so a
 * deduplication token given as a client setting outlived its insert and silently dropped later
 * plain inserts into tables with a deduplication window. These tests run on chdb on purpose.
 */
describe('webhook delivery log on the embedded ClickHouse: deduplication tokens stay with their insert', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-delivery-log-'));
  let clickhouse: ClickHouse;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'delivery_log_test', dataDir });
    expect(clickhouse.kind).toBe('embedded');
    await ensureWebhookTables(clickhouse);
    await clickhouse.client.command({
      query: 'CREATE TABLE plain_rows (id String) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100',
    });
  });

  afterAll(async () => {
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function count(table: string, where = '1'): Promise<number> {
    const result = await clickhouse.client.query({ query: `SELECT count() AS n FROM ${table} WHERE ${where}`, format: 'JSONEachRow' });
    const [row] = (await result.json()) as { n: string }[];
    return Number(row!.n);
  }

  it('a delivery-log flush (with its token) followed by plain inserts into another dedup-window table: every row lands', async () => {
    const log = new DeliveryLog(clickhouse, createLogger({ level: 'silent' }));
    log.recordAttempt(attempt('attempt-1'));
    log.recordMessage(message('delivery-1'));
    await log.flush();

    // Two different plain inserts: with a leaked session token, the second carried the same
    // token as the first and ClickHouse dropped it as a repeat.
    await clickhouse.client.insert({ table: 'plain_rows', values: [{ id: 'a' }], format: 'JSONEachRow' });
    await clickhouse.client.insert({ table: 'plain_rows', values: [{ id: 'b' }], format: 'JSONEachRow' });
    // And into the delivery tables themselves, which have a window too.
    await clickhouse.client.insert({ table: WEBHOOK_DELIVERIES_TABLE, values: [attempt('attempt-2')], format: 'JSONEachRow' });
    await clickhouse.client.insert({ table: WEBHOOK_DELIVERIES_TABLE, values: [attempt('attempt-3')], format: 'JSONEachRow' });

    expect(await count('plain_rows')).toBe(2);
    expect(await count(WEBHOOK_DELIVERIES_TABLE)).toBe(3);
    expect(await count(WEBHOOK_MESSAGES_TABLE)).toBe(1);
  });

  it('a repeated insert with the same token is still a no-op, and a plain insert after it still lands', async () => {
    await insertDeliveryMessages(clickhouse, [message('delivery-2')], 'manual-retry-1');
    await insertDeliveryMessages(clickhouse, [message('delivery-2')], 'manual-retry-1');
    expect(await count(WEBHOOK_MESSAGES_TABLE, "delivery_id = 'delivery-2'")).toBe(1);

    await clickhouse.client.insert({ table: 'plain_rows', values: [{ id: 'c' }], format: 'JSONEachRow' });
    await clickhouse.client.insert({ table: 'plain_rows', values: [{ id: 'd' }], format: 'JSONEachRow' });
    expect(await count('plain_rows', "id IN ('c', 'd')")).toBe(2);
  });

  it('the session carries no deduplication token after a logged insert', async () => {
    const log = new DeliveryLog(clickhouse, createLogger({ level: 'silent' }));
    log.recordAttempt(attempt('attempt-4'));
    await log.flush();
    const result = await clickhouse.client.query({ query: "SELECT value FROM system.settings WHERE name = 'insert_deduplication_token'", format: 'JSONEachRow' });
    expect(await result.json()).toEqual([{ value: '' }]);
  });
});

function attempt(id: string): DeliveryAttemptRow {
  return {
    attempt_id: id,
    delivery_id: `delivery-of-${id}`,
    event_id: 'event-1',
    event_type: 'record.created',
    subscription_id: 'sub-1',
    connection_id: null,
    attempt: 1,
    trigger: 'event',
    url: 'https://receiver.example/hook',
    status_code: 200,
    duration_ms: 12,
    response_body: '',
    error: '',
    attempted_at: new Date().toISOString(),
    next_attempt_at: null,
    outcome: 'succeeded',
    worker_id: 'worker-1',
  };
}

function message(deliveryId: string): DeliveryMessageRow {
  return {
    delivery_id: deliveryId,
    event_id: 'event-1',
    event_type: 'record.created',
    subscription_id: 'sub-1',
    connection_id: null,
    trigger: 'event',
    retry_of: '',
    body: '{"id":"event-1"}',
    created_at: new Date().toISOString(),
  };
}
