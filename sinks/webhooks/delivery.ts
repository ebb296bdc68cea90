import { createHash } from 'node:crypto';
import type { DeliveryTrigger } from './delivery-log.js';

/**
 * One delivery: one event's body on its way to one endpoint, over one or more attempts. The
 * `event_id` is the `webhook-id` of every attempt; `delivery_id` names the delivery in the log.
 * The automatic delivery of an event to a subscription has a deterministic id, so a redelivery
 * after a restart is logged under the same delivery; a manual retry, a replay or a test event
 * starts a new delivery (with `retry_of` naming the one it repeats).
 */
export interface Delivery {
  delivery_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  connection_id: string | null;
  /** The exact bytes to sign and send, the same on every attempt. */
  body: string;
  /** The attempt about to be made, from 1. */
  attempt: number;
  /** null: as many as the retry schedule has; test events make one attempt. */
  max_attempts: number | null;
  trigger: DeliveryTrigger;
  retry_of: string | null;
}

/**
 * A name-based id (RFC 9562 version 5 layout: SHA-1 of the names, version and variant bits set).
 * Hashed directly with node:crypto: this runs for every delivery, and the uuid package's v5 cost
 * a noticeable share of the CPU at a thousand deliveries per second.
 */
export function automaticDeliveryId(eventId: string, subscriptionId: string): string {
  const hash = createHash('sha1').update(`millrace-delivery/${eventId}/${subscriptionId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
