import type { Logger } from '../../platform/logger.js';
import { namedRowText } from './converters/compact-entity-row.js';
import { deadLetterRow } from './converters/dead-letter-row.js';
import type { InsertWriter, RefusedRow } from './insert-writer.js';
import { pendingMarker } from './offset-marker.js';
import type { PartitionSlot } from './partition-slot.js';
import { RowBuffer } from './row-buffer.js';
import type { SinkBatch } from './sink-batch.js';
import type { SinkMetrics } from './sink-metrics.js';
import { DEAD_LETTERS_TABLE } from './tables.js';

/**
 * Writes one batch, in the order that makes a crash at any point harmless:
 *   1. commit the batch's first offset with a marker naming its last offset;
 *   2. insert each table's rows with token `<topic>/<partition>/<first>-<last>`;
 *   3. commit last + 1, or past the transaction markers read after it (Kafka offsets move only
 *      after ClickHouse acknowledged the insert).
 * Killed after 1 or 2, the next owner finds the marker and re-forms the same batch, whose token
 * ClickHouse recognizes. Failures are retried with the same token until they succeed or the
 * partition's epoch ends (a rebalance): then the batch is abandoned here and re-formed by
 * whoever owns the partition, from the marker. The staleness check runs right before each
 * commit is sent, so a worker never commits for a partition it lost.
 */
export interface WrittenTable {
  table: string;
  rows: number;
  /** Capture time (ms) of each row's record; NaN for rows that are not records. */
  capturedAtMs: readonly number[];
  /** When each row's message was published to the topic the sink read (ms). */
  publishedAtMs: readonly number[];
}

export interface WrittenBatch {
  topic: string;
  partition: number;
  first: bigint;
  last: bigint;
  replayed: boolean;
  tables: WrittenTable[];
  /** When ClickHouse had acknowledged every insert (ms since the epoch). */
  writtenAt: number;
}

export interface FlushContext {
  writer: InsertWriter;
  metrics: SinkMetrics;
  logger: Logger;
  /** The slot still belongs to the running epoch (the partition is still this worker's). */
  isCurrent(slot: PartitionSlot): boolean;
  commit(topic: string, partition: number, offset: bigint, metadata: string | null): Promise<void>;
  onBatchWritten?: (batch: WrittenBatch) => void;
}

const STALE = Symbol('stale');
const MAX_BACKOFF_MS = 30_000;

export async function writeBatch(context: FlushContext, slot: PartitionSlot, batch: SinkBatch, replayed: boolean): Promise<boolean> {
  const first = batch.first!;
  const last = batch.last!;
  const token = batch.token();
  const log = { topic: batch.topic, partition: batch.partition, token };
  if (batch.rows > 0) {
    const marked = await retrying(context, slot, log, 'commit of the pending marker', () => context.commit(batch.topic, batch.partition, first, pendingMarker(last)));
    if (marked === STALE) return false;
  }
  const refused: { table: string; row: RefusedRow }[] = [];
  const written: WrittenTable[] = [];
  for (const [table, rows] of batch.tables) {
    const started = performance.now();
    const outcome = await retrying(context, slot, log, `insert into ${table}`, () => context.writer.insert(table, rows, token));
    if (outcome === STALE) return false;
    for (const row of outcome) refused.push({ table, row });
    context.metrics.inserted(table, rows.rows - outcome.length, (performance.now() - started) / 1000);
    written.push({ table, rows: rows.rows - outcome.length, capturedAtMs: rows.capturedAtMs, publishedAtMs: rows.publishedAtMs });
  }
  if (refused.length > 0 && !(await writeRefused(context, slot, batch, refused))) return false;
  let next = last + 1n;
  const committed = await retrying(context, slot, log, 'offset commit', () => {
    // Decided right before the commit is sent: no message read after the batch is buffered then.
    next = slot.commitOffsetAfter(last + 1n);
    return context.commit(batch.topic, batch.partition, next, null);
  });
  if (committed === STALE) return false;
  slot.nextOffset = next;
  context.metrics.batchWritten(replayed);
  context.onBatchWritten?.({ topic: batch.topic, partition: batch.partition, first, last, replayed, tables: written, writtenAt: Date.now() });
  return true;
}

/**
 * Commits `offset`, past transaction markers that follow the partition's last written batch (see
 * PartitionSlot.pastMarkers). Runs as the partition's flush in flight, so it never interleaves
 * with a batch's marker and final commit.
 */
export async function commitPastMarkers(context: FlushContext, slot: PartitionSlot, offset: bigint): Promise<boolean> {
  const log = { topic: slot.topic, partition: slot.partition, offset: String(offset) };
  const committed = await retrying(context, slot, log, 'commit past transaction markers', () => context.commit(slot.topic, slot.partition, offset, null));
  if (committed === STALE) return false;
  slot.nextOffset = offset;
  return true;
}

/** Rows ClickHouse refused go to dead_letters (token `<batch token>/refused`), naming the reason. */
async function writeRefused(context: FlushContext, slot: PartitionSlot, batch: SinkBatch, refused: { table: string; row: RefusedRow }[]): Promise<boolean> {
  const rows = new RowBuffer();
  for (const { table, row } of refused) {
    const named = namedRowText(table, row.line);
    const dead = deadLetterRow({
      connection_id: connectionOfRow(named),
      source_system: '',
      entity: table,
      stage: 'sink',
      reason: `ClickHouse refused the row for table ${table}: ${row.reason}`,
      path: '',
      source_topic: batch.topic,
      source_partition: batch.partition,
      source_offset: String(row.offset),
      record_key: null,
      value: Buffer.from(named),
      headers: undefined,
      dead_lettered_at: new Date().toISOString(),
      kafka_topic: batch.topic,
      kafka_partition: batch.partition,
      kafka_offset: String(row.offset),
    });
    rows.push(dead.json, row.offset);
  }
  context.metrics.refused(refused[0]!.table, refused.length);
  context.logger.error({ topic: batch.topic, partition: batch.partition, refused: refused.map(({ table, row }) => ({ table, offset: row.offset, reason: row.reason })) }, 'clickhouse sink: rows refused by ClickHouse written to dead_letters');
  const token = `${batch.token()}/refused`;
  const outcome = await retrying(context, slot, { topic: batch.topic, partition: batch.partition, token }, 'insert of refused rows into dead_letters', () => context.writer.insert(DEAD_LETTERS_TABLE, rows, token));
  if (outcome === STALE) return false;
  if (outcome.length > 0) context.logger.error({ token, rows: outcome.length }, 'clickhouse sink: dead_letters refused the dead-letter rows themselves; they are only in this log');
  context.metrics.deadLettersWritten(refused.length - outcome.length);
  return true;
}

function connectionOfRow(line: string): string {
  const match = /"connection_id":"([^"]*)"/.exec(line);
  return match?.[1] ?? '';
}

async function retrying<T>(context: FlushContext, slot: PartitionSlot, log: Record<string, unknown>, what: string, action: () => Promise<T>): Promise<T | typeof STALE> {
  for (let attempt = 0; ; attempt += 1) {
    // Checked right before the action starts: a commit is only sent for a partition still owned.
    if (!context.isCurrent(slot)) return STALE;
    try {
      return await action();
    } catch (error) {
      if (!context.isCurrent(slot)) return STALE;
      context.metrics.retried();
      const delay = Math.min(MAX_BACKOFF_MS, 200 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      const level = attempt < 3 ? 'warn' : 'error';
      context.logger[level]({ ...log, err: error, attempt: attempt + 1, retry_in_ms: Math.round(delay) }, `clickhouse sink: ${what} failed; retrying with the same token`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
