import type { Kafka } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import type { ClickHouse } from '../../platform/clickhouse.js';
import { createEvent, type MillraceEvent } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import type { Delivery } from './delivery.js';
import { deliveryMessageRow, type DeliveryMessageRow } from './delivery-log.js';
import { insertDeliveryMessages } from './delivery-queries.js';
import { WebhookError } from './errors.js';
import { readEventsInRange } from './event-history.js';
import { subscriptionMatches } from './matching.js';
import { buildPayload } from './payload.js';
import type { RetryWriter } from './retry-writer.js';
import type { StoredSubscription } from './subscription-schema.js';

/**
 * Deliveries a user asks for — a manual retry, a replay, a test event — as opposed to those the
 * events consumer makes. Each becomes a new delivery (new delivery id, same webhook-id as the
 * event) whose body is logged first, so it can be retried in turn, and which is then written to
 * the retry topic due now: the sink delivers it like any retry, restarts included.
 */
export interface ReplayResult {
  /** Events of the range read from the events topic (any type). */
  scanned: number;
  /** Deliveries queued for the endpoint (the events its filters match). */
  queued: number;
}

export interface RequestedDeliveriesOptions {
  kafka: Kafka;
  eventsTopic: string;
  clickhouse: ClickHouse;
  writer: RetryWriter;
  logger: Logger;
  maxReplayEvents: number;
}

const REPLAY_BATCH = 500;

export class RequestedDeliveries {
  constructor(private readonly options: RequestedDeliveriesOptions) {}

  /** The logged delivery again, with its exact body, and a fresh retry schedule. */
  async retry(message: DeliveryMessageRow): Promise<string> {
    const delivery = newDelivery(message, { trigger: 'manual', retry_of: message.delivery_id });
    await this.queue([delivery]);
    return delivery.delivery_id;
  }

  async replay(subscription: StoredSubscription, range: { fromMs: number; toMs: number }): Promise<ReplayResult> {
    const batch: Delivery[] = [];
    let queued = 0;
    const flush = async () => {
      queued += batch.length;
      await this.queue(batch.splice(0));
    };
    const { scanned } = await readEventsInRange(this.options.kafka, this.options.eventsTopic, range, {
      maxMessages: this.options.maxReplayEvents,
      logger: this.options.logger,
      onEvent: async (event) => {
        if (!subscriptionMatches(subscription, event, { history: true })) return;
        batch.push(newDelivery(eventFields(event, subscription), { trigger: 'replay' }));
        if (batch.length >= REPLAY_BATCH) await flush();
      },
    });
    await flush();
    return { scanned, queued };
  }

  /** A `webhook.test` event for one endpoint: one attempt, never retried. */
  async test(subscription: StoredSubscription): Promise<{ event_id: string; delivery_id: string }> {
    const event = createEvent('webhook.test', null, { subscription_id: subscription.id, message: 'A test event from Millrace: this endpoint receives webhooks.' });
    const delivery = newDelivery(eventFields(event, subscription), { trigger: 'test', max_attempts: 1 });
    await this.queue([delivery]);
    return { event_id: event.id, delivery_id: delivery.delivery_id };
  }

  private async queue(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const now = new Date().toISOString();
    const rows = deliveries.map((delivery) => deliveryMessageRow(delivery, now));
    try {
      await insertDeliveryMessages(this.options.clickhouse, rows, deliveries[0]!.delivery_id);
      await Promise.all(deliveries.map((delivery) => this.options.writer.writeRetry(delivery, Date.now(), null)));
    } catch (error) {
      throw new WebhookError('webhook_store_unavailable', `Queuing the deliveries failed: ${(error as Error).message}. Try again.`, undefined, { cause: error });
    }
  }
}

type DeliverySource = Pick<Delivery, 'subscription_id' | 'event_id' | 'event_type' | 'connection_id' | 'body'>;

function eventFields(event: MillraceEvent, subscription: StoredSubscription): DeliverySource {
  return { subscription_id: subscription.id, event_id: event.id, event_type: event.type, connection_id: event.connection_id, body: buildPayload(event, subscription.include_record) };
}

function newDelivery(source: DeliverySource, extra: Pick<Delivery, 'trigger'> & Partial<Pick<Delivery, 'retry_of' | 'max_attempts'>>): Delivery {
  return {
    delivery_id: uuidv7(),
    subscription_id: source.subscription_id,
    event_id: source.event_id,
    event_type: source.event_type,
    connection_id: source.connection_id,
    body: source.body,
    attempt: 1,
    max_attempts: extra.max_attempts ?? null,
    trigger: extra.trigger,
    retry_of: extra.retry_of ?? null,
  };
}
