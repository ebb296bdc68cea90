import type { Producer } from 'kafkajs';
import { createEvent, eventKey } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import { redactUrl } from './ssrf-guard.js';
import type { DisabledReason } from './subscription-schema.js';
import type { SubscriptionStore } from './subscription-store.js';

/**
 * Disables an endpoint (410 Gone, or failing for its whole grace period) and announces it with
 * an `endpoint.disabled` event on the events topic. The event goes out first: if the process
 * dies in between, the next failure disables again and the event may be sent twice, but it is
 * never lost. The event is routed to the owner's other endpoints, never to the disabled one.
 */
export interface EndpointDisabledData {
  subscription_id: string;
  owner: string | null;
  /** Scheme, host and path only: query strings may hold tokens. */
  url: string;
  reason: Exclude<DisabledReason, 'manual'>;
  failing_since: string | null;
  last_status_code: number | null;
}

export class EndpointDisabler {
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly store: SubscriptionStore,
    private readonly producer: Producer,
    private readonly eventsTopic: string,
    private readonly logger: Logger,
  ) {}

  async disable(subscriptionId: string, reason: EndpointDisabledData['reason'], detail: { failingSince: string | null; statusCode: number | null }): Promise<void> {
    const current = this.store.get(subscriptionId);
    if (!current || !current.enabled || this.inProgress.has(subscriptionId)) return;
    this.inProgress.add(subscriptionId);
    try {
      const data: EndpointDisabledData = {
        subscription_id: current.id,
        owner: current.owner,
        url: redactUrl(current.url),
        reason,
        failing_since: detail.failingSince,
        last_status_code: detail.statusCode,
      };
      const event = createEvent('endpoint.disabled', null, data);
      await this.producer.send({ topic: this.eventsTopic, acks: -1, messages: [{ key: eventKey(event), value: JSON.stringify(event) }] });
      const now = new Date().toISOString();
      const latest = this.store.get(subscriptionId) ?? current;
      await this.store.put({ ...latest, enabled: false, disabled_reason: reason, disabled_at: now, updated_at: now, revision: latest.revision + 1 });
      this.logger.warn({ subscription_id: subscriptionId, reason, url: data.url }, 'webhook endpoint disabled');
    } finally {
      this.inProgress.delete(subscriptionId);
    }
  }
}
