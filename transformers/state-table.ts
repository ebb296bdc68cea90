/**
 * What the transformer remembers per record of one input partition (one entity): the field
 * hashes of its last unified image, its version, the last full pass that saw it, the stream that
 * wrote it and whether it is deleted. The durable copy is the compacted transformer-state topic;
 * this is the in-memory table a worker keeps for the partitions it owns.
 *
 * Memory is what bounds a worker, so rows live in flat typed arrays (a slab per column) instead
 * of one object per record: per record the Map entry and its key string (about 90 + key length
 * bytes), 4 bytes per hashed field, 8 for the version, 4 for the pass, 2 for the stream and 1 for
 * the flags. A vendor (22 hashed fields) costs about 250 bytes, a work order (44) about 340: see
 * docs/transformers.md for measured figures.
 */
export interface StateRecord {
  hashes: ArrayLike<number>;
  /** Capture time in microseconds; exact as a double until the year 2255. */
  version: number;
  /** Id of the last full pass that saw the record; null when only incremental reads saw it. */
  pass: string | null;
  stream: string;
  deleted: boolean;
}

const NO_PASS = -1;

/** Interns a small set of strings (stream names, pass ids) as indexes. */
class Interned {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}

export class StateTable {
  private readonly index = new Map<string, number>();
  private hashes: Int32Array;
  private versions: Float64Array;
  private passes: Int32Array;
  private streams: Uint16Array;
  private deletedFlags: Uint8Array;
  private readonly passNames = new Interned();
  private readonly streamNames = new Interned();

  constructor(
    readonly fieldCount: number,
    private capacity = 1_024,
  ) {
    this.hashes = new Int32Array(capacity * fieldCount);
    this.versions = new Float64Array(capacity);
    this.passes = new Int32Array(capacity);
    this.streams = new Uint16Array(capacity);
    this.deletedFlags = new Uint8Array(capacity);
  }

  get size(): number {
    return this.index.size;
  }

  /** The record's state; `hashes` is a view valid until the next `set`. */
  get(key: string): StateRecord | undefined {
    const row = this.index.get(key);
    return row === undefined ? undefined : this.read(row);
  }

  set(key: string, record: StateRecord): void {
    if (record.hashes.length !== this.fieldCount) {
      throw new Error(`state for ${key} has ${record.hashes.length} field hashes, the table ${this.fieldCount}`);
    }
    let row = this.index.get(key);
    if (row === undefined) {
      row = this.index.size;
      if (row >= this.capacity) this.grow();
      this.index.set(key, row);
    }
    this.hashes.set(record.hashes, row * this.fieldCount);
    this.versions[row] = record.version;
    this.passes[row] = record.pass === null ? NO_PASS : this.passNames.id(record.pass);
    this.streams[row] = this.streamNames.id(record.stream);
    this.deletedFlags[row] = record.deleted ? 1 : 0;
  }

  /**
   * Keys of one connection and stream that exist (are not deleted) and were not seen by `passId`:
   * what a complete full pass deletes.
   */
  unseenBy(connectionId: string, stream: string, passId: string): string[] {
    const prefix = `${connectionId}:`;
    const streamId = this.streamNames.id(stream);
    const passIndex = this.passNames.id(passId);
    const unseen: string[] = [];
    for (const [key, row] of this.index) {
      if (this.deletedFlags[row] === 1 || this.streams[row] !== streamId || this.passes[row] === passIndex) continue;
      if (key.startsWith(prefix)) unseen.push(key);
    }
    return unseen;
  }

  private read(row: number): StateRecord {
    const pass = this.passes[row]!;
    return {
      hashes: this.hashes.subarray(row * this.fieldCount, (row + 1) * this.fieldCount),
      version: this.versions[row]!,
      pass: pass === NO_PASS ? null : this.passNames.names[pass]!,
      stream: this.streamNames.names[this.streams[row]!]!,
      deleted: this.deletedFlags[row] === 1,
    };
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Int32Array | Float64Array | Uint16Array | Uint8Array>(old: T, make: (n: number) => T, width = 1): T => {
      const next = make(this.capacity * width);
      next.set(old);
      return next;
    };
    this.hashes = grown(this.hashes, (n) => new Int32Array(n), this.fieldCount);
    this.versions = grown(this.versions, (n) => new Float64Array(n));
    this.passes = grown(this.passes, (n) => new Int32Array(n));
    this.streams = grown(this.streams, (n) => new Uint16Array(n));
    this.deletedFlags = grown(this.deletedFlags, (n) => new Uint8Array(n));
  }
}
