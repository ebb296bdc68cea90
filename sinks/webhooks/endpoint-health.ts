import type { Logger } from '../../platform/logger.js';
import type { StoredHealth, StoredSubscription } from './subscription-schema.js';
import type { SubscriptionStore } from './subscription-store.js';

/**
 * Tracks, per endpoint, since when it has been failing (first failed attempt after the last
 * success), and decides when it has failed for its whole grace period (default 5 days) and must
 * be disabled. Failures before the endpoint was last (re-)enabled do not count.
 *
 * The state survives restarts in the subscriptions topic (key `health:<id>`). Only changes of
 * `failing_since` need saving; they are written at most every `persistIntervalMs`, so a crash
 * loses a few seconds of health at worst (the disable then comes that much later). Each worker
 * keeps its own view; with several workers the last write wins, which can only delay a disable.
 */
export interface EndpointHealthOptions {
  gracePeriodMs: number;
  persistIntervalMs?: number;
  logger: Logger;
}

interface HealthState extends StoredHealth {
  dirty: boolean;
}

export class EndpointHealth {
  private readonly states = new Map<string, HealthState>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: SubscriptionStore,
    private readonly options: EndpointHealthOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.persist(), this.options.persistIntervalMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.persist();
  }

  recordSuccess(subscriptionId: string, at: Date = new Date()): void {
    const state = this.state(subscriptionId);
    if (state.failing_since !== null) state.dirty = true;
    state.failing_since = null;
    state.last_success_at = at.toISOString();
  }

  /** Records a failed attempt; true when the endpoint has now failed for its whole grace period. */
  recordFailure(subscription: StoredSubscription, at: Date = new Date()): boolean {
    const state = this.state(subscription.id);
    if (state.failing_since === null) {
      state.failing_since = at.toISOString();
      state.dirty = true;
    }
    state.last_failure_at = at.toISOString();
    const since = Math.max(Date.parse(state.failing_since), Date.parse(subscription.enabled_at));
    return at.getTime() - since >= this.options.gracePeriodMs;
  }

  failingSince(subscriptionId: string): string | null {
    return this.state(subscriptionId).failing_since;
  }

  /** Drops what is known of a deleted endpoint. */
  forget(subscriptionId: string): void {
    this.states.delete(subscriptionId);
  }

  async persist(): Promise<void> {
    for (const state of this.states.values()) {
      if (!state.dirty || !this.store.get(state.subscription_id)) continue;
      state.dirty = false;
      const { dirty: _dirty, ...health } = state;
      try {
        await this.store.putHealth(health);
      } catch (error) {
        state.dirty = true;
        this.options.logger.warn({ err: error, subscription_id: state.subscription_id }, 'endpoint health not saved; will retry');
      }
    }
  }

  private state(subscriptionId: string): HealthState {
    let state = this.states.get(subscriptionId);
    if (!state) {
      const stored = this.store.health(subscriptionId);
      state = {
        kind: 'health',
        subscription_id: subscriptionId,
        failing_since: stored?.failing_since ?? null,
        last_success_at: stored?.last_success_at ?? null,
        last_failure_at: stored?.last_failure_at ?? null,
        dirty: false,
      };
      this.states.set(subscriptionId, state);
    }
    return state;
  }
}
