import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { connectorById } from '../connectors/registry.js';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import { eventKey } from '../platform/events.js';
import { onFetchOfOnlyMarkers, restartAfterCrash } from '../platform/kafka.js';
import type { Logger } from '../platform/logger.js';
import { createUnifiedCodec, type UnifiedCodec } from '../schemas/index.js';
import { processChunk, type ChunkEnvironment } from './chunk-processor.js';
import { ConnectionMappings } from './connection-mappings.js';
import { DeadLetterAlerts } from './dead-letter-alerts.js';
import { planFetch } from './fetch-plan.js';
import { TransformerError } from './errors.js';
import { awaitSlot, SlotManager, SlotPreparationError, slotId, type Slot } from './slot-manager.js';
import { TransformerMetrics } from './transformer-metrics.js';
import { ensureTransformerTopics, type TransformerTopics } from './transformer-topics.js';

/** Attempts at a commit past transaction markers before it waits for the partition's next record. */
const MARKER_COMMIT_ATTEMPTS = 5;

export interface TransformerWorkerOptions {
  kafka: Kafka;
  /** MILLRACE_TOPIC_PREFIX. */
  prefix: string;
  /** MILLRACE_WORKER_ID: names this worker in logs and Kafka client ids. */
  workerId: string;
  logger: Logger;
  /** A Confluent-compatible schema registry (SCHEMA_REGISTRY_URL); or pass `codec`. */
  registryUrl?: string;
  codec?: UnifiedCodec;
  /** Partitions and replication for topics the transformer creates (MILLRACE_TOPIC_PARTITIONS …). */
  partitions?: number;
  replicationFactor?: number;
  /** Finds a source system's connector; default connectors/registry.ts. */
  connectorLookup?: (sourceSystem: string) => ConnectorDefinition | undefined;
  /** One transaction per chunk of at most this many records and raw bytes. */
  chunk?: { maxRecords?: number; maxBytes?: number };
  group?: { sessionTimeoutMs?: number; heartbeatIntervalMs?: number; rebalanceTimeoutMs?: number };
  /** Input partitions transformed at the same time (each has its own transactional producer). */
  partitionsConsumedConcurrently?: number;
  metrics?: TransformerMetrics;
  /** Minimum time between two system.error events of one connection (default a minute). */
  alertIntervalMs?: number;
  stateLoadTimeoutMs?: number;
}

const DEFAULT_CHUNK = { maxRecords: 1_000, maxBytes: 5 * 1024 * 1024 };

/**
 * A transformer worker: the consumer group `<prefix>transformers` on every raw topic. Each
 * batch is cut into bounded chunks; each chunk is one Kafka transaction holding its unified
 * images, record events, state updates, dead letters and the consumer offset, written by the
 * input partition's own transactional producer (slot-transactor.ts). Between chunks the handler
 * heartbeats and checks that it still owns the partition, so a slow batch never costs the
 * group membership, and a crash at any point leaves either the whole chunk or none of it.
 */
export class TransformerWorker {
  readonly metrics: TransformerMetrics;
  readonly groupId: string;
  private topics: TransformerTopics | null = null;
  private slots: SlotManager | null = null;
  private mappings: ConnectionMappings | null = null;
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private alertProducer: Producer | null = null;
  private alerts: DeadLetterAlerts | null = null;
  private alertTimer: NodeJS.Timeout | null = null;
  private alertFlush: Promise<void> = Promise.resolve();
  private readonly codec: UnifiedCodec;
  private readonly chunk: { maxRecords: number; maxBytes: number };
  private stopping = false;
  /** Per input partition, the end of the work queued for it (see handleBatch). */
  private readonly partitionWork = new Map<string, Promise<void>>();

  constructor(private readonly options: TransformerWorkerOptions) {
    if (!options.codec && !options.registryUrl) throw new Error('TransformerWorker needs registryUrl (SCHEMA_REGISTRY_URL) or a codec');
    this.codec = options.codec ?? createUnifiedCodec({ registryUrl: options.registryUrl!, topicPrefix: options.prefix });
    this.metrics = options.metrics ?? new TransformerMetrics();
    this.groupId = `${options.prefix}transformers`;
    this.chunk = { ...DEFAULT_CHUNK, ...options.chunk };
  }

  /** Creates the topics, loads the connections' mappings and joins the group; on failure, releases what it opened. */
  async start(): Promise<void> {
    try {
      await this.startNow();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async startNow(): Promise<void> {
    const { kafka, logger, prefix } = this.options;
    this.admin = kafka.admin();
    await this.admin.connect();
    const topics = await ensureTransformerTopics(this.admin, { prefix, partitions: this.options.partitions ?? 3, replicationFactor: this.options.replicationFactor ?? 1 });
    this.topics = topics;
    this.alerts = new DeadLetterAlerts(topics.deadLetters, this.options.alertIntervalMs);
    this.alertProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.alertProducer.connect();
    this.mappings = new ConnectionMappings(kafka, topics.connections, `${prefix}transformer-mappings-${this.options.workerId}`, logger);
    await this.mappings.start();
    this.slots = new SlotManager({
      kafka,
      admin: this.admin,
      prefix,
      groupId: this.groupId,
      stateTopic: topics.state,
      rawEntities: topics.rawEntities,
      logger,
      ...(this.options.stateLoadTimeoutMs ? { stateLoadTimeoutMs: this.options.stateLoadTimeoutMs } : {}),
    });
    const group = this.options.group ?? {};
    const consumer = kafka.consumer({
      groupId: this.groupId,
      readUncommitted: false,
      sessionTimeout: group.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: group.heartbeatIntervalMs ?? 3_000,
      rebalanceTimeout: group.rebalanceTimeoutMs ?? 60_000,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.slots?.assign(event.payload.memberAssignment));
    // An aborted raw page last: its fetch holds only aborted records and markers.
    onFetchOfOnlyMarkers(consumer, (topic, partition, next) => this.commitPastMarkers(topic, partition, next));
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics.rawEntities.keys()], fromBeginning: true });
    const run = () =>
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
        eachBatch: (payload) => this.handleBatch(payload),
      });
    restartAfterCrash(consumer, run, { logger, name: 'transformer', stopping: () => this.stopping });
    await run();
    logger.info({ worker_id: this.options.workerId, group_id: this.groupId }, 'transformer worker started');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => {});
    await this.slots?.releaseAll('stopping');
    if (this.alertTimer) clearTimeout(this.alertTimer);
    await this.alertFlush;
    await this.alertProducer?.disconnect().catch(() => {});
    await this.mappings?.stop().catch(() => {});
    await this.admin?.disconnect().catch(() => {});
  }

  /** Waits until the worker knows every connection mapping stored so far (tests, the API after an edit). */
  refreshMappings(): Promise<void> {
    return this.mappings!.refresh();
  }

  /**
   * kafkajs can start a handler for a partition while an earlier one still runs: after the
   * coordinator forgot the member (a broker restart, a long pause) it re-joins and fetches again
   * without waiting for the handlers in flight. Two handlers on one slot would transform the same
   * records twice, the second before the first's commit updated the state, and commit both.
   * So a partition's batches (and its commits past markers) run one after another, and each
   * plans from what the one before it committed.
   */
  private handleBatch(payload: EachBatchPayload): Promise<void> {
    return this.inOrder(payload.batch.topic, payload.batch.partition, () => this.handleBatchInOrder(payload));
  }

  private inOrder(topic: string, partition: number, work: () => Promise<void>): Promise<void> {
    const id = slotId(topic, partition);
    const run = (this.partitionWork.get(id) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => {});
    this.partitionWork.set(id, settled);
    void settled.then(() => {
      if (this.partitionWork.get(id) === settled) this.partitionWork.delete(id);
    });
    return run;
  }

  private async handleBatchInOrder(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, resolveOffset, isRunning, isStale } = payload;
    if (this.stopping || !isRunning() || isStale()) return;
    const slots = this.slots!;
    const slot = slots.slotFor(batch.topic, batch.partition);
    let table;
    try {
      table = await awaitSlot(slot, heartbeat, Math.max(500, (this.options.group?.heartbeatIntervalMs ?? 3_000) / 2));
    } catch (error) {
      if (error instanceof SlotPreparationError) await slots.invalidate(slot, error.message);
      throw error;
    }
    const { fresh, end, resolveTo, pastMarkersTo } = planFetch(batch.messages, slot.nextOffset, batch.lastOffset());
    if (resolveTo !== null) resolveOffset(resolveTo);
    if (pastMarkersTo !== null) this.commitPastMarkers(batch.topic, batch.partition, pastMarkersTo);
    const chunks = [...this.chunks(fresh)];
    for (const [index, chunk] of chunks.entries()) {
      if (this.stopping || !isRunning() || isStale()) return;
      // The last chunk's transaction commits past the transaction markers (and aborted records)
      // that end the fetch: no message is given for them, and kafkajs does not fetch them again,
      // so without this a caught-up group would show a lag of one or two per partition.
      const next = index === chunks.length - 1 ? end : BigInt(chunk.at(-1)!.offset) + 1n;
      await this.transformChunk(slot, table, chunk, next);
      resolveOffset(chunk.at(-1)!.offset);
      await heartbeat();
    }
  }

  /**
   * Commits the consumer offset `next` in a transaction of its own (no records), past markers
   * read after the slot's last committed record, in turn with the partition's batches, so the
   * two never overlap on the slot's producer or commit offsets out of order. kafkajs does not
   * fetch markers twice, so a failed attempt is retried here (on the slot prepared again).
   */
  private commitPastMarkers(topic: string, partition: number, next: bigint, attempt = 0): void {
    if (!this.slots || this.stopping) return;
    void this.inOrder(topic, partition, async () => {
      const slots = this.slots;
      if (!slots || this.stopping) return;
      // kafkajs fetches only assigned partitions: a slot dropped after a failed transaction is prepared again.
      const slot = slots.slotFor(topic, partition);
      try {
        await slot.ready;
        // Nothing committed yet (null): every offset before the markers was a marker too.
        if (this.stopping || slots.get(topic, partition) !== slot || (slot.nextOffset !== null && next <= slot.nextOffset)) return;
        await slot.transactor.commit({ topicMessages: [], consumerGroupId: this.groupId, topic, partition, nextOffset: next.toString() });
        slot.nextOffset = next;
      } catch (error) {
        // Nothing is lost: the offset stays where it was; the slot is prepared again and the commit retried.
        this.options.logger.warn({ err: error, topic, partition, attempt }, 'transformer: commit past transaction markers failed');
        await slots.invalidate(slot, (error as Error).message);
        if (attempt < MARKER_COMMIT_ATTEMPTS && !this.stopping) setTimeout(() => this.commitPastMarkers(topic, partition, next, attempt + 1), 1_000 * (attempt + 1)).unref();
      }
    }).catch((error: unknown) => this.options.logger.error({ err: error, topic, partition }, 'transformer: commit past transaction markers could not be scheduled'));
  }

  private *chunks(messages: KafkaMessage[]): Generator<KafkaMessage[]> {
    let current: KafkaMessage[] = [];
    let bytes = 0;
    for (const message of messages) {
      const size = (message.value?.length ?? 0) + (message.key?.length ?? 0);
      if (current.length > 0 && (current.length >= this.chunk.maxRecords || bytes + size > this.chunk.maxBytes)) {
        yield current;
        current = [];
        bytes = 0;
      }
      current.push(message);
      bytes += size;
    }
    if (current.length > 0) yield current;
  }

  /** Transforms `messages` and commits the output with the consumer offset `next` in one transaction. */
  private async transformChunk(slot: Slot, table: NonNullable<Slot['table']>, messages: KafkaMessage[], next: bigint): Promise<void> {
    const topics = this.topics!;
    const environment: ChunkEnvironment = {
      topics: { unified: topics.unified.get(slot.entity)!, events: topics.events, deadLetters: topics.deadLetters, state: topics.state },
      codec: this.codec,
      pipeline: { connectorLookup: this.options.connectorLookup ?? connectorById, mappingFor: this.mappings!.lookup },
    };
    const result = await processChunk({ topic: slot.topic, partition: slot.partition, entity: slot.entity, table, messages }, environment);
    try {
      await slot.transactor.commit({
        topicMessages: result.topicMessages,
        consumerGroupId: this.groupId,
        topic: slot.topic,
        partition: slot.partition,
        nextOffset: next.toString(),
      });
    } catch (error) {
      // Whether the broker committed is unknown: prepare the slot again from what Kafka holds.
      await this.slots!.invalidate(slot, (error as Error).message);
      if (error instanceof TransformerError && error.code === 'producer_fenced') this.options.logger.warn({ err: error }, 'transformer partition fenced');
      throw error;
    }
    for (const [key, state] of result.pending) table.set(key, state);
    slot.nextOffset = next;
    this.metrics.add(result.counts, result.deadLetters);
    if (result.deadLetters.length > 0) {
      this.alerts!.note(result.deadLetters);
      this.scheduleAlerts();
    }
  }

  private scheduleAlerts(): void {
    if (this.alertTimer || this.stopping) return;
    const wait = this.alerts!.nextDueInMs();
    if (wait === null) return;
    this.alertTimer = setTimeout(() => {
      this.alertTimer = null;
      this.alertFlush = this.alertFlush.then(() => this.sendAlerts()).then(() => this.scheduleAlerts());
    }, wait);
    this.alertTimer.unref();
  }

  private async sendAlerts(): Promise<void> {
    const events = this.alerts!.due();
    if (events.length === 0) return;
    try {
      await this.alertProducer!.send({ topic: this.topics!.events, acks: -1, messages: events.map((event) => ({ key: eventKey(event), value: JSON.stringify(event) })) });
    } catch (error) {
      this.options.logger.error({ err: error, alerts: events.length }, 'could not send dead-letter alerts to the events topic');
    }
  }
}
