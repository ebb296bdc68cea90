import type { Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { ensureWebhookTables } from './ddl.js';
import type { DeliveryAttemptRow } from './delivery-log.js';
import { deliveryQuerySchema, findDeliveryMessage, queryDeliveries, type DeliveryQuery } from './delivery-queries.js';
import { WebhookError } from './errors.js';
import { RequestedDeliveries, type ReplayResult } from './requested-deliveries.js';
import { RetryWriter } from './retry-writer.js';
import { createSecretCipher, generateSigningSecret, type SecretCipher } from './secret-cipher.js';
import { validateWebhookUrl } from './ssrf-guard.js';
import {
  connectionWebhookSchema,
  listSubscriptionsSchema,
  publicView,
  replayRangeSchema,
  rotateSecretSchema,
  subscriptionCreateSchema,
  subscriptionUpdateSchema,
  type StoredSubscription,
  type Subscription,
} from './subscription-schema.js';
import { SubscriptionStore } from './subscription-store.js';
import { ensureWebhookTopics, webhookTopics } from './webhook-topics.js';
import type { WebhookStageOptions } from './stage-options.js';

export type { ReplayResult } from './requested-deliveries.js';

/**
 * What the API mounts for webhook subscriptions: create/list/get/update/delete, secret rotation,
 * the delivery log, manual retry, replay and test events. Inputs are checked against the zod
 * schemas in subscription-schema.ts; every failure is a WebhookError with a stable code and an
 * HTTP status. The signing secret is returned once, by create and rotateSecret, and is otherwise
 * kept only encrypted in the subscriptions topic.
 *
 * Manual retries, replays and test events are written to the retry topic, due now, and the
 * webhook sink delivers them like any retry (so they survive restarts too); their attempts
 * appear in `deliveries()` within moments.
 */
export interface SubscriptionServiceOptions extends WebhookStageOptions {
  /** Share the sink's store when both run in one process. */
  store?: SubscriptionStore;
  /** The most events one replay may read from the events topic. */
  maxReplayEvents?: number;
}


export class SubscriptionService {
  private readonly store: SubscriptionStore;
  private readonly ownsStore: boolean;
  private readonly cipher: SecretCipher;
  private readonly topics: ReturnType<typeof webhookTopics>;
  private producer: Producer | undefined;
  private writer: RetryWriter | undefined;
  private requestedDeliveries: RequestedDeliveries | undefined;

  constructor(private readonly options: SubscriptionServiceOptions) {
    this.topics = webhookTopics(options.topicPrefix);
    this.ownsStore = !options.store;
    this.store = options.store ?? new SubscriptionStore({ kafka: options.kafka, topic: this.topics.subscriptions, logger: options.logger });
    this.cipher = createSecretCipher(options.keyRing);
  }

  /** Creates the topics and tables if missing and reads the subscriptions; call once before use. */
  async start(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      await ensureWebhookTopics(admin, this.options.topicPrefix, { partitions: this.options.partitions ?? 3, replicationFactor: this.options.replicationFactor ?? 1 });
    } finally {
      await admin.disconnect();
    }
    await ensureWebhookTables(this.options.clickhouse);
    if (this.ownsStore) await this.store.start();
    this.producer = this.options.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    this.writer = new RetryWriter(this.producer, this.topics.retries, this.options.logger);
    this.requestedDeliveries = new RequestedDeliveries({
      kafka: this.options.kafka,
      eventsTopic: this.topics.events,
      clickhouse: this.options.clickhouse,
      writer: this.writer,
      logger: this.options.logger,
      maxReplayEvents: this.options.maxReplayEvents ?? 1_000_000,
    });
  }

  async close(): Promise<void> {
    this.writer?.close();
    await this.producer?.disconnect();
    if (this.ownsStore) await this.store.stop();
  }

  /** Creates a subscription; the returned `secret` is shown this once. */
  async create(input: unknown): Promise<{ subscription: Subscription; secret: string }> {
    const parsed = parseInput(subscriptionCreateSchema, input);
    const url = await this.checkUrl(parsed.url);
    const id = `wh_${uuidv7()}`;
    const secret = generateSigningSecret();
    const now = new Date().toISOString();
    const stored: StoredSubscription = {
      kind: 'subscription',
      id,
      ...parsed,
      url,
      disabled_reason: parsed.enabled ? null : 'manual',
      disabled_at: parsed.enabled ? null : now,
      secrets: [{ sealed: this.cipher.seal(id, secret), created_at: now, expires_at: null }],
      enabled_at: now,
      created_at: now,
      updated_at: now,
      revision: 1,
    };
    await this.store.put(stored);
    this.options.logger.info({ subscription_id: id, owner: stored.owner }, 'webhook subscription created');
    return { subscription: publicView(stored), secret };
  }

  /** For the connect flow: a subscription limited to the connection just created. */
  async createForConnection(connectionId: string, input: unknown): Promise<{ subscription: Subscription; secret: string }> {
    const parsed = parseInput(connectionWebhookSchema, input);
    return this.create({ ...parsed, connection_ids: [connectionId] });
  }

  /** `connectionId` lists the subscriptions that receive that connection's events (its own and unfiltered ones). */
  list(filter: z.input<typeof listSubscriptionsSchema> = {}): Subscription[] {
    const { owner, connectionId } = parseInput(listSubscriptionsSchema, filter);
    return [...this.store.all()]
      .filter((stored) => owner === undefined || stored.owner === owner)
      .filter((stored) => connectionId === undefined || stored.connection_ids === null || stored.connection_ids.includes(connectionId))
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
      .map(publicView);
  }

  get(id: string): Subscription {
    return publicView(this.require(id));
  }

  async update(id: string, input: unknown): Promise<Subscription> {
    const current = this.require(id);
    const patch = parseInput(subscriptionUpdateSchema, input);
    const now = new Date().toISOString();
    const next: StoredSubscription = { ...current, ...patch, updated_at: now, revision: current.revision + 1 };
    if (patch.url !== undefined) next.url = await this.checkUrl(patch.url);
    if (patch.enabled === false && current.enabled) Object.assign(next, { disabled_reason: 'manual', disabled_at: now });
    // Re-enabling starts the failure clock afresh.
    if (patch.enabled === true && !current.enabled) Object.assign(next, { disabled_reason: null, disabled_at: null, enabled_at: now });
    await this.store.put(next);
    return publicView(next);
  }

  /** Deletes the subscription; its pending retries are dropped (logged as skipped) when they come due. */
  async delete(id: string): Promise<void> {
    this.require(id);
    await this.store.remove(id);
    this.options.logger.info({ subscription_id: id }, 'webhook subscription deleted');
  }

  /**
   * A new signing secret, returned once. The previous one keeps signing beside it (two
   * signatures per delivery) for `graceSeconds`, so receivers can switch without losing events.
   */
  async rotateSecret(id: string, input: z.input<typeof rotateSecretSchema> = {}): Promise<{ secret: string; previous_expires_at: string | null }> {
    const { graceSeconds } = parseInput(rotateSecretSchema, input);
    const current = this.require(id);
    const now = Date.now();
    const expiresAt = graceSeconds > 0 ? new Date(now + graceSeconds * 1000).toISOString() : null;
    const kept = current.secrets
      .filter((stored) => stored.expires_at === null || Date.parse(stored.expires_at) > now)
      .map((stored) => (stored.expires_at === null ? { ...stored, expires_at: expiresAt } : stored))
      .filter((stored) => stored.expires_at !== null);
    const secret = generateSigningSecret();
    const nowIso = new Date(now).toISOString();
    await this.store.put({
      ...current,
      secrets: [{ sealed: this.cipher.seal(id, secret), created_at: nowIso, expires_at: null }, ...kept],
      updated_at: nowIso,
      revision: current.revision + 1,
    });
    this.options.logger.info({ subscription_id: id, grace_seconds: graceSeconds }, 'webhook signing secret rotated');
    return { secret, previous_expires_at: expiresAt };
  }

  /** Attempts from the delivery log, newest first (see deliveryQuerySchema). */
  async deliveries(query: DeliveryQuery): Promise<DeliveryAttemptRow[]> {
    return queryDeliveries(this.options.clickhouse, parseInput(deliveryQuerySchema, query));
  }

  /** Sends one delivery again (same body and webhook-id) as a new delivery with its own retry schedule. */
  async retryDelivery(deliveryId: string): Promise<{ delivery_id: string }> {
    const message = await findDeliveryMessage(this.options.clickhouse, deliveryId);
    if (!message) {
      throw new WebhookError('webhook_delivery_not_found', `No webhook delivery ${deliveryId} is in the delivery log (it may be older than the log's 90 days).`, { delivery_id: deliveryId });
    }
    this.requireEnabled(message.subscription_id);
    return { delivery_id: await this.requested().retry(message) };
  }

  /** Re-sends every event of [from, to] that the subscription's filters match, read from the events topic. */
  async replay(subscriptionId: string, input: z.input<typeof replayRangeSchema>): Promise<ReplayResult> {
    const range = parseInput(replayRangeSchema, input);
    const subscription = this.requireEnabled(subscriptionId);
    const result = await this.requested().replay(subscription, { fromMs: Date.parse(range.from), toMs: Date.parse(range.to) });
    this.options.logger.info({ subscription_id: subscriptionId, ...result, from: range.from, to: range.to }, 'webhook replay queued');
    return result;
  }

  /** Queues a `webhook.test` event to this endpoint (even a disabled one); one attempt, never retried. */
  async sendTestEvent(subscriptionId: string): Promise<{ event_id: string; delivery_id: string }> {
    return this.requested().test(this.require(subscriptionId));
  }

  private requested(): RequestedDeliveries {
    if (!this.requestedDeliveries) throw new Error('SubscriptionService.start() was not called');
    return this.requestedDeliveries;
  }

  private async checkUrl(raw: string): Promise<string> {
    const url = await validateWebhookUrl(raw, { allowlist: this.options.allowlist, resolve: this.options.resolve });
    return url.toString();
  }

  private require(id: string): StoredSubscription {
    const stored = this.store.get(id);
    if (!stored) throw new WebhookError('webhook_subscription_not_found', `No webhook subscription ${id}. List subscriptions to find its id.`, { subscription_id: id });
    return stored;
  }

  private requireEnabled(id: string): StoredSubscription {
    const stored = this.require(id);
    if (!stored.enabled) {
      throw new WebhookError(
        'webhook_subscription_disabled',
        `Webhook subscription ${id} is disabled (${stored.disabled_reason ?? 'manual'}); enable it (update with enabled: true) before retrying or replaying.`,
        { subscription_id: id, disabled_reason: stored.disabled_reason },
      );
    }
    return stored;
  }
}

function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(input)', message: issue.message }));
  throw new WebhookError('webhook_input_invalid', `Invalid webhook input: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, { issues });
}
