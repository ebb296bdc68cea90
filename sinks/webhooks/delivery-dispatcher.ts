import type { Logger } from '../../platform/logger.js';
import type { AttemptDecision, AttemptRunner } from './attempt-runner.js';
import type { Delivery } from './delivery.js';
import type { EndpointQueues } from './endpoint-queues.js';
import type { RetryRecord } from './retry-record.js';
import type { RetryWriter } from './retry-writer.js';
import type { SubscriptionStore } from './subscription-store.js';

/**
 * Runs deliveries through their endpoint's queue and makes each outcome durable:
 * - a failed attempt that will be retried becomes a retry record (which, for a retry, also
 *   supersedes the record it came from);
 * - a finished retry (delivered, given up, skipped) gets a done marker;
 * - a new delivery whose endpoint backlog is full is spilled to the retry topic, due now.
 * The promises resolve true once that write is acknowledged (the caller may then commit), and
 * false when the sink is stopping and the write could not be made (the caller must not commit).
 */
// If the attempt itself crashed (a bug), try again after a minute rather than lose the delivery.
const CRASHED_ATTEMPT_RETRY_MS = 60_000;

export class DeliveryDispatcher {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly queues: EndpointQueues,
    private readonly runner: AttemptRunner,
    private readonly writer: RetryWriter,
    private readonly logger: Logger,
  ) {}

  /** A delivery's first attempt (or a spilled one); resolves once its outcome is durable. */
  dispatchNew(delivery: Delivery): Promise<boolean> {
    const subscription = this.store.get(delivery.subscription_id);
    if (!subscription) return this.attemptAndRecord(delivery, null);
    return new Promise((resolve) => {
      const queued = this.queues.trySchedule(subscription, () => this.attemptAndRecord(delivery, null).then(resolve));
      if (queued) return;
      this.queues.recordSpill(subscription.id);
      this.writer.writeRetry(delivery, Date.now(), null).then(
        () => resolve(true),
        () => resolve(false),
      );
    });
  }

  /** A due retry record; 'busy' when the endpoint's backlog is full and the caller should wait. */
  dispatchRetry(record: RetryRecord): 'busy' | Promise<boolean> {
    const subscription = this.store.get(record.subscription_id);
    const delivery = toDelivery(record);
    if (!subscription) return this.attemptAndRecord(delivery, record.retry_id);
    let settled!: (durable: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => (settled = resolve));
    const queued = this.queues.trySchedule(subscription, () => this.attemptAndRecord(delivery, record.retry_id).then(settled));
    return queued ? outcome : 'busy';
  }

  /** Never rejects: false means the outcome could not be written (stopping). */
  private async attemptAndRecord(delivery: Delivery, supersedes: string | null): Promise<boolean> {
    let decision: AttemptDecision;
    try {
      decision = await this.runner.run(delivery);
    } catch (error) {
      this.logger.error({ err: error, delivery_id: delivery.delivery_id }, 'webhook attempt crashed; retrying it later');
      decision = { next: 'retry', dueAt: Date.now() + CRASHED_ATTEMPT_RETRY_MS };
    }
    try {
      if (decision.next === 'retry') {
        await this.writer.writeRetry({ ...delivery, attempt: delivery.attempt + 1 }, decision.dueAt, supersedes);
      } else if (supersedes) {
        await this.writer.writeDone(supersedes, delivery.subscription_id);
      }
      return true;
    } catch {
      return false;
    }
  }
}

function toDelivery(record: RetryRecord): Delivery {
  return {
    delivery_id: record.delivery_id,
    subscription_id: record.subscription_id,
    event_id: record.event_id,
    event_type: record.event_type,
    connection_id: record.connection_id,
    body: record.body,
    attempt: record.attempt,
    max_attempts: record.max_attempts,
    trigger: record.trigger,
    retry_of: record.retry_of,
  };
}
