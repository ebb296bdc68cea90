import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { createLogger } from '../../platform/logger.js';
import { createUnifiedCodec, unifiedTopic } from '../../schemas/index.js';
import { testKafka, uniqueName } from '../../test/support/kafka.js';
import { testRegistryUrl } from '../../test/support/registry.js';
import { waitFor } from '../../test/support/wait-for.js';
import { startClickHouseSink, type ClickHouseSink } from './clickhouse-sink.js';
import { countRows, queryRows, sendAll, unifiedMessages, unifiedRecord } from './testing/sink-fixtures.js';

/**
 * ClickHouse refusing inserts for a while (here: the table detached): the sink retries the same
 * batch with the same token, holds at most one batch per partition besides the one in flight
 * (the partition is paused), loses nothing and writes nothing twice once ClickHouse is back.
 */
describe('ClickHouse sink while ClickHouse refuses inserts', () => {
  const prefix = `${uniqueName('backpressure')}.`;
  const topic = unifiedTopic(prefix, 'vendor');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-backpressure-'));
  const kafka = testKafka('millrace-backpressure-test');
  const codec = createUnifiedCodec({ registryUrl: testRegistryUrl(), topicPrefix: prefix });
  let clickhouse: ClickHouse;
  let sink: ClickHouseSink;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'backpressure_test', dataDir });
    sink = await startClickHouseSink({
      kafka,
      clickhouse,
      registryUrl: testRegistryUrl(),
      topicPrefix: prefix,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      entities: ['vendor'],
      raw: false,
      events: false,
      deadLetters: false,
      partitions: 1,
      maxBatchRows: 50,
      flushIntervalMs: 100,
      sessionTimeoutMs: 6_000,
    });
  });

  afterAll(async () => {
    await sink?.stop();
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('retries with the same token, keeps memory bounded, and ends with every record once', async () => {
    const connection = uniqueName('conn');
    await clickhouse.client.command({ query: 'DETACH TABLE vendors' });
    const records = Array.from({ length: 1_000 }, (_, index) => unifiedRecord('vendor', connection, index));
    await sendAll(kafka, topic, await unifiedMessages(codec, 'vendor', records));

    await waitFor(() => sink.snapshot().insert_retries >= 3, { description: 'inserts failing and retried', timeoutMs: 60_000 });
    let mostBuffered = 0;
    const started = Date.now();
    while (Date.now() - started < 2_000) {
      mostBuffered = Math.max(mostBuffered, sink.snapshot().buffered_rows);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // One batch in flight (retrying) and at most one more waiting: the partition is paused, not read into memory.
    expect(mostBuffered).toBeGreaterThan(0);
    expect(mostBuffered).toBeLessThanOrEqual(50);

    await clickhouse.client.command({ query: 'ATTACH TABLE vendors' });
    await waitFor(async () => (await countRows(clickhouse, 'vendors', `connection_id = '${connection}'`)) >= 1_000, { description: 'every record after ClickHouse is back', timeoutMs: 90_000 });
    const [row] = await queryRows<{ rows: string; records: string }>(clickhouse, `SELECT count() AS rows, uniqExact(id) AS records FROM vendors WHERE connection_id = '${connection}'`);
    expect(row).toEqual({ rows: '1000', records: '1000' });
  });
});
