import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { PassThrough } from 'node:stream';
import { createTopics, testKafka, uniqueName } from '../test/support/kafka.js';
import { waitFor } from '../test/support/wait-for.js';
import { CompactedTopicView, ControlTopicUnavailableError, type ViewMessage } from './compacted-view.js';
import { createLogger } from './logger.js';

describe('CompactedTopicView: the one in-process tail of compacted topics', () => {
  const kafka: Kafka = testKafka('millrace-compacted-view-test');
  let admin: Admin;
  let producer: Producer;
  const views: CompactedTopicView[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(views.map((view) => view.stop()));
    await producer?.disconnect();
    await admin?.disconnect();
  });

  function view(topics: string[], apply: (message: ViewMessage) => void, extra: { logger?: ReturnType<typeof createLogger>; unavailable?: (message: string) => Error } = {}): CompactedTopicView {
    const created = new CompactedTopicView({ kafka, topics, groupPrefix: uniqueName('view'), logger: extra.logger ?? createLogger({ level: 'silent' }), apply, unavailable: extra.unavailable });
    views.push(created);
    return created;
  }

  it('applies what was written before start, tombstones included, in order per partition; waitForEnd covers every partition', async () => {
    const topic = uniqueName('view-topic');
    await createTopics(admin, [topic], 3);
    await producer.send({ topic, messages: [{ key: 'a', value: '1', partition: 0 }, { key: 'b', value: '1', partition: 1 }, { key: 'a', value: '2', partition: 0 }] });
    await producer.send({ topic, messages: [{ key: 'b', value: null, partition: 1 }] });
    const state = new Map<string, string>();
    const tail = view([topic], ({ key, value }) => (value === null ? state.delete(key) : state.set(key, value.toString())));
    await tail.start();
    await tail.waitForEnd();
    expect(Object.fromEntries(state)).toEqual({ a: '2' });

    const [written] = await producer.send({ topic, messages: [{ key: 'c', value: '3', partition: 2 }] });
    await tail.waitUntilApplied(topic, written!.partition, written!.baseOffset!);
    expect(state.get('c')).toBe('3');
  });

  it('never applies a record twice when a rebalance makes its consumer read the partition again from the beginning', async () => {
    const topic = uniqueName('view-rebalance');
    await createTopics(admin, [topic], 1);
    await producer.send({ topic, messages: [{ key: 'k', value: '1' }, { key: 'k', value: '2' }] });
    const applied: string[] = [];
    const tail = view([topic], ({ value }) => applied.push(value!.toString()));
    await tail.start();
    await tail.waitForEnd();
    expect(applied).toEqual(['1', '2']);

    // A member joining and leaving the view's group forces two rebalances; with no offsets ever
    // committed, whoever holds the partition afterwards fetches it from offset 0.
    const intruder = kafka.consumer({ groupId: tail.groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
    const joined = new Promise<void>((resolve) => intruder.on(intruder.events.GROUP_JOIN, () => resolve()));
    await intruder.connect();
    await intruder.subscribe({ topics: [topic], fromBeginning: true });
    await intruder.run({ autoCommit: false, eachMessage: async () => {} });
    await joined;
    await intruder.disconnect();
    await waitFor(async () => {
      const [group] = (await admin.describeGroups([tail.groupId])).groups;
      return group?.state === 'Stable' && group.members.length === 1;
    }, { description: 'the view alone in its group again', timeoutMs: 60_000 });

    const [written] = await producer.send({ topic, messages: [{ key: 'k', value: '3' }] });
    await tail.waitUntilApplied(topic, written!.partition, written!.baseOffset!);
    expect(applied).toEqual(['1', '2', '3']);
  });

  it('reads committed transactions only, and reaches the end past transaction markers', async () => {
    const topic = uniqueName('view-tx');
    await createTopics(admin, [topic], 1);
    const transactional = kafka.producer({ transactionalId: uniqueName('view-tx-writer'), idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await transactional.connect();
    try {
      const aborted = await transactional.transaction();
      await aborted.send({ topic, messages: [{ key: 'lost', value: 'x' }] });
      await aborted.abort();
      const committed = await transactional.transaction();
      await committed.send({ topic, messages: [{ key: 'kept', value: 'y' }] });
      await committed.commit();
    } finally {
      await transactional.disconnect();
    }
    const keys: string[] = [];
    const tail = view([topic], ({ key }) => keys.push(key));
    await tail.start();
    // The topic ends with a commit marker, which no message carries: the view must still get there.
    await tail.waitForEnd(30_000);
    expect(keys).toEqual(['kept']);
  });

  it('logs and skips a record apply() cannot read, and goes on with the next', async () => {
    const topic = uniqueName('view-bad');
    await createTopics(admin, [topic], 1);
    await producer.send({ topic, messages: [{ key: 'bad', value: 'not json' }, { key: 'good', value: '{"n":1}' }] });
    const lines = new PassThrough();
    let logged = '';
    lines.on('data', (chunk) => (logged += chunk.toString()));
    const applied: Record<string, unknown> = {};
    const tail = view([topic], ({ key, value }) => (applied[key] = JSON.parse(value!.toString())), { logger: createLogger({ level: 'error', destination: lines }) });
    await tail.start();
    await tail.waitForEnd();
    expect(applied).toEqual({ good: { n: 1 } });
    expect(logged).toContain('control record unreadable, skipped');
    expect(logged).toContain(topic);
  });

  it('a wait that Kafka cannot satisfy in time rejects with the caller’s error; stop() rejects whoever still waits', async () => {
    const topic = uniqueName('view-open-tx');
    await createTopics(admin, [topic], 1);
    const transactional = kafka.producer({ transactionalId: uniqueName('view-open-writer'), idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await transactional.connect();
    const open = await transactional.transaction();
    try {
      // An open transaction holds read_committed readers below it: a record written after it is
      // committed, but no reader can get to it until the transaction ends.
      await open.send({ topic, messages: [{ key: 'pending', value: 'p' }] });
      const [behind] = await producer.send({ topic, messages: [{ key: 'behind', value: 'b' }] });
      class CallerError extends Error {}
      const keys: string[] = [];
      const custom = view([topic], ({ key }) => keys.push(key), { unavailable: (message) => new CallerError(message) });
      await custom.start();
      await expect(custom.waitUntilApplied(topic, 0, behind!.baseOffset!, 1_500)).rejects.toSatisfy(
        (error: Error) => error instanceof CallerError && error.message.includes(`${topic}/0@${behind!.baseOffset} within 1500 ms`),
      );
      expect(keys).toEqual([]);

      const plain = view([topic], () => {});
      await plain.start();
      const waiting = plain.waitUntilApplied(topic, 0, behind!.baseOffset!, 60_000).then(() => null, (error: Error) => error);
      await plain.stop();
      const stopped = await waiting;
      expect(stopped).toBeInstanceOf(ControlTopicUnavailableError);
      expect(stopped).toMatchObject({ code: 'store_unavailable', retriable: true, message: expect.stringContaining('stopped before it caught up') });

      await open.commit();
      await custom.waitUntilApplied(topic, 0, behind!.baseOffset!, 30_000);
      expect(keys).toEqual(['pending', 'behind']);
    } finally {
      if (open.isActive()) await open.abort().catch(() => {});
      await transactional.disconnect();
    }
  });
});
