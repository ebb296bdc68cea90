import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { createEvent } from '../../platform/events.js';
import { createKafka, groupPositions } from '../../platform/kafka.js';
import { createLogger } from '../../platform/logger.js';
import { rawKey } from '../../platform/raw-record.js';
import { topicNames } from '../../platform/topics.js';
import { CLICKHOUSE_READ_SETTINGS, ENTITY_NAMES, ENTITY_PLURALS, createUnifiedCodec, fromClickHouseRow, unifiedTopic, type EntityName } from '../../schemas/index.js';
import { createTopics, testBrokers, testKafka, uniqueName } from '../../test/support/kafka.js';
import { LostAnswers } from '../../test/support/lost-answers.js';
import { testRegistryUrl } from '../../test/support/registry.js';
import { waitFor } from '../../test/support/wait-for.js';
import { recordImageJson } from '../../schemas/clickhouse/record-image.js';
import { DLQ_HEADERS } from '../../transformers/dead-letter.js';
import { clickhouseSinkGroupId, startClickHouseSink, type ClickHouseSink } from './clickhouse-sink.js';
import { countRows, queryRows, rawMessage, sendAll, unifiedMessages, unifiedRecord } from './testing/sink-fixtures.js';

describe('ClickHouse sink', () => {
  const prefix = `${uniqueName('sink')}.`;
  const topics = topicNames(prefix);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-sink-'));
  const kafka = testKafka('millrace-sink-test');
  const codec = createUnifiedCodec({ registryUrl: testRegistryUrl(), topicPrefix: prefix });
  let clickhouse: ClickHouse;
  let sink: ClickHouseSink;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'sink_test', dataDir });
    sink = await startClickHouseSink({
      kafka,
      clickhouse,
      registryUrl: testRegistryUrl(),
      topicPrefix: prefix,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      partitions: 2,
      flushIntervalMs: 200,
      sessionTimeoutMs: 6_000,
    });
  });

  afterAll(async () => {
    await sink?.stop();
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const admin = kafka.admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  });

  it.each(ENTITY_NAMES)('writes %s records once each, and they read back as the records that were sent', async (entity: EntityName) => {
    const connection = uniqueName('conn');
    const records = Array.from({ length: 40 }, (_, index) => unifiedRecord(entity, connection, index));
    await sendAll(kafka, unifiedTopic(prefix, entity), await unifiedMessages(codec, entity, records));
    const table = ENTITY_PLURALS[entity];
    const where = `connection_id = '${connection}'`;
    await waitFor(async () => (await countRows(clickhouse, table, where)) === 40, { description: `40 ${table} rows`, timeoutMs: 60_000 });
    // count() without FINAL: every record exactly once, no duplicate rows waiting for a merge.
    expect(await countRows(clickhouse, table, where)).toBe(40);
    const rows = await clickhouse.client.query({ query: `SELECT * FROM ${table} WHERE ${where} ORDER BY remote_id`, format: 'JSONEachRow', clickhouse_settings: CLICKHOUSE_READ_SETTINGS });
    const read = (await rows.json()) as Record<string, unknown>[];
    expect(read.map((row) => fromClickHouseRow(entity, row))).toStrictEqual(records);
    // Each row carries the API's image of its record, the one the API lists from.
    expect(read.map((row) => JSON.parse(row.record_json as string) as unknown)).toStrictEqual(records.map((record) => JSON.parse(recordImageJson(entity, record as never)) as unknown));
  });

  it('reads back a record whose addresses and optional fields are null exactly as it was sent', async () => {
    const connection = uniqueName('conn');
    const record = unifiedRecord('purchase_order', connection, 1, { ship_to_address: null, bill_to_address: null, memo: null, total: null, issue_date: null, remote_updated_at: null });
    await sendAll(kafka, unifiedTopic(prefix, 'purchase_order'), await unifiedMessages(codec, 'purchase_order', [record]));
    await waitFor(async () => (await countRows(clickhouse, 'purchase_orders', `connection_id = '${connection}'`)) === 1, { description: 'the record', timeoutMs: 60_000 });
    const rows = await clickhouse.client.query({ query: `SELECT * FROM purchase_orders WHERE connection_id = '${connection}'`, format: 'JSONEachRow', clickhouse_settings: CLICKHOUSE_READ_SETTINGS });
    const [row] = (await rows.json()) as Record<string, unknown>[];
    expect(fromClickHouseRow('purchase_order', row!)).toStrictEqual(record);
    const image = JSON.parse(row!.record_json as string) as Record<string, unknown>;
    expect(image).toMatchObject({ ship_to_address: null, bill_to_address: null, memo: null, total: null, issue_date: null, remote_updated_at: null });
    expect(image).not.toHaveProperty('remote_data');
  });

  it('shows the newest version in the _latest view and hides a record whose newest version is a delete', async () => {
    const connection = uniqueName('conn');
    const kept = unifiedRecord('purchase_order', connection, 1, { memo: 'first version' });
    const keptLater = { ...kept, memo: 'second version', version: (BigInt(kept.version) + 10n).toString() };
    const gone = unifiedRecord('purchase_order', connection, 2);
    const goneLater = { ...gone, is_deleted: true, remote_deleted_at: '2024-06-01T00:00:00.000Z', version: (BigInt(gone.version) + 10n).toString() };
    // Newest first for one record: the version decides, not the arrival order.
    await sendAll(kafka, unifiedTopic(prefix, 'purchase_order'), await unifiedMessages(codec, 'purchase_order', [keptLater, kept, gone, goneLater]));
    // One insert holds all four; ClickHouse folds versions within an inserted block (optimize_on_insert).
    const newest = `connection_id = '${connection}' AND version IN (${keptLater.version}, ${goneLater.version})`;
    await waitFor(async () => (await countRows(clickhouse, 'purchase_orders', newest)) === 2, { description: 'the newest versions', timeoutMs: 60_000 });
    const latest = await queryRows<{ remote_id: string; memo: string; version: string }>(clickhouse, `SELECT remote_id, memo, toString(version) AS version FROM purchase_orders_latest WHERE connection_id = '${connection}'`);
    expect(latest).toEqual([{ remote_id: kept.remote_id, memo: 'second version', version: keptLater.version }]);
  });

  it('stores raw records verbatim, events with their data, one row per sync run, and the transformer’s dead letters', async () => {
    const connection = uniqueName('conn');
    const bodies = [{ PurchaseOrder: '4500000001', Supplier: '17300001', Note: 'quote " and \\ and ü' }, { PurchaseOrder: '4500000002' }];
    await sendAll(kafka, topics.raw('purchase_orders'), [
      rawMessage('purchase_order', connection, '4500000001', bodies[0]),
      rawMessage('purchase_order', connection, '4500000002', bodies[1]),
      rawMessage('purchase_order', connection, '', { pass_id: 'p1' }, 'pass_complete'),
      { key: rawKey(connection, 'no-headers'), value: '{"x":1}' },
    ]);
    const started = createEvent('sync.started', connection, { sync_run_id: 'run-a', entity: 'purchase_order', stream: 'purchase_orders', full_pass: true, cursor: null });
    const completed = createEvent('sync.completed', connection, { sync_run_id: 'run-a', entity: 'purchase_order', stream: 'purchase_orders', records: 2, deletes: 0, duration_ms: 1500, cursor: null, full_pass: true });
    const failed = createEvent('sync.failed', connection, { sync_run_id: 'run-b', entity: 'vendor', stream: 'vendors', records: 7, deletes: 0, error: { code: 'unavailable', message: 'source answered 503', retriable: true } });
    const created = createEvent('record.created', connection, { entity: 'purchase_order', record_id: 'r', remote_id: '4500000001', version: '1', link: '/x' });
    await sendAll(kafka, topics.events, [started, completed, failed, created].map((event) => ({ key: connection, value: JSON.stringify(event) })));
    await sendAll(kafka, topics.deadLetters, [
      {
        key: rawKey(connection, 'bad-1'),
        value: '{"PurchaseOrder": null}',
        headers: {
          'millrace-connection-id': connection,
          'millrace-entity': 'purchase_order',
          'millrace-source-system': 'sap_s4hana',
          [DLQ_HEADERS.stage]: 'map',
          [DLQ_HEADERS.reason]: 'mapping failed at PurchaseOrder: missing key',
          [DLQ_HEADERS.path]: 'PurchaseOrder',
          [DLQ_HEADERS.source]: `${topics.raw('purchase_orders')}/1/42`,
          [DLQ_HEADERS.at]: '2024-06-01T10:00:00.000Z',
        },
      },
    ]);

    await waitFor(async () => (await countRows(clickhouse, 'raw_records', `connection_id = '${connection}'`)) === 2 && (await countRows(clickhouse, 'events', `connection_id = '${connection}'`)) === 4 && (await countRows(clickhouse, 'dead_letters', `connection_id = '${connection}'`)) === 1, { description: 'raw, events and dead letters', timeoutMs: 60_000 });
    const raw = await queryRows<{ remote_id: string; body: string; op: string; source_system: string }>(clickhouse, `SELECT remote_id, body, op, source_system FROM raw_records WHERE connection_id = '${connection}' ORDER BY remote_id`);
    expect(raw.map((row) => ({ ...row, body: JSON.parse(row.body) }))).toEqual([
      { remote_id: '4500000001', body: bodies[0], op: 'upsert', source_system: 'test_source' },
      { remote_id: '4500000002', body: bodies[1], op: 'upsert', source_system: 'test_source' },
    ]);
    const events = await queryRows<{ id: string; type: string; data: string }>(clickhouse, `SELECT id, type, data FROM events WHERE connection_id = '${connection}' ORDER BY timestamp, id`);
    expect(events.map((event) => event.id).sort()).toEqual([started.id, completed.id, failed.id, created.id].sort());
    expect(JSON.parse(events.find((event) => event.id === failed.id)!.data)).toEqual(failed.data);
    await waitFor(async () => (await countRows(clickhouse, 'sync_runs_latest', `connection_id = '${connection}'`)) === 2, { description: 'two sync runs', timeoutMs: 30_000 });
    const runs = await queryRows(clickhouse, `SELECT sync_run_id, status, records, duration_ms, started_at IS NOT NULL AS has_start, error_code FROM sync_runs_latest WHERE connection_id = '${connection}' ORDER BY sync_run_id`);
    expect(runs).toEqual([
      { sync_run_id: 'run-a', status: 'completed', records: '2', duration_ms: '1500', has_start: 1, error_code: null },
      { sync_run_id: 'run-b', status: 'failed', records: '7', duration_ms: null, has_start: 0, error_code: 'unavailable' },
    ]);
    const [dead] = await queryRows(clickhouse, `SELECT stage, reason, path, source_topic, source_partition, source_offset, original_value, value_encoding, entity FROM dead_letters WHERE connection_id = '${connection}'`);
    expect(dead).toEqual({
      stage: 'map',
      reason: 'mapping failed at PurchaseOrder: missing key',
      path: 'PurchaseOrder',
      source_topic: topics.raw('purchase_orders'),
      source_partition: 1,
      source_offset: '42',
      original_value: '{"PurchaseOrder": null}',
      value_encoding: 'utf8',
      entity: 'purchase_order',
    });
  });

  it('dead-letters unified messages it cannot read, naming why, and writes every good one', async () => {
    const connection = uniqueName('conn');
    const good = Array.from({ length: 30 }, (_, index) => unifiedRecord('purchase_order', connection, index));
    const goodMessages = await unifiedMessages(codec, 'purchase_order', good);
    const [workOrderMessage] = await unifiedMessages(codec, 'work_order', [unifiedRecord('work_order', connection, 1)]);
    const bad = [
      { key: rawKey(connection, 'json'), value: Buffer.from('{"not":"avro"}') },
      { key: rawKey(connection, 'wrong-entity'), value: workOrderMessage!.value as Buffer },
      { key: rawKey(connection, 'empty'), value: Buffer.alloc(0) },
      { key: rawKey(connection, 'binary'), value: Buffer.from([0xff, 0xfe, 0x00, 0x01]) },
    ];
    await sendAll(kafka, unifiedTopic(prefix, 'purchase_order'), [...goodMessages.slice(0, 15), ...bad, ...goodMessages.slice(15)]);
    await waitFor(async () => (await countRows(clickhouse, 'purchase_orders', `connection_id = '${connection}'`)) === 30 && (await countRows(clickhouse, 'dead_letters', `connection_id = '${connection}'`)) === 4, { description: 'good rows and dead letters', timeoutMs: 60_000 });
    const dead = await queryRows<{ record_key: string; stage: string; reason: string; value_encoding: string }>(clickhouse, `SELECT record_key, stage, reason, value_encoding FROM dead_letters WHERE connection_id = '${connection}' ORDER BY record_key`);
    expect(dead.map((row) => row.stage)).toEqual(['sink', 'sink', 'sink', 'sink']);
    const reasons = Object.fromEntries(dead.map((row) => [row.record_key.split(':')[1], row.reason]));
    expect(reasons.json).toMatch(/not a decodable unified record: not a Confluent wire-format message/);
    expect(reasons['wrong-entity']).toMatch(/a work_order record .* on the purchase_order topic/);
    expect(reasons.empty).toMatch(/empty value on a unified topic/);
    expect(reasons.binary).toMatch(/not a decodable unified record/);
    expect(dead.find((row) => row.record_key.endsWith(':binary'))!.value_encoding).toBe('base64');
  });

  it('splits out an event ClickHouse refuses, dead-letters it with ClickHouse’s reason, and writes the rest of its batch', async () => {
    const connection = uniqueName('conn');
    const events = Array.from({ length: 9 }, (_, index) => createEvent('record.updated', connection, { entity: 'vendor', record_id: `r${index}`, remote_id: `${index}`, version: '1', link: '/v' }));
    const broken = { ...createEvent('record.updated', connection, { entity: 'vendor' }), timestamp: 'not a time' };
    const values = [...events.slice(0, 4), broken, ...events.slice(4)].map((event) => ({ key: connection, value: JSON.stringify(event) }));
    // One partition for this key, so the ten events form one batch.
    await sendAll(kafka, topics.events, values);
    await waitFor(async () => (await countRows(clickhouse, 'events', `connection_id = '${connection}'`)) === 9 && (await countRows(clickhouse, 'dead_letters', `connection_id = '${connection}'`)) === 1, { description: 'nine events and one dead letter', timeoutMs: 60_000 });
    const [dead] = await queryRows<{ stage: string; reason: string; original_value: string; entity: string }>(clickhouse, `SELECT stage, reason, original_value, entity FROM dead_letters WHERE connection_id = '${connection}'`);
    expect(dead!.stage).toBe('sink');
    expect(dead!.entity).toBe('events');
    expect(dead!.reason).toMatch(/ClickHouse refused the row for table events: .*(DateTime|parse)/i);
    expect(dead!.original_value).toContain(broken.id);
    expect(sink.snapshot().refused_rows).toBeGreaterThanOrEqual(1);
  });

  it('dead-letters a purchase order ClickHouse refuses under its connection, with its fields by name, and writes the other orders', async () => {
    const connection = uniqueName('conn');
    const orders = Array.from({ length: 6 }, (_, index) => unifiedRecord('purchase_order', connection, index));
    // Avro's decimal holds it, Decimal(38, 9) does not: only ClickHouse can refuse this row.
    const tooLarge = { ...orders[2]!, total: `1${'0'.repeat(35)}` };
    const messages = await unifiedMessages(codec, 'purchase_order', [...orders.slice(0, 2), tooLarge, ...orders.slice(3)]);
    await sendAll(kafka, unifiedTopic(prefix, 'purchase_order'), messages.map((message) => ({ ...message, key: connection })));
    await waitFor(async () => (await countRows(clickhouse, 'purchase_orders', `connection_id = '${connection}'`)) === 5 && (await countRows(clickhouse, 'dead_letters', `connection_id = '${connection}'`)) === 1, { description: 'five orders and one dead letter', timeoutMs: 60_000 });
    const [dead] = await queryRows<{ stage: string; reason: string; original_value: string; entity: string }>(clickhouse, `SELECT stage, reason, original_value, entity FROM dead_letters WHERE connection_id = '${connection}'`);
    expect(dead!.stage).toBe('sink');
    expect(dead!.entity).toBe('purchase_orders');
    expect(dead!.reason).toMatch(/ClickHouse refused the row for table purchase_orders: .*(Decimal|overflow|too large|parse)/i);
    const refused = JSON.parse(dead!.original_value) as Record<string, unknown>;
    expect(refused).toMatchObject({ id: tooLarge.id, connection_id: connection, total: tooLarge.total });
  });

  it('flattens lines, tasks and stock levels and counts dead letters per connection', async () => {
    const connection = uniqueName('conn');
    const order = unifiedRecord('purchase_order', connection, 1);
    const workOrder = unifiedRecord('work_order', connection, 1);
    const item = unifiedRecord('inventory_item', connection, 1);
    await sendAll(kafka, unifiedTopic(prefix, 'purchase_order'), await unifiedMessages(codec, 'purchase_order', [order]));
    await sendAll(kafka, unifiedTopic(prefix, 'work_order'), await unifiedMessages(codec, 'work_order', [workOrder]));
    await sendAll(kafka, unifiedTopic(prefix, 'inventory_item'), await unifiedMessages(codec, 'inventory_item', [item]));
    const liveLines = order.lines.filter((line) => !line.is_deleted).length;
    await waitFor(async () => (await countRows(clickhouse, 'purchase_order_lines', `connection_id = '${connection}'`)) === liveLines && (await countRows(clickhouse, 'work_order_tasks', `connection_id = '${connection}'`)) === workOrder.tasks.length && (await countRows(clickhouse, 'stock_levels', `connection_id = '${connection}'`)) === item.stock_levels.length, { description: 'flattened views', timeoutMs: 60_000 });
    const [line] = await queryRows<Record<string, unknown>>(clickhouse, `SELECT purchase_order_id, purchase_order_number, line_number, quantity, line_remote_id FROM purchase_order_lines WHERE connection_id = '${connection}' ORDER BY line_number LIMIT 1`);
    const first = order.lines.filter((candidate) => !candidate.is_deleted)[0]!;
    expect(line).toMatchObject({ purchase_order_id: order.id, purchase_order_number: order.number, line_number: first.line_number, line_remote_id: first.remote_id });
    expect(Number(line!.quantity)).toBe(Number(first.quantity));
    const counts = await queryRows(clickhouse, `SELECT connection_id, stage, dead_letters FROM dead_letter_counts WHERE connection_id != '' ORDER BY connection_id LIMIT 100`);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((row) => Number((row as { dead_letters: string }).dead_letters) >= 1)).toBe(true);
  });

  it('commits past the transaction markers after its last batch, so a caught-up sink shows no lag', async () => {
    const connection = uniqueName('conn');
    const topic = unifiedTopic(prefix, 'inventory_item');
    const records = Array.from({ length: 6 }, (_, index) => unifiedRecord('inventory_item', connection, index));
    const messages = await unifiedMessages(codec, 'inventory_item', records);
    const producer = kafka.producer({ transactionalId: uniqueName('sink-markers'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const committed = await producer.transaction();
      await committed.send({ topic, messages: messages.slice(0, 4) });
      await committed.commit();
      // An aborted transaction last: its records and its abort marker are all that follows.
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: messages.slice(4) });
      await aborted.abort();
    } finally {
      await producer.disconnect();
    }
    await waitFor(async () => (await countRows(clickhouse, 'inventory_items', `connection_id = '${connection}'`)) === 4, { description: 'the committed records', timeoutMs: 60_000 });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const lag = async () => (await groupPositions(admin, clickhouseSinkGroupId(prefix), [topic])).map(({ partition, committed, metadata, high }) => ({ partition, lag: Number(high - (committed > 0n ? committed : 0n)), metadata }));
      await waitFor(async () => (await lag()).every((partition) => partition.lag === 0), { description: 'no lag on the topic', timeoutMs: 30_000 });
      expect((await lag()).map((partition) => partition.metadata)).toEqual((await lag()).map(() => ''));
    } finally {
      await admin.disconnect();
    }
    expect(await countRows(clickhouse, 'inventory_items', `connection_id = '${connection}'`)).toBe(4);
  });

  it('looks up the committed offset again when the lookup after a fetch of only markers failed', async () => {
    const ownPrefix = `${uniqueName('sink-lookup')}.`;
    const topic = unifiedTopic(ownPrefix, 'inventory_item');
    // The first committed-offset lookup of the sink below fails, as when the group coordinator moves.
    let failures = 1;
    const flakyKafka = new Proxy(kafka, {
      get(target, property) {
        if (property !== 'admin') return Reflect.get(target, property, target) as unknown;
        return (...args: Parameters<typeof kafka.admin>) => {
          const admin = target.admin(...args);
          const fetchOffsets = admin.fetchOffsets.bind(admin);
          admin.fetchOffsets = (async (request: Parameters<typeof fetchOffsets>[0]) => {
            if (failures > 0) {
              failures -= 1;
              throw new Error('the group coordinator is not available');
            }
            return fetchOffsets(request);
          }) as typeof admin.fetchOffsets;
          return admin;
        };
      },
    });
    const admin = kafka.admin();
    await admin.connect();
    let ownSink: ClickHouseSink | undefined;
    try {
      await createTopics(admin, [topic], 2);
      // Only an aborted transaction in the topic: the sink's first fetch holds nothing but markers.
      const records = Array.from({ length: 4 }, (_, index) => unifiedRecord('inventory_item', uniqueName('conn'), index));
      const producer = kafka.producer({ transactionalId: uniqueName('sink-lookup'), idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        const aborted = await producer.transaction();
        await aborted.send({ topic, messages: await unifiedMessages(codec, 'inventory_item', records) });
        await aborted.abort();
      } finally {
        await producer.disconnect();
      }
      ownSink = await startClickHouseSink({ kafka: flakyKafka, clickhouse, registryUrl: testRegistryUrl(), topicPrefix: ownPrefix, logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), partitions: 2, flushIntervalMs: 200, sessionTimeoutMs: 6_000 });
      const positions = async () => (await groupPositions(admin, clickhouseSinkGroupId(ownPrefix), [topic])).filter((position) => position.high > 0n);
      let seen: Awaited<ReturnType<typeof positions>> = [];
      await waitFor(async () => (seen = await positions()).every((position) => position.committed === position.high), {
        description: () => `the group past the abort markers: ${seen.map(({ partition, committed, high }) => `partition ${partition} committed ${committed} of ${high}`).join(', ')}`,
        timeoutMs: 30_000,
      });
      expect(failures).toBe(0);
      expect((await positions()).length).toBeGreaterThan(0);
    } finally {
      await ownSink?.stop();
      const mine = (await admin.listTopics()).filter((name) => name.startsWith(ownPrefix));
      await admin.deleteTopics({ topics: mine }).catch(() => undefined);
      await admin.disconnect();
    }
  });
  it('after lost answers to its offset commits, writes every row once and ends at the end of the topic', async () => {
    const ownPrefix = `${uniqueName('sink-lost')}.`;
    const topic = unifiedTopic(ownPrefix, 'vendor');
    const connection = uniqueName('conn');
    const faults = new LostAnswers();
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const faultyKafka = createKafka({ brokers: testBrokers(), clientId: 'millrace-sink-lost-answer-test', logger, socketFactory: faults.socketFactory });
    const admin = kafka.admin();
    await admin.connect();
    let ownSink: ClickHouseSink | undefined;
    const where = `connection_id = '${connection}'`;
    try {
      await createTopics(admin, [topic], 2);
      ownSink = await startClickHouseSink({ kafka: faultyKafka, clickhouse, registryUrl: testRegistryUrl(), topicPrefix: ownPrefix, logger, partitions: 2, flushIntervalMs: 200, sessionTimeoutMs: 6_000 });
      const records = Array.from({ length: 300 }, (_, index) => unifiedRecord('vendor', connection, index));
      const messages = await unifiedMessages(codec, 'vendor', records);
      await sendAll(kafka, topic, messages.slice(0, 100));
      await waitFor(async () => (await countRows(clickhouse, 'vendors', where)) === 100, { description: 'the first 100 rows', timeoutMs: 60_000 });
      // The next offset commit is stored by the broker and its connection resets before the
      // answer (losing the answers of the commits in flight beside it too).
      faults.loseNext('offset-commit');
      for (let start = 100; start < 300; start += 50) await sendAll(kafka, topic, messages.slice(start, start + 50));
      await waitFor(() => faults.lost === 1, { description: 'an offset commit stored and its answer lost', timeoutMs: 30_000 });
      const positions = async () => (await groupPositions(admin, clickhouseSinkGroupId(ownPrefix), [topic])).filter((position) => position.high > 0n);
      let seen: Awaited<ReturnType<typeof positions>> = [];
      await waitFor(async () => (seen = await positions()).every((position) => position.committed === position.high && position.metadata === ''), {
        description: () => `the group at the end of the topic: ${seen.map(({ partition, committed, high, metadata }) => `partition ${partition} committed ${committed} of ${high} (${metadata})`).join(', ')}`,
        timeoutMs: 60_000,
      });
      // count() without FINAL: no batch was written twice.
      expect(await countRows(clickhouse, 'vendors', where)).toBe(300);
      expect(await countRows(clickhouse, 'vendors FINAL', where)).toBe(300);
    } finally {
      await ownSink?.stop();
      const mine = (await admin.listTopics()).filter((name) => name.startsWith(ownPrefix));
      await admin.deleteTopics({ topics: mine }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
