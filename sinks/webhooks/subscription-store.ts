import type { Kafka, Producer } from 'kafkajs';
import { CompactedTopicView } from '../../platform/compacted-view.js';
import type { Logger } from '../../platform/logger.js';
import { WebhookError } from './errors.js';
import { healthKey, type StoredHealth, type StoredSubscription } from './subscription-schema.js';

/**
 * Subscriptions live in the compacted `webhook-subscriptions` topic (Kafka Connect style): key
 * `<id>` holds the subscription, key `health:<id>` its delivery health, a tombstone deletes. Every
 * process that needs them (API, delivery workers) reads the whole topic into memory at start and
 * follows it (platform/compacted-view.ts); writes go to the topic and are applied locally once
 * Kafka acknowledged them, so the writer reads its own writes at once and others within moments.
 *
 * Lifecycle: `start()` resolves when the topic has been read up to its end at start-up (or
 * rejects with webhook_store_unavailable after `readyTimeoutMs`); `stop()` leaves the group.
 * Writes (`put`, `putHealth`, `remove`) reject with webhook_store_unavailable when Kafka does not
 * acknowledge them.
 */
export type SubscriptionListener = (id: string, subscription: StoredSubscription | undefined) => void;

export interface SubscriptionStoreOptions {
  kafka: Kafka;
  topic: string;
  logger: Logger;
  /** How long start() waits to read the topic to its end. */
  readyTimeoutMs?: number;
}

export class SubscriptionStore {
  private readonly subscriptions = new Map<string, StoredSubscription>();
  private readonly healths = new Map<string, StoredHealth>();
  // Deleted ids are never reused; remembering them stops a lagging read from resurrecting one.
  private readonly deleted = new Set<string>();
  private readonly listeners = new Set<SubscriptionListener>();
  private readonly view: CompactedTopicView;
  private producer: Producer | undefined;
  /** Every subscription written before this time (ms) is applied. */
  private caughtUpAt = 0;
  private catchingUp: { startedAt: number; done: Promise<void> } | undefined;

  constructor(private readonly options: SubscriptionStoreOptions) {
    const { kafka, topic, logger } = options;
    this.view = new CompactedTopicView({
      kafka,
      topics: [topic],
      // A fresh group each time: this reader wants the whole topic, never a share of it.
      groupPrefix: `${topic}.reader`,
      logger,
      apply: ({ key, value }) => this.apply(key, value),
      unavailable: (message) => new WebhookError('webhook_store_unavailable', `Reading the subscriptions topic ${topic}: ${message}`),
    });
  }

  async start(): Promise<void> {
    this.producer = this.options.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    await this.view.start();
    await this.view.waitForEnd(this.options.readyTimeoutMs ?? 60_000);
  }

  /**
   * Resolves once every subscription written before `timeMs` has been applied. Another process
   * may have created a subscription a moment before an event it should receive: the event
   * consumer calls this with the time of the newest event of a batch, so that event is not
   * matched against a view that has not seen the subscription yet. Events older than the last
   * catch-up cost nothing; one read of the topic's end offsets serves every batch that waits.
   */
  async catchUp(timeMs: number): Promise<void> {
    if (timeMs < this.caughtUpAt) return;
    // A read started after timeMs covers it; an older one may not.
    if (!this.catchingUp || this.catchingUp.startedAt <= timeMs) {
      const startedAt = Date.now();
      const done = this.view.waitForEnd(this.options.readyTimeoutMs ?? 60_000).then(() => {
        this.caughtUpAt = Math.max(this.caughtUpAt, startedAt);
      });
      const attempt = { startedAt, done };
      this.catchingUp = attempt;
      // A failed read is not shared with later callers: they start their own.
      done.catch(() => {
        if (this.catchingUp === attempt) this.catchingUp = undefined;
      });
    }
    await this.catchingUp.done;
  }

  async stop(): Promise<void> {
    await this.view.stop();
    await this.producer?.disconnect();
  }

  get(id: string): StoredSubscription | undefined {
    return this.subscriptions.get(id);
  }

  all(): IterableIterator<StoredSubscription> {
    return this.subscriptions.values();
  }

  health(id: string): StoredHealth | undefined {
    return this.healths.get(id);
  }

  onChange(listener: SubscriptionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async put(subscription: StoredSubscription): Promise<void> {
    await this.send(subscription.id, JSON.stringify(subscription));
    this.applySubscription(subscription);
  }

  async putHealth(health: StoredHealth): Promise<void> {
    await this.send(healthKey(health.subscription_id), JSON.stringify(health));
    this.healths.set(health.subscription_id, health);
  }

  async remove(id: string): Promise<void> {
    await this.send(id, null);
    await this.send(healthKey(id), null);
    this.applyTombstone(id);
  }

  private async send(key: string, value: string | null): Promise<void> {
    if (!this.producer) throw new Error('SubscriptionStore.start() was not called');
    try {
      await this.producer.send({ topic: this.options.topic, acks: -1, messages: [{ key, value }] });
    } catch (error) {
      throw new WebhookError(
        'webhook_store_unavailable',
        `Writing to the subscriptions topic ${this.options.topic} failed: ${(error as Error).message}. Nothing was changed; try again.`,
        undefined,
        { cause: error },
      );
    }
  }

  private apply(key: string, value: Buffer | null): void {
    const isHealth = key.startsWith('health:');
    const id = isHealth ? key.slice('health:'.length) : key;
    if (value === null) {
      if (isHealth) this.healths.delete(id);
      else this.applyTombstone(id);
      return;
    }
    // An unreadable record throws here; the view logs and skips it.
    const parsed = JSON.parse(value.toString('utf8')) as StoredSubscription | StoredHealth;
    if (parsed.kind === 'health') this.healths.set(id, parsed);
    else if (parsed.kind === 'subscription') this.applySubscription(parsed);
  }

  private applySubscription(subscription: StoredSubscription): void {
    if (this.deleted.has(subscription.id)) return;
    const current = this.subscriptions.get(subscription.id);
    if (current && current.revision > subscription.revision) return;
    this.subscriptions.set(subscription.id, subscription);
    if (!current || current.revision !== subscription.revision) this.notify(subscription.id, subscription);
  }

  private applyTombstone(id: string): void {
    this.deleted.add(id);
    this.healths.delete(id);
    if (this.subscriptions.delete(id)) this.notify(id, undefined);
  }

  private notify(id: string, subscription: StoredSubscription | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(id, subscription);
      } catch (error) {
        this.options.logger.error({ err: error, subscription_id: id }, 'webhook subscription listener failed');
      }
    }
  }
}
