/**
 * The body of one table's share of a batch (one JSON row per line: JSONEachRow objects, or
 * JSONCompactEachRow arrays for entity tables), written straight into large byte chunks
 * as rows arrive: no string concatenation of the whole body and no per-row Buffer objects, and
 * the chunks go to ClickHouse as they are (to chdb's worker thread without another copy of the
 * text on the event loop). Each row remembers the Kafka offset it came from (for dead letters),
 * and its message's publish time and, for records, the capture time (for latency figures).
 */
const CHUNK_BYTES = 1 << 20;

export class RowBuffer {
  private readonly chunks: Buffer[] = [];
  private current: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  /** Kafka offset of the message each row came from, by row index. */
  readonly offsets: number[] = [];
  /** Capture time in ms of each row's record, when the row is a record (else NaN). */
  readonly capturedAtMs: number[] = [];
  /** When the message the row came from was published to Kafka, in ms (its timestamp). */
  readonly publishedAtMs: number[] = [];
  bytes = 0;

  get rows(): number {
    return this.offsets.length;
  }

  /** Appends one row (its JSON text without the newline). */
  push(json: string, offset: number, capturedAtMs = Number.NaN, publishedAtMs = Number.NaN): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; measure exactly only near a chunk's end.
    let size = json.length * 3 + 1;
    if (this.used + size > this.current.length) {
      size = Buffer.byteLength(json) + 1;
      if (this.used + size > this.current.length) this.nextChunk(size);
    }
    const written = this.current.write(json, this.used);
    this.current[this.used + written] = 0x0a;
    this.used += written + 1;
    this.bytes += written + 1;
    this.offsets.push(offset);
    this.capturedAtMs.push(capturedAtMs);
    this.publishedAtMs.push(publishedAtMs);
  }

  /** The body as chunks, ready to send. */
  body(): Buffer[] {
    return this.used === 0 ? [...this.chunks] : [...this.chunks, this.current.subarray(0, this.used)];
  }

  /** The rows as separate lines (only for the rare split of a batch ClickHouse refused). */
  lines(): string[] {
    const text = Buffer.concat(this.body()).toString('utf8');
    return text.split('\n').slice(0, this.rows);
  }

  private nextChunk(minimum: number): void {
    if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used));
    this.current = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, minimum));
    this.used = 0;
  }
}
