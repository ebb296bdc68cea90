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
import type { WrittenBatch } from './batch-flusher.js';
import { clickhouseSinkGroupId, startClickHouseSink, type ClickHouseSink } from './clickhouse-sink.js';
import { pendingMarker } from './offset-marker.js';
import { commitForGroup, countRows, sendAll, unifiedMessages, unifiedRecord } from './testing/sink-fixtures.js';

/**
 * The exactly-once step of the sink on embedded ClickHouse: a batch inserted but not committed
 * (a crash between the insert and the offset commit) is re-formed after a restart from the
 * marker and dropped by ClickHouse as a duplicate. Merges are stopped, so a duplicate row could
 * not hide in a merge; the control case shows count() would see one.
 */
describe('ClickHouse sink replay after a crash between insert and commit', () => {
  const prefix = `${uniqueName('replay')}.`;
  const topic = unifiedTopic(prefix, 'purchase_order');
  const groupId = clickhouseSinkGroupId(prefix);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-replay-'));
  const kafka = testKafka('millrace-replay-test');
  const codec = createUnifiedCodec({ registryUrl: testRegistryUrl(), topicPrefix: prefix });
  const connection = uniqueName('conn');
  let clickhouse: ClickHouse;
  let written: WrittenBatch[] = [];

  async function runSinkUntilCommitted(end: bigint): Promise<ClickHouseSink> {
    const sink = await startClickHouseSink({
      kafka,
      clickhouse,
      registryUrl: testRegistryUrl(),
      topicPrefix: prefix,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      entities: ['purchase_order'],
      raw: false,
      events: false,
      deadLetters: false,
      partitions: 1,
      maxBatchRows: 4,
      flushIntervalMs: 300,
      sessionTimeoutMs: 6_000,
      onBatchWritten: (batch) => written.push(batch),
    });
    await waitFor(async () => (await committedOffset()) === end, { description: `committed offset ${end}`, timeoutMs: 60_000 });
    return sink;
  }

  async function committedOffset(): Promise<bigint> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return BigInt(entry!.partitions[0]!.offset);
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'replay_test', dataDir });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('drops the re-formed batch as a duplicate, and would not drop a batch cut differently', async () => {
    const records = Array.from({ length: 12 }, (_, index) => unifiedRecord('purchase_order', connection, index));
    await sendAll(kafka, topic, await unifiedMessages(codec, 'purchase_order', records));

    const first = await runSinkUntilCommitted(12n);
    await first.stop();
    await clickhouse.client.command({ query: 'SYSTEM STOP MERGES purchase_orders' });
    expect(await countRows(clickhouse, 'purchase_orders')).toBe(12);
    const middle = written.find((batch) => batch.first > 0n && batch.last < 11n);
    expect(middle, `a batch inside the log (written: ${written.map((batch) => `${batch.first}-${batch.last}`).join(', ')})`).toBeDefined();

    // The state a crash after the insert leaves: committed offset at the batch's start, marker naming its end.
    await commitForGroup(kafka, groupId, topic, 0, middle!.first, pendingMarker(middle!.last));
    written = [];
    const second = await runSinkUntilCommitted(12n);
    await second.stop();
    expect(second.snapshot().replayed_batches).toBe(1);
    expect(written[0]).toMatchObject({ first: middle!.first, last: middle!.last, replayed: true });
    expect(await countRows(clickhouse, 'purchase_orders')).toBe(12);

    // Control: a marker naming another end makes another token, and ClickHouse keeps the rows again.
    await commitForGroup(kafka, groupId, topic, 0, middle!.first, pendingMarker(middle!.last - 1n));
    const third = await runSinkUntilCommitted(12n);
    await third.stop();
    expect(await countRows(clickhouse, 'purchase_orders')).toBe(12 + Number(11n - middle!.first + 1n));
    await clickhouse.client.command({ query: 'SYSTEM START MERGES purchase_orders' });
  });
});
