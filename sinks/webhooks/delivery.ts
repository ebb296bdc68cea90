import { v5 as uuidv5 } from 'uuid';
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

// Fixed namespace for delivery ids derived from (event id, subscription id).
const DELIVERY_NAMESPACE = '6f3c1c52-6c0e-4d55-9a3e-6e1f9d0b7a21';

export function automaticDeliveryId(eventId: string, subscriptionId: string): string {
  return uuidv5(`${eventId}/${subscriptionId}`, DELIVERY_NAMESPACE);
}
