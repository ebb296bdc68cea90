import Bottleneck from 'bottleneck';
import type { StoredSubscription } from './subscription-schema.js';

/**
 * One queue per endpoint, so a slow or dead endpoint only ever holds up its own deliveries.
 * Each queue runs at most `max_concurrency` requests at once and, when the subscription sets
 * one, no more than `rate_limit_per_second` (Bottleneck: maxConcurrent and minTime).
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
  limiter: Bottleneck;
  settings: string;
  spilled: number;
}

export class EndpointQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly maxBacklog: number) {}

  /** Queues `job` for the endpoint; false when its backlog is full. `job` must not reject. */
  trySchedule(subscription: StoredSubscription, job: () => Promise<void>): boolean {
    const queue = this.queueFor(subscription);
    const counts = queue.limiter.counts();
    if (counts.RECEIVED + counts.QUEUED >= this.maxBacklog) return false;
    void queue.limiter.schedule(job);
    return true;
  }

  /** Counts a new delivery that went to the retry topic because the backlog was full. */
  recordSpill(subscriptionId: string): void {
    const queue = this.queues.get(subscriptionId);
    if (queue) queue.spilled += 1;
  }

  /** Requests running or waiting, for one endpoint. */
  load(subscriptionId: string): number {
    const counts = this.queues.get(subscriptionId)?.limiter.counts();
    return counts ? counts.RECEIVED + counts.QUEUED + counts.RUNNING + counts.EXECUTING : 0;
  }

  stats(): EndpointQueueStats[] {
    return [...this.queues].map(([id, queue]) => {
      const counts = queue.limiter.counts();
      return { subscription_id: id, queued: counts.RECEIVED + counts.QUEUED, running: counts.RUNNING + counts.EXECUTING, spilled: queue.spilled };
    });
  }

  /** Waits until every queue is empty (for a clean stop), or the timeout passes. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && [...this.queues.keys()].some((id) => this.load(id) > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Forgets an idle queue (deleted subscription); a busy one finishes its jobs first. */
  forget(subscriptionId: string): void {
    if (this.load(subscriptionId) === 0) this.queues.delete(subscriptionId);
  }

  private queueFor(subscription: StoredSubscription): Queue {
    const settings = `${subscription.max_concurrency}/${subscription.rate_limit_per_second ?? '-'}`;
    const options = {
      maxConcurrent: subscription.max_concurrency,
      minTime: subscription.rate_limit_per_second ? Math.ceil(1000 / subscription.rate_limit_per_second) : 0,
    };
    let queue = this.queues.get(subscription.id);
    if (!queue) {
      queue = { limiter: new Bottleneck(options), settings, spilled: 0 };
      this.queues.set(subscription.id, queue);
    } else if (queue.settings !== settings) {
      queue.limiter.updateSettings(options);
      queue.settings = settings;
    }
    return queue;
  }
}
