import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { Logger } from '../../platform/logger.js';
import type { Delivery } from './delivery.js';
import type { AttemptOutcome, DeliveryLog } from './delivery-log.js';
import type { EndpointDisabler } from './endpoint-disabler.js';
import type { EndpointHealth } from './endpoint-health.js';
import { postWebhook, type AttemptResult } from './http-sender.js';
import { classifyStatus, retryDelayMs } from './retry-schedule.js';
import type { SecretCipher } from './secret-cipher.js';
import { signDelivery } from './signing.js';
import type { StoredSubscription } from './subscription-schema.js';
import type { SubscriptionStore } from './subscription-store.js';

/**
 * Makes one attempt of a delivery and decides what comes next: nothing more (delivered, given
 * up, endpoint disabled or gone) or another attempt at a given time. Every attempt, including a
 * skipped one, becomes a row of the delivery log. The caller makes the decision durable (a retry
 * record or a done marker) before it commits anything.
 */
export type AttemptDecision = { next: 'done' } | { next: 'retry'; dueAt: number };

export interface AttemptRunnerOptions {
  store: SubscriptionStore;
  health: EndpointHealth;
  disabler: EndpointDisabler;
  log: DeliveryLog;
  cipher: SecretCipher;
  dispatcher: Dispatcher;
  schedule: readonly number[];
  /** A 2xx must arrive within this time (default 10 s). */
  timeoutMs: number;
  workerId: string;
  logger: Logger;
  random?: () => number;
}

export class AttemptRunner {
  /** Attempts made since start, by outcome (metrics). */
  readonly outcomes = new Map<AttemptOutcome, number>();
  private readonly secretCache = new Map<string, { revision: number; secrets: { secret: string; expiresAt: number }[] }>();

  constructor(private readonly options: AttemptRunnerOptions) {}

  async run(delivery: Delivery): Promise<AttemptDecision> {
    const subscription = this.options.store.get(delivery.subscription_id);
    if (!subscription) return this.skip(delivery, '', 'subscription_deleted: the subscription no longer exists');
    if (!subscription.enabled && delivery.trigger !== 'test') {
      return this.skip(delivery, subscription.url, `endpoint_disabled: the endpoint is disabled (${subscription.disabled_reason ?? 'manual'})`);
    }
    const attemptedAt = new Date();
    let result: AttemptResult;
    try {
      const signed = signDelivery(this.activeSecrets(subscription, attemptedAt.getTime()), delivery.event_id, attemptedAt, delivery.body);
      result = await postWebhook(this.options.dispatcher, subscription.url, delivery.body, signed, this.options.timeoutMs);
    } catch (error) {
      // Only an undecryptable secret gets here (postWebhook never throws): retry, the key may be added.
      result = { durationMs: 0, responseBody: '', error: { code: (error as { code?: string }).code ?? 'signing_failed', message: (error as Error).message } };
    }
    return this.decide(delivery, subscription, attemptedAt, result);
  }

  private async decide(delivery: Delivery, subscription: StoredSubscription, attemptedAt: Date, result: AttemptResult): Promise<AttemptDecision> {
    const verdict = classifyStatus(result.status);
    const statusCode = result.status ?? null;
    if (verdict === 'succeeded') {
      this.options.health.recordSuccess(subscription.id, attemptedAt);
      this.logAttempt(delivery, subscription.url, attemptedAt, result, 'succeeded', null);
      return { next: 'done' };
    }
    // Test deliveries say whether the endpoint works; they never change its health.
    const counts = delivery.trigger !== 'test';
    const failedTooLong = counts && this.options.health.recordFailure(subscription, attemptedAt);
    if (counts && (verdict === 'gone' || failedTooLong)) {
      this.logAttempt(delivery, subscription.url, attemptedAt, result, 'endpoint_disabled', null);
      try {
        await this.options.disabler.disable(subscription.id, verdict === 'gone' ? 'gone' : 'failing', {
          failingSince: this.options.health.failingSince(subscription.id),
          statusCode,
        });
      } catch (error) {
        // The endpoint stays enabled for now; its next failure disables it again.
        this.options.logger.error({ err: error, subscription_id: subscription.id }, 'disabling a webhook endpoint failed');
      }
      return { next: 'done' };
    }
    const nextAttempt = delivery.attempt + 1;
    const withinLimit = delivery.max_attempts === null || nextAttempt <= delivery.max_attempts;
    const delay = withinLimit ? retryDelayMs(this.options.schedule, nextAttempt, result.retryAfterMs, this.options.random) : null;
    if (delay === null) {
      this.logAttempt(delivery, subscription.url, attemptedAt, result, 'failed', null);
      return { next: 'done' };
    }
    const dueAt = Date.now() + delay;
    this.logAttempt(delivery, subscription.url, attemptedAt, result, 'retrying', dueAt);
    return { next: 'retry', dueAt };
  }

  private skip(delivery: Delivery, url: string, reason: string): AttemptDecision {
    this.logAttempt(delivery, url, new Date(), { durationMs: 0, responseBody: '', error: { code: 'skipped', message: reason } }, 'skipped', null);
    return { next: 'done' };
  }

  private logAttempt(delivery: Delivery, url: string, attemptedAt: Date, result: AttemptResult, outcome: AttemptOutcome, nextAt: number | null): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    this.options.log.recordAttempt({
      attempt_id: randomUUID(),
      delivery_id: delivery.delivery_id,
      event_id: delivery.event_id,
      event_type: delivery.event_type,
      subscription_id: delivery.subscription_id,
      connection_id: delivery.connection_id,
      attempt: delivery.attempt,
      trigger: delivery.trigger,
      url,
      status_code: result.status ?? 0,
      duration_ms: result.durationMs,
      response_body: result.responseBody,
      error: result.error ? (result.error.code === 'skipped' ? result.error.message : `${result.error.code}: ${result.error.message}`) : '',
      attempted_at: attemptedAt.toISOString(),
      next_attempt_at: nextAt === null ? null : new Date(nextAt).toISOString(),
      outcome,
      worker_id: this.options.workerId,
    });
  }

  /** The current secret and any rotated-out one still in its grace period, decrypted once per revision. */
  private activeSecrets(subscription: StoredSubscription, now: number): string[] {
    let cached = this.secretCache.get(subscription.id);
    if (!cached || cached.revision !== subscription.revision) {
      cached = {
        revision: subscription.revision,
        secrets: subscription.secrets.map((stored) => ({
          secret: this.options.cipher.open(subscription.id, stored.sealed),
          expiresAt: stored.expires_at ? Date.parse(stored.expires_at) : Infinity,
        })),
      };
      this.secretCache.set(subscription.id, cached);
    }
    return cached.secrets.filter((entry) => entry.expiresAt > now).map((entry) => entry.secret);
  }
}
