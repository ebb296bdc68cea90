import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { MillraceEvent } from '../../platform/events.js';
import { onFetchOfOnlyMarkers, restartAfterCrash } from '../../platform/kafka.js';
import type { Logger } from '../../platform/logger.js';
import { automaticDeliveryId, type Delivery } from './delivery.js';
import type { DeliveryDispatcher } from './delivery-dispatcher.js';
import { deliveryMessageRow, type DeliveryLog } from './delivery-log.js';
import { parseEventMessage } from './event-message.js';
import { matchingSubscriptions } from './matching.js';
import { sessionSettings } from './consumer-settings.js';
import { OffsetTracker } from './offset-tracker.js';
import { buildPayload } from './payload.js';
import type { SubscriptionStore } from './subscription-store.js';

/**
 * Consumes the events topic (one consumer group for all webhook workers) and fans each event
 * out to the subscriptions it matches. An event's offset is committed only when every one of its
 * deliveries has succeeded, finished, or has its retry record in Kafka: a sink killed at any
 * point redelivers rather than drops. Deliveries run in per-endpoint queues and a full queue
 * spills to the retry topic, so this loop never waits on one endpoint; it only slows down when
 * `maxInFlightEvents` events are unsettled at once (memory bound).
 *
 * After a rebalance kafkajs re-reads from the committed offset; deliveries still running here are
 * not started twice (same delivery id), but another worker taking the partition may repeat some:
 * delivery is at least once, and receivers dedupe on `webhook-id`.
 */
export interface EventConsumerOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  store: SubscriptionStore;
  dispatcher: DeliveryDispatcher;
  log: DeliveryLog;
  beforeCommit: () => Promise<void>;
  logger: Logger;
  maxInFlightEvents?: number;
  commitIntervalMs?: number;
  sessionTimeoutMs?: number;
}

export class EventConsumer {
  private consumer: Consumer | undefined;
  private tracker = new OffsetTracker();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private commitTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private committing: Promise<void> = Promise.resolve();
  private readonly maxInFlight: number;

  constructor(private readonly options: EventConsumerOptions) {
    this.maxInFlight = options.maxInFlightEvents ?? 10_000;
  }

  async start(): Promise<void> {
    const consumer = this.options.kafka.consumer({ groupId: this.options.groupId, maxWaitTimeInMs: 250, ...sessionSettings(this.options.sessionTimeoutMs) });
    this.consumer = consumer;
    await consumer.connect();
    // A new group reads from the start; events older than a subscription never match it (matching.ts).
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.tracker = new OffsetTracker();
    });
    // The transformer writes events in transactions: a fetch of only markers or aborted events is done.
    onFetchOfOnlyMarkers(consumer, (_topic, partition, next) => this.tracker.pass(partition, Number(next - 1n)));
    const run = () => consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) });
    restartAfterCrash(consumer, run, { logger: this.options.logger, name: 'webhook events', stopping: () => this.closing });
    await run();
    this.commitTimer = setInterval(() => void this.commit(), this.options.commitIntervalMs ?? 500);
  }

  /** Stops fetching; deliveries already started go on. */
  pause(): void {
    this.consumer?.pause([{ topic: this.options.topic }]);
  }

  /** Commits what is settled and leaves the group. Unsettled deliveries are redone after a restart. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.commitTimer) clearInterval(this.commitTimer);
    await this.commit();
    await this.consumer?.disconnect();
  }

  unsettledEvents(): number {
    return this.tracker.openCount();
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    // A subscription created just before these events must be known before they are matched.
    const newest = batch.messages.reduce((latest, message) => Math.max(latest, Number(message.timestamp)), 0);
    await this.options.store.catchUp(newest);
    for (const message of batch.messages) {
      while (this.tracker.openCount() >= this.maxInFlight) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await heartbeat();
        if (!isRunning() || isStale()) return;
      }
      if (!isRunning() || isStale()) return;
      this.handle(batch.partition, Number(message.offset), message.value);
      resolveOffset(message.offset);
    }
    // Every event of the fetch was handled: the transaction markers after the last one are done too.
    this.tracker.pass(batch.partition, Number(batch.lastOffset()));
    await heartbeat();
  }

  private handle(partition: number, offset: number, value: Buffer | null): void {
    let event: MillraceEvent;
    try {
      event = parseEventMessage(value);
    } catch (error) {
      this.options.logger.error({ topic: this.options.topic, partition, offset, reason: (error as Error).message }, 'events topic: unreadable event skipped');
      this.tracker.pass(partition, offset);
      return;
    }
    const subscriptions = matchingSubscriptions(this.options.store.all(), event);
    if (subscriptions.length === 0) {
      this.tracker.pass(partition, offset);
      return;
    }
    this.tracker.begin(partition, offset);
    const tracker = this.tracker;
    // One body per variant (with or without whole records), shared by every subscription.
    const bodies = new Map<boolean, string>();
    const bodyFor = (includeRecord: boolean) => {
      let body = bodies.get(includeRecord);
      if (body === undefined) {
        body = buildPayload(event, includeRecord);
        bodies.set(includeRecord, body);
      }
      return body;
    };
    const outcomes = subscriptions.map((subscription) => {
      const delivery: Delivery = {
        delivery_id: automaticDeliveryId(event.id, subscription.id),
        subscription_id: subscription.id,
        event_id: event.id,
        event_type: event.type,
        connection_id: event.connection_id,
        body: bodyFor(subscription.include_record),
        attempt: 1,
        max_attempts: null,
        trigger: 'event',
        retry_of: null,
      };
      return this.dispatchOnce(delivery);
    });
    void Promise.all(outcomes).then((durable) => {
      if (durable.every(Boolean)) tracker.settle(partition, offset);
    });
  }

  /** A delivery already running here (re-read after a rebalance) is joined, not started again. */
  private dispatchOnce(delivery: Delivery): Promise<boolean> {
    const running = this.inFlight.get(delivery.delivery_id);
    if (running) return running;
    this.options.log.recordMessage(deliveryMessageRow(delivery, new Date().toISOString()));
    const outcome = this.options.dispatcher.dispatchNew(delivery).finally(() => this.inFlight.delete(delivery.delivery_id));
    this.inFlight.set(delivery.delivery_id, outcome);
    return outcome;
  }

  commit(): Promise<void> {
    this.committing = this.committing.then(async () => {
      const tracker = this.tracker;
      const commits = tracker.commitPoints();
      if (commits.length === 0 || !this.consumer) return;
      await this.options.beforeCommit().catch(() => {});
      try {
        await this.consumer.commitOffsets(commits.map((commit) => ({ topic: this.options.topic, ...commit })));
        tracker.confirm(commits);
      } catch (error) {
        this.options.logger.debug({ err: error }, 'events topic: offset commit deferred');
      }
    });
    return this.committing;
  }
}
