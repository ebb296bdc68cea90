import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { createTopics, testKafka, uniqueName } from '../../../test/support/kafka.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { groupCaughtUp, readCommittedEnds } from './pipeline-fixtures.js';

/**
 * The crash test decides "the sink is done" with these helpers. A partition can end with more
 * than one transaction marker (an aborted transaction after the last committed one, as a killed
 * producer leaves): a consumer is done once it committed past the last record it is given.
 */
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin.disconnect();
});

describe('pipeline fixtures: where a transactional partition ends', () => {
  it('finds the end of the committed records behind an aborted transaction, and a group committed there is caught up', async () => {
    const topic = uniqueName('ends');
    await createTopics(admin, [topic]);
    const producer = kafka.producer({ transactionalId: uniqueName('ends-tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'c' }] });
    await aborted.abort();
    await producer.disconnect();
    // a, b, commit marker, c (aborted), abort marker: the coordinator writes the markers just after.
    await waitFor(async () => (await admin.fetchTopicOffsets(topic))[0]!.high === '5', { timeoutMs: 10_000, description: 'the abort marker' });

    const ends = await readCommittedEnds(kafka, [topic], uniqueName('ends-reader'));
    expect(ends.get(`${topic}|0`)).toBe(2n);

    const groupId = uniqueName('ends-group');
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
    const topics = [{ name: topic, transactional: true }];
    expect(await groupCaughtUp(admin, groupId, topics)).toBe(false);
    expect(await groupCaughtUp(admin, groupId, topics, ends)).toBe(true);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });
    expect(await groupCaughtUp(admin, groupId, topics, ends)).toBe(false);
  });
});
