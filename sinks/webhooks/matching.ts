import { eventTypeMatches, type MillraceEvent } from '../../platform/events.js';
import type { StoredSubscription } from './subscription-schema.js';

/**
 * Which subscriptions an event goes to. Rules:
 * - the subscription is enabled and one of its event-type patterns matches;
 * - a connection filter admits only events of those connections, so system events
 *   (connection_id null) reach only subscriptions without a connection filter;
 * - an entity filter narrows record.* events only; other event types pass it;
 * - `endpoint.disabled` goes to the owner's other endpoints, never to the endpoint it announces;
 * - `webhook.test` is addressed to one subscription and never fanned out;
 * - an event older than the subscription is not sent to it (replay is for history), which also
 *   lets a new consumer group start from the beginning of the events topic without flooding.
 */
export interface MatchOptions {
  /** Replay: judge the filters only, not whether the endpoint is enabled or the event predates it. */
  history?: boolean;
}

export function subscriptionMatches(
  subscription: StoredSubscription,
  event: MillraceEvent,
  options: MatchOptions = {},
  eventMs: number = Date.parse(event.timestamp),
): boolean {
  if (event.type === 'webhook.test') return false;
  if (!options.history) {
    if (!subscription.enabled) return false;
    if (eventMs < Date.parse(subscription.created_at)) return false;
  }
  if (!subscription.event_types.some((pattern) => eventTypeMatches(pattern, event.type))) return false;
  if (subscription.connection_ids) {
    if (event.connection_id === null || !subscription.connection_ids.includes(event.connection_id)) return false;
  }
  if (subscription.entities && event.type.startsWith('record.')) {
    if (!subscription.entities.includes(String(event.data.entity))) return false;
  }
  if (event.type === 'endpoint.disabled') {
    if (event.data.subscription_id === subscription.id) return false;
    if ((event.data.owner ?? null) !== subscription.owner) return false;
  }
  return true;
}

export function matchingSubscriptions(subscriptions: Iterable<StoredSubscription>, event: MillraceEvent): StoredSubscription[] {
  const matches: StoredSubscription[] = [];
  const eventMs = Date.parse(event.timestamp);
  for (const subscription of subscriptions) if (subscriptionMatches(subscription, event, {}, eventMs)) matches.push(subscription);
  return matches;
}
