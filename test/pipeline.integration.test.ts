import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../platform/clickhouse.js';
import { createLogger } from '../platform/logger.js';
import { createUnifiedCodec } from '../schemas/index.js';
import { startClickHouseSink, type ClickHouseSink } from '../sinks/clickhouse/clickhouse-sink.js';
import { decodeEveryMessage, orderId, plantOrder, plantVendor, vendorId, writePlantRecords } from '../sinks/clickhouse/testing/pipeline-fixtures.js';
import { countRows, queryRows } from '../sinks/clickhouse/testing/sink-fixtures.js';
import { TransformerHarness } from '../transformers/testing/transformer-harness.js';
import { ensureTransformerTopics } from '../transformers/transformer-topics.js';
import { uniqueName } from './support/kafka.js';
import { testRegistryUrl } from './support/registry.js';
import { waitFor } from './support/wait-for.js';

/**
 * The pipeline in one process, as `millrace start` runs it: raw records written the way the
 * producer runtime writes them → the transformer (plant test connector) → unified Avro topics,
 * events and dead letters → the ClickHouse sink on embedded ClickHouse.
 */
const VENDORS = 30_000;
const ORDERS = 70_000;

describe('pipeline: raw → unified → ClickHouse', () => {
  const harness = new TransformerHarness();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-pipeline-'));
  let clickhouse: ClickHouse;
  let sink: ClickHouseSink;

  beforeAll(async () => {
    await harness.start();
    await ensureTransformerTopics(harness.admin!, { prefix: harness.prefix, partitions: 3, replicationFactor: 1 });
    clickhouse = await openClickHouse({ database: 'pipeline_test', dataDir });
    sink = await startClickHouseSink({
      kafka: harness.kafka,
      clickhouse,
      registryUrl: testRegistryUrl(),
      topicPrefix: harness.prefix,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      partitions: 3,
      sessionTimeoutMs: 6_000,
    });
    await harness.startWorker();
  });

  afterAll(async () => {
    await harness.stop();
    await sink?.stop();
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`carries ${(VENDORS + ORDERS).toLocaleString('en')} records into ClickHouse, each exactly once`, async () => {
    const connection = uniqueName('plant');
    const started = Date.now();
    await writePlantRecords(harness.writer, connection, { vendors: VENDORS, orders: ORDERS });
    const where = `connection_id = '${connection}'`;
    await waitFor(async () => (await countRows(clickhouse, 'vendors', where)) >= VENDORS && (await countRows(clickhouse, 'purchase_orders', where)) >= ORDERS, {
      description: 'every record in ClickHouse',
      timeoutMs: 900_000,
      intervalMs: 1_000,
    });
    const seconds = (Date.now() - started) / 1_000;
    process.stdout.write(`[pipeline] ${VENDORS + ORDERS} records raw → ClickHouse in ${seconds.toFixed(1)} s (${Math.round((VENDORS + ORDERS) / seconds)} records/s, one process)\n`);

    // count() without FINAL is the number of distinct records: nothing was written twice.
    for (const [table, expected, id] of [['vendors', VENDORS, vendorId], ['purchase_orders', ORDERS, orderId]] as const) {
      const [row] = await queryRows<{ rows: string; records: string }>(clickhouse, `SELECT count() AS rows, uniqExact(id) AS records FROM ${table} WHERE ${where}`);
      expect(row, table).toEqual({ rows: String(expected), records: String(expected) });
      const present = new Set((await queryRows<{ remote_id: string }>(clickhouse, `SELECT remote_id FROM ${table} WHERE ${where}`)).map((entry) => entry.remote_id));
      const missing = Array.from({ length: expected }, (_, index) => id(index)).filter((remoteId) => !present.has(remoteId));
      expect(missing.slice(0, 5), `${table} missing`).toEqual([]);
    }
    await waitFor(async () => (await countRows(clickhouse, 'raw_records', where)) === VENDORS + ORDERS && (await countRows(clickhouse, 'events', `${where} AND type = 'record.created'`)) === VENDORS + ORDERS, {
      description: 'raw records and record events',
      timeoutMs: 120_000,
    });

    // What ClickHouse holds is what the source sent, mapped: one order checked field by field.
    const [order] = await queryRows<Record<string, unknown>>(clickhouse, `SELECT number, vendor_remote_id, toString(total) AS total, length(lines) AS lines, custom_fields FROM purchase_orders_latest WHERE ${where} AND remote_id = '${orderId(41)}'`);
    const source = plantOrder(41, VENDORS);
    expect(order).toEqual({ number: source.OrderId, vendor_remote_id: source.Supplier, total: String(source.Lines.reduce((sum, line) => sum + line.Quantity * line.Price, 0)), lines: '3', custom_fields: { YY1_Project: source.YY1_Project } });
    const [vendor] = await queryRows<Record<string, unknown>>(clickhouse, `SELECT name, status FROM vendors_latest WHERE ${where} AND remote_id = '${vendorId(17)}'`);
    expect(vendor).toEqual({ name: plantVendor(17).Name, status: 'blocked' });

    // Every unified message decodes through the schema registry into the record its key names.
    const codec = createUnifiedCodec({ registryUrl: testRegistryUrl(), topicPrefix: harness.prefix });
    const decoded = await decodeEveryMessage(harness.kafka, codec, [harness.topics.unified('vendors'), harness.topics.unified('purchase_orders')], uniqueName('decode'));
    expect(decoded.failures.slice(0, 5)).toEqual([]);
    expect(decoded.messages).toBe(VENDORS + ORDERS);
  }, 1_200_000);

  it('dead-letters records that break mapping, with the reason and field, and every good one arrives', async () => {
    const connection = uniqueName('plant-bad');
    const good = Array.from({ length: 50 }, (_, index) => ({ remoteId: vendorId(index), body: plantVendor(index) }));
    const bad = [
      { remoteId: 'missing-key', body: { ...plantVendor(900), VendorId: undefined } },
      { remoteId: vendorId(901), body: { ...plantVendor(901), Name: 12345 } },
      { remoteId: vendorId(902), body: { ...plantVendor(902), Created: '/Date(garbage)/' } },
    ];
    const badOrder = { remoteId: orderId(903), body: { ...plantOrder(903, 50), Lines: [{ Item: 10, Quantity: 'three', Price: 1 }] } };
    await harness.writer.upserts({ connectionId: connection, entity: 'vendor', stream: 'vendors' }, [...good.slice(0, 25), ...bad, ...good.slice(25)]);
    await harness.writer.upserts({ connectionId: connection, entity: 'purchase_order', stream: 'purchase_orders' }, [badOrder]);
    const where = `connection_id = '${connection}'`;
    await waitFor(async () => (await countRows(clickhouse, 'vendors', where)) === 50 && (await countRows(clickhouse, 'dead_letters', where)) === 4, {
      description: 'good vendors and four dead letters',
      timeoutMs: 120_000,
    });
    const dead = await queryRows<{ record_key: string; stage: string; path: string; reason: string; original_value: string }>(clickhouse, `SELECT record_key, stage, path, reason, original_value FROM dead_letters WHERE ${where} ORDER BY record_key`);
    const byKey = Object.fromEntries(dead.map((row) => [row.record_key.slice(connection.length + 1), row]));
    expect(byKey['missing-key']).toMatchObject({ stage: 'map', path: 'VendorId', reason: expect.stringMatching(/VendorId.*required/) });
    expect(byKey[vendorId(901)]).toMatchObject({ stage: 'validate', path: 'name', reason: expect.stringMatching(/name/) });
    expect(byKey[vendorId(902)]).toMatchObject({ stage: 'map', path: 'Created', reason: expect.stringMatching(/Date\(garbage\)/) });
    expect(byKey[orderId(903)]).toMatchObject({ stage: 'map', path: 'Lines[0].Quantity', reason: expect.stringMatching(/expected a number/) });
    // The original bytes are kept for a replay once the mapping is fixed.
    expect(JSON.parse(byKey[vendorId(902)]!.original_value)).toEqual(bad[2]!.body);
    const counts = await queryRows(clickhouse, `SELECT entity, stage, dead_letters FROM dead_letter_counts WHERE ${where} ORDER BY entity, stage`);
    expect(counts).toEqual([
      { entity: 'purchase_order', stage: 'map', dead_letters: '1' },
      { entity: 'vendor', stage: 'map', dead_letters: '2' },
      { entity: 'vendor', stage: 'validate', dead_letters: '1' },
    ]);
    const names = await queryRows<{ remote_id: string }>(clickhouse, `SELECT remote_id FROM vendors WHERE ${where} ORDER BY remote_id`);
    expect(names.map((row) => row.remote_id)).toEqual(good.map((record) => record.remoteId).sort());
  }, 300_000);
});
