import { afterEach, describe, expect, it } from 'vitest';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { RAW_HEADERS } from '../platform/raw-record.js';
import { TestSource } from '../test/test-connector/source-server.js';
import { startRuntime, TopicTail, type Runtime } from '../test/test-connector/runtime-harness.js';
import { testBrokers } from '../test/support/kafka.js';
import { LostAnswers } from '../test/support/lost-answers.js';
import { waitFor } from '../test/support/wait-for.js';

// A request reaches the broker, which carries it out, and its answer is lost (the connection
// resets): the worker cannot know the page is in. A lost commit answer fails the run; the next
// run must resume from the cursor Kafka holds, not from the one the worker last saw committed, or
// that page is captured twice. A lost produce answer is retried with the same sequence numbers.
describe('producer worker, answers lost between the broker and the worker', () => {
  let source: TestSource | undefined;
  let runtime: Runtime | undefined;
  let tail: TopicTail | undefined;

  afterEach(async () => {
    await tail?.stop();
    await runtime?.stop();
    await source?.stop();
    tail = runtime = source = undefined;
  });

  /** A connection over `total` source vendors, on workers whose Kafka client loses the answers `faults` is armed for. */
  async function startCapture(total: number, faults: LostAnswers) {
    source = new TestSource({ records: { vendors: total, work_orders: 0, assets: 0 } });
    source.faults.slowMs = 40;
    await source.start();
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const workerKafka = createKafka({ brokers: testBrokers(), clientId: 'millrace-lost-answer-test', logger, socketFactory: faults.socketFactory });
    runtime = await startRuntime({ workerKafka });
    const { topics } = runtime;
    tail = new TopicTail(runtime.kafka, [topics.raw('vendors'), topics.cursors, topics.events]);
    await tail.start();
    const connectionId = (await runtime.service.create({
      system: 'millrace_test',
      name: 'lost answer',
      schedule: { work_orders: 86_400, assets: 86_400 },
      config: { baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken, pageSize: 20 },
    })).id;
    const vendorCursor = () =>
      tail!.messages
        .filter((message) => message.topic === topics.cursors && message.value !== null)
        .map((message) => JSON.parse(message.value!.toString()) as { stream: string; cursor: { since: number } | null })
        .filter((record) => record.stream === 'vendors')
        .at(-1)?.cursor?.since ?? 0;
    const completed = () => waitFor(() => tail!.events(connectionId).some((event) => event.type === 'sync.completed' && event.data.stream === 'vendors'), {
      description: 'the vendors sync completed after the lost answer',
      timeoutMs: 90_000,
    });
    /** How often each source record is in the raw topic (read_committed). */
    const captures = () => {
      const counts = new Map<string, number>();
      for (const message of tail!.messages) {
        if (message.topic !== topics.raw('vendors') || message.headers[RAW_HEADERS.op] !== 'upsert') continue;
        counts.set(message.key, (counts.get(message.key) ?? 0) + 1);
      }
      return counts;
    };
    return { connectionId, vendorCursor, completed, captures };
  }

  it('resumes from the cursor the lost commit wrote, and the raw topic holds every record once', async () => {
    const faults = new LostAnswers();
    const { connectionId, vendorCursor, completed, captures } = await startCapture(300, faults);
    await waitFor(() => vendorCursor() >= 60, { description: 'three vendor pages committed', timeoutMs: 60_000, intervalMs: 10 });
    faults.loseNext('commit');
    await waitFor(() => faults.lost === 1, { description: 'a page committed and its answer lost', timeoutMs: 30_000, intervalMs: 10 });
    await completed();
    await tail!.caughtUp();

    expect(tail!.events(connectionId).filter((event) => event.type === 'sync.failed')).toHaveLength(1);
    const counts = captures();
    expect(counts.size).toBe(300);
    expect([...counts.entries()].filter(([, count]) => count > 1)).toEqual([]);
  });

  it('retries a page whose produce answer was lost without writing its records twice', async () => {
    const faults = new LostAnswers();
    const { connectionId, vendorCursor, completed, captures } = await startCapture(200, faults);
    await waitFor(() => vendorCursor() >= 40, { description: 'two vendor pages committed', timeoutMs: 60_000, intervalMs: 10 });
    faults.loseNext('produce');
    await waitFor(() => faults.lost === 1, { description: 'a page written and the answer lost', timeoutMs: 30_000, intervalMs: 10 });
    await completed();
    await tail!.caughtUp();

    const counts = captures();
    expect(counts.size).toBe(200);
    expect([...counts.entries()].filter(([, count]) => count > 1)).toEqual([]);
    expect(tail!.events(connectionId).filter((event) => event.type === 'sync.completed' && event.data.stream === 'vendors')).toHaveLength(1);
  });
});
