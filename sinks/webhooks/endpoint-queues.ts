import pLimit, { type LimitFunction } from 'p-limit';
import type { StoredSubscription } from './subscription-schema.js';

/**
 * One queue per endpoint, so a slow or dead endpoint only ever holds up its own deliveries.
 * Each queue runs at most `max_concurrency` requests at once (p-limit) and, when the
 * subscription sets one, starts no more than `rate_limit_per_second` (requests spaced evenly).
 *
 * The backlog of each queue is bounded (`maxBacklog` deliveries waiting): `trySchedule` refuses
 * a job when the queue is full, and the caller spills the delivery to the retry topic instead
 * of waiting, so the events consumer never blocks behind one endpoint.
 */
export interface EndpointQueueStats {
  subscription_id: string;
  queued: number;
  running: number;
  /** Deliveries refused by a full backlog since start (spilled to the retry topic). */
  spilled: number;
}

interface Queue {
  limit: LimitFunction;
  /** Milliseconds between request starts; 0 without a rate limit. */
  spacingMs: number;
  /** When the next request may start under the rate limit. */
  nextStartAt: number;
  spilled: number;
}

export class EndpointQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly maxBacklog: number) {}

  /** Queues `job` for the endpoint; false when its backlog is full. `job` must not reject. */
  trySchedule(subscription: StoredSubscription, job: () => Promise<unknown>): boolean {
    const queue = this.queueFor(subscription);
    if (queue.limit.pendingCount >= this.maxBacklog) return false;
    void queue.limit(async () => {
      await this.rateSlot(queue);
      await job();
    });
    return true;
  }

  /** Counts a new delivery that went to the retry topic because the backlog was full. */
  recordSpill(subscriptionId: string): void {
    const queue = this.queues.get(subscriptionId);
    if (queue) queue.spilled += 1;
  }

  /** Requests running or waiting, for one endpoint. */
  load(subscriptionId: string): number {
    const queue = this.queues.get(subscriptionId);
    return queue ? queue.limit.activeCount + queue.limit.pendingCount : 0;
  }

  stats(): EndpointQueueStats[] {
    return [...this.queues].map(([id, queue]) => ({ subscription_id: id, queued: queue.limit.pendingCount, running: queue.limit.activeCount, spilled: queue.spilled }));
  }

  /** Waits until every queue is empty (for a clean stop), or the timeout passes. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && [...this.queues.keys()].some((id) => this.load(id) > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Drops every delivery still waiting (stopping: they were not committed and are redone after a restart). */
  clear(): void {
    for (const queue of this.queues.values()) queue.limit.clearQueue();
  }

  /** Forgets an idle queue (deleted subscription); a busy one finishes its jobs first. */
  forget(subscriptionId: string): void {
    if (this.load(subscriptionId) === 0) this.queues.delete(subscriptionId);
  }

  private async rateSlot(queue: Queue): Promise<void> {
    if (queue.spacingMs === 0) return;
    const now = Date.now();
    const startAt = Math.max(now, queue.nextStartAt);
    queue.nextStartAt = startAt + queue.spacingMs;
    if (startAt > now) await new Promise((resolve) => setTimeout(resolve, startAt - now));
  }

  private queueFor(subscription: StoredSubscription): Queue {
    let queue = this.queues.get(subscription.id);
    if (!queue) {
      queue = { limit: pLimit(subscription.max_concurrency), spacingMs: 0, nextStartAt: 0, spilled: 0 };
      this.queues.set(subscription.id, queue);
    }
    // Settings follow subscription updates.
    if (queue.limit.concurrency !== subscription.max_concurrency) queue.limit.concurrency = subscription.max_concurrency;
    queue.spacingMs = subscription.rate_limit_per_second ? 1000 / subscription.rate_limit_per_second : 0;
    return queue;
  }
}
