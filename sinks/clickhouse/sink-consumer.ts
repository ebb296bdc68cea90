import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { onFetchOfOnlyMarkers, restartAfterCrash } from '../../platform/kafka.js';
import type { Logger } from '../../platform/logger.js';
import { commitPastMarkers, writeBatch, type FlushContext, type WrittenBatch } from './batch-flusher.js';
import type { MessageConverter } from './converters/sink-message.js';
import type { InsertWriter } from './insert-writer.js';
import { parsePendingMarker } from './offset-marker.js';
import { PartitionSlot, type BatchLimits } from './partition-slot.js';
import type { SinkMetrics } from './sink-metrics.js';

/**
 * One consumer group over every topic the sink reads. Messages become rows as they arrive
 * (eachBatch) and gather per topic-partition; a batch is written when it reaches `maxRows` or
 * `maxBytes`, or `flushIntervalMs` after its first message, by batch-flusher.ts, in the
 * background: the consumer keeps reading while ClickHouse works. A partition has at most one
 * batch in flight; when the next one is full before that finishes, the partition is paused and
 * resumed after it (bounded memory, backpressure when ClickHouse is slow).
 *
 * Offsets are committed by the flusher only, and only after ClickHouse acknowledged. kafkajs
 * re-reads from the committed offsets after every rebalance, so each rebalance starts a new epoch:
 * buffered rows are dropped (they are read again), batches in flight finish or are abandoned,
 * and a partition's new slot waits for its old flush before it reads the committed offset and
 * the pending marker. kafkajs emits REBALANCING before it rejoins, so a flush never commits for
 * a partition after this worker began to give it up.
 */
export interface SinkConsumerOptions {
  kafka: Kafka;
  groupId: string;
  routes: Map<string, MessageConverter>;
  writer: InsertWriter;
  metrics: SinkMetrics;
  logger: Logger;
  limits: BatchLimits;
  /** Rows kept in memory across all partitions before the biggest batches are written early. */
  maxBufferedBytes: number;
  sessionTimeoutMs: number;
  onBatchWritten?: (batch: WrittenBatch) => void;
}

const TICK_MS = 100;
/** A failed committed-offset lookup after a fetch of only markers is tried again this often, this much later each time. */
const MARKER_LOOKUP_ATTEMPTS = 5;
const MARKER_LOOKUP_RETRY_MS = 1_000;

export class SinkConsumer {
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private epoch = 0;
  private running = false;
  private stopping = false;
  private readonly slots = new Map<string, PartitionSlot>();
  /** Flushes of earlier epochs still running, by partition key: the next slot waits for them. */
  private readonly retired = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private activeHandlers = 0;
  private readonly flushContext: FlushContext;

  constructor(private readonly options: SinkConsumerOptions) {
    this.flushContext = {
      writer: options.writer,
      metrics: options.metrics,
      logger: options.logger,
      isCurrent: (slot) => this.running && slot.epoch === this.epoch,
      commit: (topic, partition, offset, metadata) => this.consumer!.commitOffsets([{ topic, partition, offset: offset.toString(), metadata }]),
      onBatchWritten: options.onBatchWritten,
    };
  }

  async start(): Promise<void> {
    const { kafka, groupId, sessionTimeoutMs } = this.options;
    this.admin = kafka.admin();
    await this.admin.connect();
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: Math.max(1_000, Math.floor(sessionTimeoutMs / 3)),
      maxWaitTimeInMs: 250,
      maxBytesPerPartition: 4 << 20,
      maxBytes: 32 << 20,
      // Unified topics are written in transactions: only committed records are rows.
      readUncommitted: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.REBALANCING, () => this.newEpoch('rebalancing'));
    consumer.on(consumer.events.GROUP_JOIN, () => this.newEpoch('group joined'));
    onFetchOfOnlyMarkers(consumer, (topic, partition, next) => void this.onMarkersOnly(topic, partition, next));
    consumer.on(consumer.events.CRASH, (event) => {
      this.options.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'clickhouse sink: consumer crashed');
      this.newEpoch('crash');
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.routes.keys()], fromBeginning: true });
    this.running = true;
    const run = () => consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 3, eachBatch: (payload) => this.onBatch(payload) });
    restartAfterCrash(consumer, run, { logger: this.options.logger, name: 'clickhouse sink', stopping: () => this.stopping || !this.running });
    await run();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Writes what is buffered, waits for every batch in flight, then leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    while (this.activeHandlers > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    for (;;) {
      const inflight: Promise<void>[] = [];
      for (const slot of this.currentSlots()) {
        // A pending batch that has not reached its end cannot be written under its token: leave it.
        if (!slot.inflight && slot.current && slot.pendingEnd === undefined) this.startFlush(slot);
        if (slot.inflight) inflight.push(slot.inflight);
      }
      if (inflight.length === 0) break;
      await Promise.all(inflight);
    }
    await Promise.all(this.retired.values());
    this.running = false;
    await this.consumer?.disconnect();
    await this.admin?.disconnect();
  }

  private currentSlots(): PartitionSlot[] {
    return [...this.slots.values()].filter((slot) => slot.epoch === this.epoch);
  }

  private newEpoch(reason: string): void {
    this.epoch += 1;
    for (const slot of this.slots.values()) {
      if (slot.inflight) this.retired.set(slot.key, slot.inflight);
      if (slot.paused) this.consumer?.resume([{ topic: slot.topic, partitions: [slot.partition] }]);
    }
    this.slots.clear();
    this.options.metrics.setBuffered(0);
    this.options.logger.debug({ epoch: this.epoch, reason }, 'clickhouse sink: new epoch, buffers dropped');
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const converter = this.options.routes.get(batch.topic);
    if (!converter || this.stopping) return;
    this.activeHandlers += 1;
    try {
      const slot = await this.slotFor(batch.topic, batch.partition);
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || this.stopping || slot.epoch !== this.epoch) return;
        const offset = BigInt(message.offset);
        if (!slot.accepts(offset)) {
          resolveOffset(message.offset);
          continue;
        }
        if (slot.passesPendingEnd(offset)) this.closeUnreachablePending(slot, offset);
        if (slot.full(this.options.limits)) {
          if (slot.inflight) {
            this.pause(slot);
            return;
          }
          this.startFlush(slot);
        }
        let rows;
        try {
          rows = await converter.convert({ ...message, topic: batch.topic, partition: batch.partition });
        } catch (error) {
          // Only retriable failures throw (the schema registry is away): read the message again later.
          this.options.logger.warn({ err: error, topic: batch.topic, partition: batch.partition, offset: message.offset }, 'clickhouse sink: message could not be converted yet; it will be read again');
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          await heartbeat();
          return;
        }
        if (slot.epoch !== this.epoch) return;
        slot.add({ offset, publishedAtMs: Number(message.timestamp) }, rows);
        resolveOffset(message.offset);
        if (slot.completesPending(offset)) {
          if (!slot.inflight) this.startFlush(slot);
          else {
            // Nothing may join a complete pending batch: wait for the flush ahead of it.
            this.pause(slot);
            return;
          }
        }
      }
      // Every message of the fetch was read: the transaction markers after the last one are done too.
      if (slot.epoch === this.epoch) {
        slot.markersRead(BigInt(batch.lastOffset()) + 1n);
        this.commitPastMarkersIfIdle(slot);
      }
      await heartbeat();
    } finally {
      this.activeHandlers -= 1;
    }
  }

  /** A fetch of the partition held only markers up to `next`: commit past them once the partition is idle. */
  private async onMarkersOnly(topic: string, partition: number, next: bigint, attempt = 0): Promise<void> {
    if (!this.options.routes.has(topic) || !this.running || this.stopping) return;
    const epoch = this.epoch;
    this.activeHandlers += 1;
    try {
      const slot = await this.slotFor(topic, partition);
      if (slot.epoch !== this.epoch) return;
      slot.markersRead(next);
      this.commitPastMarkersIfIdle(slot);
    } catch (error) {
      // The committed offset could not be read, and kafkajs does not fetch these markers again:
      // look again a little later (in the same assignment), else the lag of one or two shows
      // until the partition's next batch commits past its own markers.
      this.options.logger.warn({ err: error, topic, partition, attempt }, 'clickhouse sink: could not look up the committed offset after transaction markers');
      if (attempt < MARKER_LOOKUP_ATTEMPTS) {
        setTimeout(() => {
          if (this.epoch === epoch) void this.onMarkersOnly(topic, partition, next, attempt + 1);
        }, MARKER_LOOKUP_RETRY_MS * (attempt + 1)).unref();
      }
    } finally {
      this.activeHandlers -= 1;
    }
  }

  private commitPastMarkersIfIdle(slot: PartitionSlot): void {
    const offset = slot.pastMarkers();
    if (offset === undefined) return;
    slot.inflight = commitPastMarkers(this.flushContext, slot, offset)
      .then(() => undefined)
      .finally(() => {
        slot.inflight = undefined;
        this.afterFlush(slot);
      });
  }

  /** The partition's slot for this epoch, once the committed offset and marker are known. */
  private async slotFor(topic: string, partition: number): Promise<PartitionSlot> {
    const key = `${topic}|${partition}`;
    let slot = this.slots.get(key);
    if (!slot || slot.epoch !== this.epoch) {
      const fresh = new PartitionSlot(topic, partition, this.epoch);
      const previous = this.retired.get(key);
      fresh.ready = (async () => {
        if (previous) {
          await previous;
          if (this.retired.get(key) === previous) this.retired.delete(key);
        }
        const committed = await this.committedOffset(topic, partition);
        fresh.nextOffset = committed.offset;
        fresh.pendingEnd = committed.offset === undefined ? undefined : parsePendingMarker(committed.metadata);
        if (fresh.pendingEnd !== undefined) {
          this.options.logger.info({ topic, partition, from: String(committed.offset), to: String(fresh.pendingEnd) }, 'clickhouse sink: re-forming a batch a previous owner had started to write');
        }
      })();
      this.slots.set(key, fresh);
      slot = fresh;
    }
    try {
      await slot.ready;
    } catch (error) {
      // Read the offsets again on the next batch rather than keeping a failed slot.
      if (this.slots.get(key) === slot) this.slots.delete(key);
      throw error;
    }
    return slot;
  }

  private async committedOffset(topic: string, partition: number): Promise<{ offset: bigint | undefined; metadata: string | null }> {
    const [entry] = await this.admin!.fetchOffsets({ groupId: this.options.groupId, topics: [topic] });
    const found = entry?.partitions.find((candidate) => candidate.partition === partition);
    if (!found || Number(found.offset) < 0) return { offset: undefined, metadata: null };
    return { offset: BigInt(found.offset), metadata: found.metadata };
  }

  /** A pending batch whose end lies past the log's retention: write what is left of it as a batch. */
  private closeUnreachablePending(slot: PartitionSlot, offset: bigint): void {
    this.options.logger.warn({ topic: slot.topic, partition: slot.partition, pending_end: String(slot.pendingEnd), offset: String(offset) }, 'clickhouse sink: the end of a pending batch is no longer in the log; closing it');
    if (!slot.current) slot.pendingEnd = undefined;
    else if (!slot.inflight) this.startFlush(slot);
  }

  private startFlush(slot: PartitionSlot): void {
    const taken = slot.take();
    if (!taken) return;
    const { batch, replaying } = taken;
    slot.inflight = writeBatch(this.flushContext, slot, batch, replaying)
      .then(() => undefined)
      .catch((error: unknown) => {
        // writeBatch retries every failure itself; reaching here is a defect. Read the batch again
        // from Kafka under its own token rather than losing it.
        this.options.logger.error({ err: error, topic: slot.topic, partition: slot.partition, token: batch.token() }, 'clickhouse sink: unexpected failure writing a batch; reading it again');
        if (slot.epoch === this.epoch) {
          slot.current = undefined;
          slot.pendingEnd = batch.last;
          slot.nextOffset = batch.first;
          this.consumer?.seek({ topic: slot.topic, partition: slot.partition, offset: String(batch.first) });
        }
      })
      .finally(() => {
        slot.inflight = undefined;
        this.afterFlush(slot);
      });
  }

  private afterFlush(slot: PartitionSlot): void {
    if (slot.epoch !== this.epoch || !this.running) return;
    const { limits } = this.options;
    if (slot.current && (slot.paused || slot.due(limits, performance.now()) || (this.stopping && slot.pendingEnd === undefined))) this.startFlush(slot);
    if (slot.paused && !this.stopping) {
      slot.paused = false;
      this.consumer?.resume([{ topic: slot.topic, partitions: [slot.partition] }]);
    }
    this.commitPastMarkersIfIdle(slot);
  }

  private pause(slot: PartitionSlot): void {
    if (slot.paused) return;
    slot.paused = true;
    this.consumer?.pause([{ topic: slot.topic, partitions: [slot.partition] }]);
  }

  /** Writes batches that are old or full, and the biggest ones when memory runs over the bound. */
  private tick(): void {
    if (!this.running || this.stopping) return;
    const now = performance.now();
    const slots = this.currentSlots();
    for (const slot of slots) {
      if (!slot.inflight && slot.due(this.options.limits, now)) this.startFlush(slot);
    }
    let bytes = 0;
    let rows = 0;
    for (const slot of slots) {
      bytes += slot.current?.bytes ?? 0;
      rows += slot.bufferedRows();
    }
    this.options.metrics.setBuffered(rows);
    if (bytes <= this.options.maxBufferedBytes) return;
    const biggest = slots.filter((slot) => slot.current && !slot.inflight && slot.pendingEnd === undefined).sort((a, b) => b.current!.bytes - a.current!.bytes);
    for (const slot of biggest) {
      if (bytes <= this.options.maxBufferedBytes) break;
      bytes -= slot.current!.bytes;
      this.startFlush(slot);
    }
  }
}
