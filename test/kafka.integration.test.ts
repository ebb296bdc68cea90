import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { createTopics, testKafka, uniqueName } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

// The guarantees Millrace builds on, checked against the real broker: transactions (commit and
// abort), read_committed consumers, transactional offsets, and consumer-group rebalancing.
describe('Kafka broker with kafkajs', () => {
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

  async function transactionalProducer(id: string): Promise<Producer> {
    const producer = kafka.producer({ transactionalId: id, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    return producer;
  }

  async function consumer(groupId: string): Promise<Consumer> {
    const created = kafka.consumer({ groupId, readUncommitted: false, sessionTimeout: 10_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 });
    await created.connect();
    cleanup.push(() => created.disconnect());
    return created;
  }

  it('never shows a read_committed consumer the messages of an aborted transaction', async () => {
    const topic = uniqueName('tx');
    await createTopics(admin, [topic], 2);
    const producer = await transactionalProducer(uniqueName('txid'));

    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ key: 'a', value: 'committed-1' }, { key: 'b', value: 'committed-2' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ key: 'a', value: 'aborted-1' }, { key: 'c', value: 'aborted-2' }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic, messages: [{ key: 'd', value: 'committed-3' }] });
    await last.commit();

    const reader = await consumer(uniqueName('reader'));
    await reader.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await reader.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await waitFor(() => seen.length >= 3, { description: 'three committed messages' });
    // Give an aborted message time to show up if the isolation were broken.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(seen.sort()).toEqual(['committed-1', 'committed-2', 'committed-3']);
  });

  it('commits consumer offsets inside the producing transaction (consume-transform-produce)', async () => {
    const input = uniqueName('ctp-in');
    const output = uniqueName('ctp-out');
    await createTopics(admin, [input, output], 1);
    const seed = kafka.producer({ idempotent: true });
    await seed.connect();
    cleanup.push(() => seed.disconnect());
    await seed.send({ topic: input, messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });

    const groupId = uniqueName('ctp');
    const producer = await transactionalProducer(uniqueName('ctp-tx'));
    const worker = await consumer(groupId);
    await worker.subscribe({ topic: input, fromBeginning: true });
    let transformed = 0;
    await worker.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const transaction = await producer.transaction();
        await transaction.send({ topic: output, messages: batch.messages.map((m) => ({ key: m.key, value: `${m.value}!` })) });
        await transaction.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(batch.lastOffset()) + 1n) }] }],
        });
        await transaction.commit();
        transformed += batch.messages.length;
      },
    });
    await waitFor(() => transformed === 50, { description: '50 transformed messages' });
    const offsets = await admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets[0]?.partitions[0]?.offset).toBe('50');
    const out = await admin.fetchTopicOffsets(output);
    // 50 records plus one transaction marker per committed transaction.
    expect(Number(out[0]?.high)).toBeGreaterThanOrEqual(51);
  });

  it('rebalances partitions between two members of a consumer group', async () => {
    const topic = uniqueName('rebalance');
    await createTopics(admin, [topic], 4);
    const groupId = uniqueName('group');
    const assignments = new Map<string, number[]>();
    const track = (name: string, member: Consumer) =>
      member.on(member.events.GROUP_JOIN, (event) => assignments.set(name, event.payload.memberAssignment[topic] ?? []));

    const first = await consumer(groupId);
    track('first', first);
    await first.subscribe({ topic, fromBeginning: true });
    await first.run({ eachMessage: async () => {} });
    await waitFor(() => assignments.get('first')?.length === 4, { description: 'the first member to own all 4 partitions' });

    const second = await consumer(groupId);
    track('second', second);
    await second.subscribe({ topic, fromBeginning: true });
    await second.run({ eachMessage: async () => {} });
    await waitFor(() => assignments.get('second')?.length === 2 && assignments.get('first')?.length === 2, {
      description: 'partitions split 2/2',
      timeoutMs: 30_000,
    });
    const all = [...(assignments.get('first') ?? []), ...(assignments.get('second') ?? [])].sort();
    expect(all).toEqual([0, 1, 2, 3]);
  });
});
