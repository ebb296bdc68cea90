import { SinkBatch, type ConvertedRow, type RowSource } from './sink-batch.js';

/**
 * What the sink knows about one topic-partition during one group generation (epoch): the
 * committed offset it resumed from, a pending batch to re-form if the committed offset carried a
 * marker, the batch being filled, and the flush in flight (at most one: batches of a partition
 * are written in order, so a marker never jumps past an unwritten batch).
 *
 * A rebalance starts a new epoch with fresh slots; an old slot's flush runs to its end (its
 * commits are skipped once it is stale) and the new slot waits for it before reading offsets.
 */
export interface BatchLimits {
  maxRows: number;
  maxBytes: number;
  flushIntervalMs: number;
}

export class PartitionSlot {
  /** Messages below this offset are in ClickHouse already (committed before this epoch began). */
  nextOffset: bigint | undefined;
  /** Last offset of a batch a previous owner had started to write: re-form exactly up to it. */
  pendingEnd: bigint | undefined;
  /** Whether the current batch re-forms a pending one (for metrics). */
  replaying = false;
  current: SinkBatch | undefined;
  inflight: Promise<void> | undefined;
  paused = false;
  ready: Promise<void> | undefined;
  /** Every offset below this was read and held nothing for the sink: transaction markers, aborted records. */
  markersReadTo: bigint | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly epoch: number,
  ) {}

  get key(): string {
    return `${this.topic}|${this.partition}`;
  }

  /** False for a message the previous owner already wrote (below the committed offset). */
  accepts(offset: bigint): boolean {
    return this.nextOffset === undefined || offset >= this.nextOffset;
  }

  /** A message beyond the pending end arrived while the pending batch is still open: the end
   *  itself will not come (it is past the log's retention), so the batch closes as it is. */
  passesPendingEnd(offset: bigint): boolean {
    return this.pendingEnd !== undefined && offset > this.pendingEnd;
  }

  add(source: RowSource, rows: readonly ConvertedRow[]): void {
    if (!this.current) {
      this.current = new SinkBatch(this.topic, this.partition);
      this.replaying = this.pendingEnd !== undefined;
    }
    this.current.add(source, rows);
  }

  /** The pending batch is complete once its last offset is in. */
  completesPending(offset: bigint): boolean {
    return this.pendingEnd !== undefined && offset >= this.pendingEnd;
  }

  full(limits: BatchLimits): boolean {
    return !!this.current && this.pendingEnd === undefined && (this.current.rows >= limits.maxRows || this.current.bytes >= limits.maxBytes);
  }

  /** Ready to flush on its own: old enough or full, and not a pending batch still filling. */
  due(limits: BatchLimits, now: number): boolean {
    if (!this.current || this.pendingEnd !== undefined) return false;
    return this.full(limits) || now - this.current.openedAt >= limits.flushIntervalMs;
  }

  /** Takes the current batch for writing; the next message opens a new one. */
  take(): { batch: SinkBatch; replaying: boolean } | undefined {
    const batch = this.current;
    if (!batch) return undefined;
    const replaying = this.replaying;
    this.current = undefined;
    this.pendingEnd = undefined;
    this.replaying = false;
    return { batch, replaying };
  }

  /** Every message of a fetch up to `next` (exclusive) was read: any not handed over were markers or aborted. */
  markersRead(next: bigint): void {
    if (this.markersReadTo === undefined || next > this.markersReadTo) this.markersReadTo = next;
  }

  /**
   * Where to commit once every message below `next` is written: past the transaction markers (and
   * aborted records) read after them, when no later message is buffered. A consumer is given no
   * message for a marker, so without this its committed offset would stay one or two short of
   * the end of a transactional topic and show as lag forever.
   */
  commitOffsetAfter(next: bigint): bigint {
    if (this.current || this.markersReadTo === undefined || this.markersReadTo <= next) return next;
    return this.markersReadTo;
  }

  /** The offset to commit past markers read while nothing is buffered, pending or in flight. */
  pastMarkers(): bigint | undefined {
    if (this.inflight || this.pendingEnd !== undefined) return undefined;
    const from = this.nextOffset ?? 0n;
    const to = this.commitOffsetAfter(from);
    return to > from ? to : undefined;
  }

  bufferedRows(): number {
    return this.current?.rows ?? 0;
  }
}
