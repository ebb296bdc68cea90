import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '../../platform/logger.js';
import { CompactedTopicView } from '../../platform/compacted-view.js';
import { ApiError } from '../errors.js';

export interface CompactedMapOptions<Value> {
  kafka: Kafka;
  topic: string;
  /** Prefix of the view's throwaway consumer groups. */
  groupPrefix: string;
  logger: Logger;
  /** Reads a stored value; throw to skip a record that is not one (it is logged once). */
  parse(value: Buffer): Value;
  /** Called after each applied record (null: deleted), in log order. */
  onApply?(key: string, value: Value | null, offset: string): void;
}

/**
 * A key → JSON value map kept in a compacted topic: every API process tails the topic into
 * memory (so all of them agree), and a write returns once this process's own view holds it,
 * so a write followed by a read never misses.
 */
export class CompactedMap<Value> {
  readonly entries = new Map<string, Value>();
  private readonly view: CompactedTopicView;
  private producer: Producer | null = null;

  constructor(private readonly options: CompactedMapOptions<Value>) {
    this.view = new CompactedTopicView({
      kafka: options.kafka,
      topics: [options.topic],
      groupPrefix: options.groupPrefix,
      logger: options.logger,
      unavailable: (message) => new ApiError('store_unavailable', message),
      apply: ({ key, value, offset }) => {
        const parsed = value === null ? null : options.parse(value);
        if (parsed === null) this.entries.delete(key);
        else this.entries.set(key, parsed);
        options.onApply?.(key, parsed, offset);
      },
    });
  }

  /** Reads the topic to its end before resolving: what was stored before start is known. */
  async start(): Promise<void> {
    this.producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    await this.view.start();
    await this.view.waitForEnd();
  }

  async stop(): Promise<void> {
    await this.view.stop();
    await this.producer?.disconnect().catch(() => {});
    this.producer = null;
  }

  get(key: string): Value | undefined {
    return this.entries.get(key);
  }

  /** Stores the value (null deletes) and resolves once this process's view has applied it; returns its offset. */
  async put(key: string, value: Value | null): Promise<string> {
    if (!this.producer) throw new Error('CompactedMap.start() was not called');
    let written;
    try {
      [written] = await this.producer.send({
        topic: this.options.topic,
        acks: -1,
        messages: [{ key, value: value === null ? null : JSON.stringify(value) }],
      });
    } catch (error) {
      this.options.logger.error({ err: error, topic: this.options.topic }, 'control write failed');
      throw new ApiError('store_unavailable', `Kafka did not accept the write to ${this.options.topic}; retry in a moment.`);
    }
    if (!written?.baseOffset) throw new ApiError('store_unavailable', `Kafka did not acknowledge the write to ${this.options.topic}; retry in a moment.`);
    await this.view.waitUntilApplied(this.options.topic, written.partition, written.baseOffset);
    return written.baseOffset;
  }
}
