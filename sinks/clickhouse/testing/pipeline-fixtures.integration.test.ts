import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { createTopics, testKafka, uniqueName } from '../../../test/support/kafka.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { createUnifiedCodec } from '../../../schemas/index.js';
import { testRegistryUrl } from '../../../test/support/registry.js';
import { decodeEveryMessage, groupCaughtUp } from './pipeline-fixtures.js';

/**
 * The crash test decides "the sink is done" and reads the unified topics back with these helpers.
 * A partition can end with more than one transaction marker (an aborted transaction after the
 * last committed one, as a killed producer leaves): reading must still end, and a group is done
 * only once it committed past those markers too.
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
  it('reads the committed records behind an aborted transaction to the end, and a group is caught up only at the high watermark', async () => {
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

    // Plain text is no registry message: each one read is a decode failure, and only a and b are read.
    const decoded = await decodeEveryMessage(kafka, createUnifiedCodec({ registryUrl: testRegistryUrl(), topicPrefix: uniqueName('ends') }), [topic], uniqueName('ends-reader'));
    expect(decoded.messages).toBe(2);
    expect(decoded.failures).toHaveLength(2);

    const groupId = uniqueName('ends-group');
    const caughtUpAt = async (offset: string) => {
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset }] });
      return groupCaughtUp(admin, groupId, [topic]);
    };
    expect(await caughtUpAt('2')).toBe(false);
    expect(await caughtUpAt('4')).toBe(false);
    expect(await caughtUpAt('5')).toBe(true);
  });
});
