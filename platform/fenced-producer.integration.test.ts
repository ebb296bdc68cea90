import { afterAll, describe, expect, it } from 'vitest';
import { createTopics, testKafka, uniqueName } from '../test/support/kafka.js';
import { connectFencedProducer, isProducerFenced } from './fenced-producer.js';

describe('connectFencedProducer', () => {
  const kafka = testKafka('millrace-fenced-producer-test');
  const admin = kafka.admin();
  const topic = uniqueName('fenced');

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('takes the transactional id over: the earlier owner is fenced, its open transaction aborted', async () => {
    await admin.connect();
    await createTopics(admin, [topic]);
    const transactionalId = uniqueName('fenced-id');
    const first = await connectFencedProducer(kafka, { transactionalId, transactionTimeoutMs: 10_000 });
    const open = await first.transaction();
    await open.send({ topic, messages: [{ key: 'k', value: 'from the first owner' }] });

    const second = await connectFencedProducer(kafka, { transactionalId, transactionTimeoutMs: 10_000 });
    const failure = await open.commit().then(() => null, (error: unknown) => error);
    expect(failure).not.toBeNull();
    expect(isProducerFenced(failure)).toBe(true);
    await first.disconnect().catch(() => undefined);

    const next = await second.transaction();
    await next.send({ topic, messages: [{ key: 'k', value: 'from the second owner' }] });
    await next.commit();
    await second.disconnect();

    // Only the second owner's message is committed.
    const consumer = kafka.consumer({ groupId: uniqueName('fenced-reader'), readUncommitted: false });
    const values: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.includes('from the second owner')) resolve();
        },
      });
    });
    await done;
    await consumer.disconnect();
    expect(values).toEqual(['from the second owner']);
  });
});
