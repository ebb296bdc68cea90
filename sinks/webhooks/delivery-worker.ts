import type { Producer } from 'kafkajs';
import type { Agent } from 'undici';
import { AttemptRunner } from './attempt-runner.js';
import { ensureWebhookTables } from './ddl.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { DeliveryLog, type AttemptOutcome } from './delivery-log.js';
import { EndpointDisabler } from './endpoint-disabler.js';
import { EndpointHealth } from './endpoint-health.js';
import { EndpointQueues } from './endpoint-queues.js';
import { EventConsumer } from './event-consumer.js';
import { RetryConsumer } from './retry-consumer.js';
import { DEFAULT_RETRY_SCHEDULE_MS } from './retry-schedule.js';
import { RetryWriter } from './retry-writer.js';
import { createSecretCipher } from './secret-cipher.js';
import { createGuardedAgent } from './ssrf-guard.js';
import { SubscriptionStore } from './subscription-store.js';
import { ensureWebhookTopics, webhookTopics } from './webhook-topics.js';
import type { WebhookStageOptions } from './stage-options.js';

/**
 * The webhook sink: events topic → subscriber endpoints. Starts the subscription reader, the
 * events consumer (first attempts), the retry consumer (later attempts), the delivery log and
 * the endpoint health tracker, sharing one guarded HTTP agent and one producer.
 *
 * Several sinks may run (one per worker process): the events and retries consumer groups
 * spread partitions over them. Per-endpoint limits (concurrency, rate) apply per worker.
 */
export interface WebhookSinkOptions extends WebhookStageOptions {
  workerId?: string;
  /** Consumer groups are `<groupPrefix>webhooks` and `<groupPrefix>webhook-retries`; default the topic prefix. */
  groupPrefix?: string;
  /** A 2xx must arrive within this time; default 10 s. */
  deliveryTimeoutMs?: number;
  /** Delay before attempt n (index n-1); default DEFAULT_RETRY_SCHEDULE_MS (more than 24 h). */
  retrySchedule?: readonly number[];
  /** An endpoint failing this long is disabled; default 5 days. */
  gracePeriodMs?: number;
  /** Deliveries waiting per endpoint before new ones spill to the retry topic; default 1000. */
  maxBacklogPerEndpoint?: number;
  maxInFlightEvents?: number;
  maxPendingRetries?: number;
  /** Reuse a running store (one process hosting the API and the sink); otherwise the sink opens its own. */
  store?: SubscriptionStore;
  /** How long stop() lets running attempts finish. */
  drainTimeoutMs?: number;
  /** Kafka consumer session timeout: after a worker dies, its partitions wait this long for a new owner (default 30 s). */
  sessionTimeoutMs?: number;
}

export interface EndpointBacklog {
  subscription_id: string;
  /** Deliveries waiting in this worker's queue for the endpoint. */
  queued: number;
  /** Requests in flight to it. */
  running: number;
  /** New deliveries sent straight to the retry topic because the queue was full. */
  spilled: number;
  /** Retries this worker holds for the endpoint (waiting for their time or running). */
  pending_retries: number;
}

export interface WebhookSink {
  store: SubscriptionStore;
  /** Per-endpoint backlog on this worker: what is queued, running, spilled and pending. */
  backlog(): EndpointBacklog[];
  /** Attempts this worker made since start, by outcome. */
  attemptCounts(): ReadonlyMap<AttemptOutcome, number>;
  stop(): Promise<void>;
}

export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
export const DEFAULT_GRACE_PERIOD_MS = 5 * 24 * 3_600_000;

export async function startWebhookSink(options: WebhookSinkOptions): Promise<WebhookSink> {
  const { kafka, logger: parentLogger } = options;
  const logger = parentLogger.child({ component: 'webhook-sink' });
  const topics = webhookTopics(options.topicPrefix);
  const groupPrefix = options.groupPrefix ?? options.topicPrefix;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureWebhookTopics(admin, options.topicPrefix, { partitions: options.partitions ?? 3, replicationFactor: options.replicationFactor ?? 1 });
  } finally {
    await admin.disconnect();
  }
  await ensureWebhookTables(options.clickhouse);

  const ownsStore = !options.store;
  const store = options.store ?? new SubscriptionStore({ kafka, topic: topics.subscriptions, logger });
  if (ownsStore) await store.start();

  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const log = new DeliveryLog(options.clickhouse, logger);
  log.start();
  const health = new EndpointHealth(store, { gracePeriodMs: options.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS, logger });
  health.start();
  const agent: Agent = createGuardedAgent({ allowlist: options.allowlist, resolve: options.resolve });
  const queues = new EndpointQueues(options.maxBacklogPerEndpoint ?? 1_000);
  const writer = new RetryWriter(producer, topics.retries, logger);
  const runner = new AttemptRunner({
    store,
    health,
    disabler: new EndpointDisabler(store, producer, topics.events, logger),
    log,
    cipher: createSecretCipher(options.keyRing),
    dispatcher: agent,
    schedule: options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE_MS,
    timeoutMs: options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    workerId: options.workerId ?? 'worker-0',
    logger,
  });
  const dispatcher = new DeliveryDispatcher(store, queues, runner, writer, logger);
  const beforeCommit = () => log.flush();
  const retries = new RetryConsumer({
    kafka,
    topic: topics.retries,
    groupId: `${groupPrefix}webhook-retries`,
    dispatcher,
    beforeCommit,
    logger,
    maxPending: options.maxPendingRetries,
    sessionTimeoutMs: options.sessionTimeoutMs,
  });
  const events = new EventConsumer({
    kafka,
    topic: topics.events,
    groupId: `${groupPrefix}webhooks`,
    store,
    dispatcher,
    log,
    beforeCommit,
    logger,
    maxInFlightEvents: options.maxInFlightEvents,
    sessionTimeoutMs: options.sessionTimeoutMs,
  });
  await retries.start();
  await events.start();
  const unsubscribe = store.onChange((id, subscription) => {
    if (subscription) return;
    queues.forget(id);
    health.forget(id);
  });
  logger.info({ events: topics.events, retries: topics.retries }, 'webhook sink started');

  return {
    store,
    backlog: () => {
      const pending = retries.pendingBySubscription();
      const rows = queues.stats().map((stats) => ({ ...stats, pending_retries: pending.get(stats.subscription_id) ?? 0 }));
      for (const [id, count] of pending) {
        if (!rows.some((row) => row.subscription_id === id)) rows.push({ subscription_id: id, queued: 0, running: 0, spilled: 0, pending_retries: count });
      }
      return rows;
    },
    attemptCounts: () => runner.outcomes,
    stop: async () => {
      unsubscribe();
      events.pause();
      retries.pause();
      await queues.drain(options.drainTimeoutMs ?? 15_000);
      // What did not finish in time is neither committed nor lost: it runs again after a restart.
      queues.clear();
      await agent.destroy();
      writer.close();
      await events.close();
      await retries.close();
      await health.stop();
      await log.close();
      await producer.disconnect();
      if (ownsStore) await store.stop();
      logger.info('webhook sink stopped');
    },
  };
}
