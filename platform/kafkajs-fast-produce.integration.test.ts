import { createRequire } from 'node:module';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, testKafka, uniqueName } from '../test/support/kafka.js';
import { waitFor } from '../test/support/wait-for.js';

/**
 * Through a real broker: records a createKafka() producer writes (fast encoder, fast
 * partitioner) are read back whole, in the partition kafkajs's own partitioner picks.
 */
const require = createRequire(import.meta.url);
let kafka: Kafka;
let admin: Admin;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  await admin.disconnect();
});

describe('createKafka producers', () => {
  it('use the fast Produce encoder', () => {
    const definition = require('kafkajs/src/protocol/requests/produce/index.js') as Record<symbol, unknown>;
    expect(definition[Symbol.for('millrace.kafkajs.fastProduce')]).toBe(true);
  });

  it('write records a consumer reads back unchanged, in the partition kafkajs would pick', async () => {
    const topic = uniqueName('fast-produce');
    await createTopics(admin, [topic], 3);
    const producer = kafka.producer({ transactionalId: uniqueName('fast-produce-tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    const sent = Array.from({ length: 300 }, (_, i) => ({
      key: `conn-1:R-${i}`,
      value: i % 50 === 0 ? null : Buffer.from(JSON.stringify({ id: i, text: 'é'.repeat(i) })),
      headers: { 'millrace-op': i % 50 === 0 ? 'delete' : 'upsert', n: String(i), multi: ['a', Buffer.from('b')] },
    }));
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: sent.slice(0, 150) });
    await transaction.send({ topic, messages: sent.slice(150) });
    await transaction.commit();

    const received = new Map<string, { partition: number; value: string | null; headers: Record<string, unknown> }>();
    const consumer = kafka.consumer({ groupId: uniqueName('fast-produce-reader') });
    cleanup.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.map(String) : String(value)]));
        received.set(String(message.key), { partition, value: message.value === null ? null : message.value.toString(), headers });
      },
    });
    await waitFor(() => received.size === sent.length, { description: 'all 300 records read back', timeoutMs: 60_000 });

    const kafkajsPartitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions;
    for (const message of sent) {
      const got = received.get(message.key)!;
      expect(got.value).toBe(message.value === null ? null : message.value.toString());
      expect(got.headers).toEqual({ 'millrace-op': message.headers['millrace-op'], n: message.headers.n, multi: ['a', 'b'] });
      expect(got.partition).toBe(kafkajsPartitioner({ topic, partitionMetadata, message }));
    }
    expect(new Set([...received.values()].map((entry) => entry.partition))).toEqual(new Set([0, 1, 2]));
  });
});
