import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { createTopics, testKafka, uniqueName } from '../../test/support/kafka.js';
import { SubscriptionStore } from './subscription-store.js';
import { storedSubscription } from './test-fixtures.js';

/**
 * The API process writes a subscription; a delivery worker's store learns of it from the topic.
 * An event produced right after the write must find it: catchUp(time) makes sure it does.
 */
describe('SubscriptionStore.catchUp', () => {
  const kafka: Kafka = testKafka('millrace-subscription-store-test');
  const logger = createLogger({ level: 'silent' });
  let admin: Admin;
  let writer: SubscriptionStore;
  let reader: SubscriptionStore;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    const topic = uniqueName('subscriptions');
    await createTopics(admin, [topic], 1);
    writer = new SubscriptionStore({ kafka, topic, logger });
    reader = new SubscriptionStore({ kafka, topic, logger });
    await writer.start();
    await reader.start();
  });

  afterAll(async () => {
    await reader?.stop();
    await writer?.stop();
    await admin?.disconnect();
  });

  it('has applied every subscription written before the given time once it resolves', async () => {
    for (let index = 0; index < 5; index++) {
      const id = `wh_catch_up_${index}`;
      await writer.put(storedSubscription({ id }));
      await reader.catchUp(Date.now());
      expect(reader.get(id)?.id).toBe(id);
    }
  });

  it('serves callers waiting at once, each for its own time', async () => {
    await writer.put(storedSubscription({ id: 'wh_shared' }));
    const now = Date.now();
    await Promise.all([reader.catchUp(now), reader.catchUp(now - 1), reader.catchUp(now - 60_000)]);
    expect(reader.get('wh_shared')).toBeDefined();
  });
});
