import { RowBuffer } from './row-buffer.js';

/**
 * The rows made from one run of consecutive messages of one topic-partition, by table. A batch
 * is identified by its first and last offset: that range is its dedup token and, while it is
 * being written, the pending end recorded in the committed offset's metadata. Re-made from the
 * same messages it holds the same rows in the same order, so the token means the same data.
 */
export interface ConvertedRow {
  table: string;
  /** One row's JSON text, without the newline: a JSONEachRow object, or for an entity table a JSONCompactEachRow array (compact-entity-row.ts). */
  json: string;
  /** Capture time of the record in ms, when the row is a record. */
  capturedAtMs?: number;
}

/** The message a batch row came from: its offset and its Kafka timestamp (ms). */
export interface RowSource {
  offset: bigint;
  publishedAtMs: number;
}

export class SinkBatch {
  readonly tables = new Map<string, RowBuffer>();
  first: bigint | undefined;
  last: bigint | undefined;
  messages = 0;
  rows = 0;
  bytes = 0;
  /** When the first message was added (ms, monotonic clock): the flush interval counts from it. */
  readonly openedAt = performance.now();

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  add({ offset, publishedAtMs }: RowSource, rows: readonly ConvertedRow[]): void {
    this.first ??= offset;
    this.last = offset;
    this.messages += 1;
    for (const row of rows) {
      let buffer = this.tables.get(row.table);
      if (!buffer) {
        buffer = new RowBuffer();
        this.tables.set(row.table, buffer);
      }
      const before = buffer.bytes;
      buffer.push(row.json, Number(offset), row.capturedAtMs, publishedAtMs);
      this.bytes += buffer.bytes - before;
      this.rows += 1;
    }
  }

  /** `<topic>/<partition>/<first>-<last>`: the insert_deduplication_token of every table's insert. */
  token(): string {
    return `${this.topic}/${this.partition}/${this.first}-${this.last}`;
  }
}
