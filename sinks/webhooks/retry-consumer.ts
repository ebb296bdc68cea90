import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { restartAfterCrash } from '../../platform/kafka.js';
import type { Logger } from '../../platform/logger.js';
import type { DeliveryDispatcher } from './delivery-dispatcher.js';
import { DueQueue } from './due-queue.js';
import { sessionSettings } from './consumer-settings.js';
import { OffsetTracker } from './offset-tracker.js';
import { parseRetryTopicValue, type RetryRecord } from './retry-record.js';

/**
 * Consumes the `webhook-retries` topic and makes each pending attempt when it is due, without
 * one endpoint's far-off retries holding up anyone else's (one timer heap for all partitions).
 *
 * Restart safety: offsets are committed up to the oldest retry still pending, so after a crash
 * (or a rebalance, after which kafkajs re-reads from the committed offset) the pending set is
 * rebuilt from the log: retries minus those superseded or marked done later. Until a partition
 * has been read to the end it had at the first fetch, nothing of it fires, so a retry whose done
 * marker sits later in the log is not attempted again.
 *
 * Memory: pending retries are held in memory with their body (≤ 20 KB). Above `maxPending`, the
 * partitions being read are paused (nothing is lost; it stays in Kafka) until half are done.
 */
export interface RetryConsumerOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  dispatcher: DeliveryDispatcher;
  /** Awaited before each offset commit: the delivery log is written before the work it logs is committed. */
  beforeCommit: () => Promise<void>;
  logger: Logger;
  maxPending?: number;
  commitIntervalMs?: number;
  sessionTimeoutMs?: number;
}

interface PendingRetry {
  partition: number;
  offset: number;
  record: RetryRecord;
  bounces: number;
}

interface PartitionState {
  /** High watermark at the first fetch after assignment: the end to reach before firing. */
  catchUpTarget: number | undefined;
  caughtUp: boolean;
  pending: Map<string, PendingRetry>;
}

export class RetryConsumer {
  private consumer: Consumer | undefined;
  private readonly states = new Map<number, PartitionState>();
  private readonly tracker = new OffsetTracker();
  private readonly due: DueQueue<PendingRetry>;
  private readonly inFlight = new Set<string>();
  private readonly pausedForMemory = new Set<number>();
  private commitTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private committing: Promise<void> = Promise.resolve();
  private readonly maxPending: number;

  constructor(private readonly options: RetryConsumerOptions) {
    this.maxPending = options.maxPending ?? 100_000;
    this.due = new DueQueue((retryId, pending) => this.fire(retryId, pending));
  }

  async start(): Promise<void> {
    const consumer = this.options.kafka.consumer({ groupId: this.options.groupId, maxWaitTimeInMs: 500, ...sessionSettings(this.options.sessionTimeoutMs) });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    consumer.on(consumer.events.GROUP_JOIN, () => this.resetAfterRebalance());
    const run = () => consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) });
    restartAfterCrash(consumer, run, { logger: this.options.logger, name: 'webhook retries', stopping: () => this.closing });
    await run();
    this.commitTimer = setInterval(() => void this.commit(), this.options.commitIntervalMs ?? 500);
  }

  /** Stops fetching and firing; attempts already running go on. */
  pause(): void {
    this.consumer?.pause([{ topic: this.options.topic }]);
    this.due.clear();
  }

  /** Commits what is done and leaves the group; pending retries stay in Kafka for the next owner. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.commitTimer) clearInterval(this.commitTimer);
    await this.commit();
    await this.consumer?.disconnect();
  }

  /** Retries held in memory, waiting for their time or running. */
  pendingCount(): number {
    let total = 0;
    for (const state of this.states.values()) total += state.pending.size;
    return total;
  }

  /** Pending retries per endpoint, for the backlog view. */
  pendingBySubscription(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const state of this.states.values()) {
      for (const { record } of state.pending.values()) counts.set(record.subscription_id, (counts.get(record.subscription_id) ?? 0) + 1);
    }
    return counts;
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const partition = batch.partition;
    const state = this.state(partition);
    state.catchUpTarget ??= Number(batch.highWatermark);
    let lastProcessed: number | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      if (this.pendingCount() >= this.maxPending) {
        this.consumer!.pause([{ topic: batch.topic, partitions: [partition] }]);
        this.pausedForMemory.add(partition);
        this.options.logger.warn({ partition, pending: this.pendingCount() }, 'webhook retries: pending limit reached, pausing the partition');
        // Pending retries only drain by firing; waiting for the end of the partition here would
        // never end. Firing early can repeat an attempt whose done marker is further on.
        if (!state.caughtUp) this.markCaughtUp(state);
        break;
      }
      const offset = Number(message.offset);
      this.read(state, partition, offset, message.value);
      resolveOffset(message.offset);
      lastProcessed = offset;
    }
    if (!state.caughtUp && lastProcessed !== undefined && lastProcessed + 1 >= state.catchUpTarget) this.markCaughtUp(state);
    await heartbeat();
  }

  private read(state: PartitionState, partition: number, offset: number, value: Buffer | null): void {
    let parsed;
    try {
      parsed = parseRetryTopicValue(value);
    } catch (error) {
      this.options.logger.error({ partition, offset, reason: (error as Error).message }, 'webhook retries: unreadable record skipped');
      this.tracker.pass(partition, offset);
      return;
    }
    if (parsed.kind === 'done') {
      this.tracker.pass(partition, offset);
      this.complete(partition, parsed.retry_id);
      return;
    }
    if (parsed.supersedes) this.complete(partition, parsed.supersedes);
    const pending: PendingRetry = { partition, offset, record: parsed, bounces: 0 };
    this.tracker.begin(partition, offset);
    state.pending.set(parsed.retry_id, pending);
    if (state.caughtUp && !this.inFlight.has(parsed.retry_id)) this.due.add(parsed.retry_id, parsed.due_at, pending);
  }

  private markCaughtUp(state: PartitionState): void {
    state.caughtUp = true;
    for (const [retryId, pending] of state.pending) {
      if (!this.inFlight.has(retryId)) this.due.add(retryId, pending.record.due_at, pending);
    }
  }

  private fire(retryId: string, pending: PendingRetry): void {
    if (this.states.get(pending.partition)?.pending.get(retryId) !== pending) return;
    const outcome = this.options.dispatcher.dispatchRetry(pending.record);
    if (outcome === 'busy') {
      // The endpoint's queue is full: wait longer each time, so a dead endpoint's backlog costs little.
      pending.bounces += 1;
      const wait = Math.min(30_000, 250 * 2 ** Math.min(pending.bounces, 7)) * (0.5 + Math.random());
      this.due.add(retryId, Date.now() + wait, pending);
      return;
    }
    this.inFlight.add(retryId);
    void outcome.then((durable) => {
      this.inFlight.delete(retryId);
      if (durable) this.complete(pending.partition, retryId);
    });
  }

  /** The retry's outcome is in Kafka: forget it and let its offset be committed. */
  private complete(partition: number, retryId: string): void {
    const state = this.states.get(partition);
    const pending = state?.pending.get(retryId);
    if (!state || !pending) return;
    state.pending.delete(retryId);
    this.due.remove(retryId);
    this.tracker.settle(partition, pending.offset);
    if (this.pausedForMemory.size > 0 && this.pendingCount() < this.maxPending / 2) this.resumePaused();
  }

  private resumePaused(): void {
    const partitions = [...this.pausedForMemory];
    this.pausedForMemory.clear();
    this.consumer?.resume([{ topic: this.options.topic, partitions }]);
  }

  /** kafkajs re-reads every assigned partition from its committed offset after a rebalance: start over. */
  private resetAfterRebalance(): void {
    // kafkajs keeps a pause across rebalances: lift ours, the pending set starts empty again.
    if (this.pausedForMemory.size > 0) this.resumePaused();
    this.states.clear();
    this.due.clear();
    this.tracker.retain(new Set());
  }

  private state(partition: number): PartitionState {
    let state = this.states.get(partition);
    if (!state) {
      state = { catchUpTarget: undefined, caughtUp: false, pending: new Map() };
      this.states.set(partition, state);
    }
    return state;
  }

  commit(): Promise<void> {
    this.committing = this.committing.then(async () => {
      const commits = this.tracker.commitPoints();
      if (commits.length === 0 || !this.consumer) return;
      // The log rows stay buffered if this fails; delivery state must not wait on ClickHouse.
      await this.options.beforeCommit().catch(() => {});
      try {
        await this.consumer.commitOffsets(commits.map((commit) => ({ topic: this.options.topic, ...commit })));
        this.tracker.confirm(commits);
      } catch (error) {
        this.options.logger.debug({ err: error }, 'webhook retries: offset commit deferred');
      }
    });
    return this.committing;
  }
}
