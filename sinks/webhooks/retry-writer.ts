import { v7 as uuidv7 } from 'uuid';
import type { Producer } from 'kafkajs';
import type { Logger } from '../../platform/logger.js';
import type { Delivery } from './delivery.js';
import type { RetryDone, RetryRecord } from './retry-record.js';

/**
 * Writes retry and done records to the `webhook-retries` topic, acknowledged by all in-sync
 * replicas. Records written within a few milliseconds of each other go out in one request (a
 * dead endpoint under load spills hundreds per second). A write resolves only once Kafka holds
 * it; failed requests are retried with backoff until they succeed or the writer is closed,
 * because the caller commits nothing until then.
 */
const LINGER_MS = 5;
const MAX_BATCH = 500;

interface Pending {
  key: string;
  value: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class RetryWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly logger: Logger,
  ) {}

  /** Schedules `delivery` for its attempt at `dueAt`; returns the new retry id. */
  async writeRetry(delivery: Delivery, dueAt: number, supersedes: string | null): Promise<string> {
    const record: RetryRecord = { ...delivery, v: 1, kind: 'retry', retry_id: uuidv7(), due_at: Math.round(dueAt), supersedes };
    await this.enqueue(delivery.subscription_id, JSON.stringify(record));
    return record.retry_id;
  }

  async writeDone(retryId: string, subscriptionId: string): Promise<void> {
    const record: RetryDone = { v: 1, kind: 'done', retry_id: retryId, subscription_id: subscriptionId };
    await this.enqueue(subscriptionId, JSON.stringify(record));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const pending of this.queue.splice(0)) pending.reject(new Error('retry writer closed'));
  }

  private enqueue(key: string, value: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('retry writer closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ key, value, resolve, reject });
      if (this.queue.length >= MAX_BATCH) this.flushSoon(0);
      else this.flushSoon(LINGER_MS);
    });
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send(this.queue.splice(0, MAX_BATCH));
      if (this.queue.length > 0) this.flushSoon(LINGER_MS);
    }, delayMs);
  }

  private async send(batch: Pending[], backoffMs = 200): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages: batch.map(({ key, value }) => ({ key, value })) });
      for (const pending of batch) pending.resolve();
    } catch (error) {
      if (this.closed) {
        for (const pending of batch) pending.reject(error as Error);
        return;
      }
      this.logger.error({ err: error, records: batch.length, retry_in_ms: backoffMs }, 'webhook retries topic: write failed, retrying');
      setTimeout(() => void this.send(batch, Math.min(backoffMs * 2, 30_000)), backoffMs).unref();
    }
  }
}
