import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, IHeaders, Kafka } from 'kafkajs';
import { restartAfterCrash, topicOffsets } from './kafka.js';
import type { Logger } from './logger.js';

export interface ViewMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: Buffer | null;
  headers: IHeaders | undefined;
}

export interface CompactedViewOptions {
  kafka: Kafka;
  topics: string[];
  /** The consumer group is `<groupPrefix>-<random>`: every view reads every partition itself. */
  groupPrefix: string;
  logger: Logger;
  /** Called for every record, in offset order per partition. Must be quick and synchronous; a throw skips the record (logged). */
  apply(message: ViewMessage): void;
  /**
   * The error a wait rejects with when Kafka does not deliver in time or the view stops first,
   * so each caller keeps its own catalogue code; default ControlTopicUnavailableError.
   */
  unavailable?: (message: string) => Error;
}

/** The view could not read its topics in time, or was stopped while someone waited. Retriable. */
export class ControlTopicUnavailableError extends Error {
  readonly code = 'store_unavailable';
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'ControlTopicUnavailableError';
  }
}

interface Waiter {
  satisfied(): boolean;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Tails compacted control topics from the beginning, `read_committed`, and hands every record to
 * `apply`: the in-process materialized view any worker or API process rebuilds from Kafka
 * (connections, cursors, API keys, webhook subscriptions, the schema registry's log …).
 * kafkajs has no manual partition assignment, so a consumer with a fresh group id (offsets never
 * committed) stands in for it. The read position of each partition is tracked even across
 * transaction markers and aborted records, so `waitForEnd()` can tell when everything written
 * before the call has been applied.
 */
export class CompactedTopicView {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private readonly positions = new Map<string, bigint>();
  private waiters: Waiter[] = [];
  /** This view's own consumer group: nobody else joins it, nothing is ever committed in it. */
  readonly groupId: string;

  constructor(private readonly options: CompactedViewOptions) {
    this.groupId = `${options.groupPrefix}-${randomUUID()}`;
  }

  async start(): Promise<void> {
    const { kafka, topics } = this.options;
    this.admin = kafka.admin();
    await this.admin.connect();
    const consumer = kafka.consumer({
      groupId: this.groupId,
      readUncommitted: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      this.advance(event.payload.topic, event.payload.partition, BigInt(event.payload.lastOffset) + 1n);
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const run = () => consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        // After a rebalance the group has no committed offsets, so the consumer starts again
        // from the beginning: records already applied are skipped, or the view would step back
        // in time (an old record over a newer one) while waits already count it caught up.
        if (BigInt(message.offset) < (this.positions.get(`${topic}/${partition}`) ?? 0n)) return;
        try {
          this.options.apply({ topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? '', value: message.value, headers: message.headers });
        } catch (error) {
          // One unreadable record must not stop the view: it is logged and skipped.
          this.options.logger.error({ topic, partition, offset: message.offset, err: error }, 'control record unreadable, skipped');
        }
        this.advance(topic, partition, BigInt(message.offset) + 1n);
      },
    });
    restartAfterCrash(consumer, run, { logger: this.options.logger, name: `view of ${topics.join(', ')}`, stopping: () => this.consumer !== consumer });
    await run();
  }

  async stop(): Promise<void> {
    // Nobody waiting may take a stopped view for a caught-up one.
    for (const waiter of this.waiters) waiter.reject(this.unavailable(`The view of ${this.options.topics.join(', ')} was stopped before it caught up.`));
    this.waiters = [];
    await this.consumer?.disconnect().catch(() => {});
    await this.admin?.disconnect().catch(() => {});
    this.consumer = null;
    this.admin = null;
  }

  /** Resolves once every record committed to the topics before this call has been applied. */
  async waitForEnd(timeoutMs = 60_000): Promise<void> {
    if (!this.admin) throw new Error('view not started');
    const targets: [string, bigint][] = [];
    for (const topic of this.options.topics) {
      for (const entry of await topicOffsets(this.admin, topic)) {
        // An empty partition (low = high, e.g. every tombstone cleaned) has nothing to wait for.
        if (entry.low !== entry.high) targets.push([`${topic}/${entry.partition}`, BigInt(entry.high)]);
      }
    }
    await this.waitUntil(() => targets.every(([slot, high]) => (this.positions.get(slot) ?? 0n) >= high), timeoutMs, 'the end of the control topics');
  }

  /** Resolves once the record at `offset` of `topic`/`partition` has been applied. */
  waitUntilApplied(topic: string, partition: number, offset: string, timeoutMs = 30_000): Promise<void> {
    const target = BigInt(offset) + 1n;
    return this.waitUntil(() => (this.positions.get(`${topic}/${partition}`) ?? 0n) >= target, timeoutMs, `${topic}/${partition}@${offset}`);
  }

  private unavailable(message: string): Error {
    return this.options.unavailable ? this.options.unavailable(message) : new ControlTopicUnavailableError(message);
  }

  private waitUntil(satisfied: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (satisfied()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
        reject(this.unavailable(`Kafka did not deliver ${what} within ${timeoutMs} ms; check the brokers (KAFKA_BROKERS) and retry.`));
      }, timeoutMs);
      const waiter: Waiter = {
        satisfied,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private advance(topic: string, partition: number, position: bigint): void {
    const slot = `${topic}/${partition}`;
    if ((this.positions.get(slot) ?? -1n) >= position) return;
    this.positions.set(slot, position);
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((waiter) => waiter.satisfied());
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }
}
