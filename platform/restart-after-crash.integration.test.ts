import { KafkaJSNonRetriableError, type Consumer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTopics, deleteTopicsWithPrefix, testKafka, uniqueName } from '../test/support/kafka.js';
import { waitFor } from '../test/support/wait-for.js';
import { restartAfterCrash } from './kafka.js';
import { createLogger } from './logger.js';

// kafkajs leaves a consumer stopped for good after a crash whose cause is not retriable (its
// CRASH event says restart: false); restartAfterCrash runs it again.
describe('restartAfterCrash', () => {
  const kafka = testKafka('millrace-restart-after-crash-test');
  const prefix = `${uniqueName('crash')}.`;
  let consumer: Consumer | undefined;
  let stopping = false;

  afterEach(async () => {
    stopping = true;
    await consumer?.disconnect().catch(() => {});
    const admin = kafka.admin();
    await admin.connect();
    await deleteTopicsWithPrefix(admin, prefix);
    await admin.disconnect();
  });

  async function crashOnce(restart: boolean): Promise<{ seen: string[]; crashes: boolean[] }> {
    const topic = `${prefix}${restart ? 'restarted' : 'left'}`;
    const admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [topic]);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'first' }, { value: 'second' }] });
    await producer.disconnect();
    consumer = kafka.consumer({ groupId: `${topic}-group`, sessionTimeout: 6_000, heartbeatInterval: 500 });
    const seen: string[] = [];
    const crashes: boolean[] = [];
    let failures = 1;
    consumer.on(consumer.events.CRASH, ({ payload }) => crashes.push(payload.restart));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const current = consumer;
    const run = () =>
      current.run({
        eachMessage: async ({ message }) => {
          if (failures > 0) {
            failures -= 1;
            throw new KafkaJSNonRetriableError('the coordinator could not be found');
          }
          seen.push(message.value!.toString());
        },
      });
    if (restart) restartAfterCrash(current, run, { logger: createLogger({ level: 'silent' }), name: 'test', stopping: () => stopping, delayMs: 200 });
    await run();
    await waitFor(() => crashes.length > 0, { description: 'the consumer to crash' });
    return { seen, crashes };
  }

  it('runs a consumer again that kafkajs left stopped, and it reads on', async () => {
    stopping = false;
    const { seen, crashes } = await crashOnce(true);
    await waitFor(() => seen.length === 2, { description: () => `both messages read after the restart (seen ${JSON.stringify(seen)})`, timeoutMs: 30_000 });
    expect(crashes).toEqual([false]);
    expect(seen).toEqual(['first', 'second']);
  });

  it('(control) without it, the consumer stays stopped', async () => {
    stopping = false;
    const { seen, crashes } = await crashOnce(false);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(crashes).toEqual([false]);
    expect(seen).toEqual([]);
  });
});
