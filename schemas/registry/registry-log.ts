/**
 * The registry's storage: one compacted, single-partition Kafka topic, read from the beginning by
 * every instance (read_committed) and applied in order to its RegistryState.
 *
 * Writes from any number of instances are serialized by Kafka itself. Every write:
 *   1. opens a transactional producer with the topic's one writer id (`<topic>.writer`); the
 *      broker fences any other instance's producer with that id and aborts its open transaction;
 *   2. catches up: writes a NOOP marker and waits until this instance has applied it, so the state
 *      holds everything committed before the fence;
 *   3. decides (ids, versions, compatibility) on that state, writes the records in the
 *      transaction and commits. If another instance fenced it meanwhile, the commit fails and
 *      the write starts again at 1 (it can then see the other instance's records).
 * So a decision is only ever committed on a state that includes every earlier commit: two
 * instances can never give one id to two schemas. No election or forwarding is needed.
 */
import type { Kafka, Producer } from 'kafkajs';
import { CompactedTopicView } from '../../platform/compacted-view.js';
import type { Logger } from '../../platform/logger.js';
import { ensureTopics } from '../../platform/kafka.js';
import { registryErrors, RegistryError } from './errors.js';
import { decodeRecord, encodeKey, encodeValue, type LogRecord } from './log-records.js';

export interface RegistryLogOptions {
  kafka: Kafka;
  topic: string;
  logger: Logger;
  replicationFactor?: number;
  /** How long a catch-up or a write may take before the request fails with 50002. */
  timeoutMs?: number;
}

export interface Planned<T> {
  records: LogRecord[];
  result: T;
}

const WRITE_ATTEMPTS = 6;

export class RegistryLog {
  private view: CompactedTopicView | undefined;
  private markerProducer: Producer | undefined;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private pendingCatchUp: Promise<void> | undefined;
  private nextCatchUp: Promise<void> | undefined;
  private readonly timeoutMs: number;

  constructor(
    private readonly options: RegistryLogOptions,
    private readonly onRecord: (record: LogRecord) => void,
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async start(): Promise<void> {
    const { kafka, topic } = this.options;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [{ name: topic, compacted: true, partitions: 1 }], {
        partitions: 1,
        replicationFactor: this.options.replicationFactor ?? 1,
      });
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      if ((metadata?.partitions.length ?? 0) !== 1) {
        throw new Error(`schema registry topic ${topic} has ${metadata?.partitions.length} partitions; it needs exactly 1 so every instance reads the same order`);
      }
    } finally {
      await admin.disconnect();
    }
    this.markerProducer = kafka.producer({ allowAutoTopicCreation: false });
    await this.markerProducer.connect();
    // Every instance reads the whole topic (read_committed) in order; no offsets are ever committed.
    this.view = new CompactedTopicView({
      kafka,
      topics: [topic],
      groupPrefix: `${topic}.reader`,
      logger: this.options.logger,
      apply: ({ key, value }) => {
        const record = decodeRecord(key === '' ? null : Buffer.from(key, 'utf8'), value);
        if (record) this.onRecord(record);
        else this.options.logger.debug({ key }, 'schema registry topic: record skipped');
      },
      unavailable: (message) => registryErrors.timeout(message),
    });
    await this.view.start();
    await this.catchUp();
  }

  async close(): Promise<void> {
    await this.view?.stop();
    await this.markerProducer?.disconnect();
  }

  private waitApplied(offset: bigint): Promise<void> {
    if (!this.view) return Promise.reject(registryErrors.store('the registry log was not started'));
    return this.view.waitUntilApplied(this.options.topic, 0, offset.toString(), this.timeoutMs);
  }

  /**
   * Resolves once everything committed to the topic before the call is applied. Concurrent
   * callers share one marker; a caller arriving while a marker is in flight waits for the next.
   */
  catchUp(): Promise<void> {
    if (!this.pendingCatchUp) {
      this.pendingCatchUp = this.writeMarker().finally(() => (this.pendingCatchUp = undefined));
      return this.pendingCatchUp;
    }
    if (!this.nextCatchUp) {
      this.nextCatchUp = this.pendingCatchUp
        .catch(() => undefined)
        .then(() => {
          this.nextCatchUp = undefined;
          return this.catchUp();
        });
    }
    return this.nextCatchUp;
  }

  private async writeMarker(): Promise<void> {
    const [metadata] = await this.markerProducer!.send({
      topic: this.options.topic,
      acks: -1,
      messages: [{ key: encodeKey({ keytype: 'NOOP' }), value: null }],
    });
    await this.waitApplied(BigInt(metadata!.baseOffset!));
  }

  /**
   * Runs `plan` on a state that includes every earlier commit, writes its records in one
   * transaction and resolves with its result once this instance has applied them. A RegistryError
   * thrown by `plan` (incompatible, not found …) writes nothing and is passed on.
   */
  write<T>(plan: () => Planned<T>): Promise<T> {
    const run = this.writeQueue.then(() => this.writeWithRetries(plan));
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  private async writeWithRetries<T>(plan: () => Planned<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
      try {
        return await this.writeOnce(plan);
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        lastError = error;
        this.options.logger.warn({ err: error, attempt }, 'schema registry write interrupted (another instance wrote, or Kafka failed); retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * attempt));
      }
    }
    throw registryErrors.store(`writing to ${this.options.topic} failed ${WRITE_ATTEMPTS} times: ${(lastError as Error).message}`);
  }

  private async writeOnce<T>(plan: () => Planned<T>): Promise<T> {
    const producer = this.options.kafka.producer({
      transactionalId: `${this.options.topic}.writer`,
      idempotent: true,
      maxInFlightRequests: 1,
      // A crashed writer's transaction blocks readers until it times out or the next writer fences it.
      transactionTimeout: 10_000,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      let planned: Planned<T>;
      try {
        // A marker of its own, written after the fence: a shared one might predate it.
        await this.writeMarker();
        planned = plan();
        if (planned.records.length === 0) {
          await transaction.abort();
          return planned.result;
        }
      } catch (error) {
        if (transaction.isActive()) await transaction.abort().catch(() => undefined);
        throw error;
      }
      const [metadata] = await transaction.send({
        topic: this.options.topic,
        acks: -1,
        messages: planned.records.map((record) => ({ key: encodeKey(record), value: encodeValue(record) })),
      });
      await transaction.commit();
      await this.waitApplied(BigInt(metadata!.baseOffset!) + BigInt(planned.records.length - 1));
      return planned.result;
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }
}
