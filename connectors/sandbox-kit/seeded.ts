/**
 * Deterministic data for sandboxes: record i of a dataset is a pure function of (seed, i), so a
 * sandbox can serve 1,000,000 records without holding them in memory, and every run sees the
 * same data. Changes made through a sandbox's control API are kept in an overlay beside it.
 */
export function seededRandom(seed: number, index = 0): () => number {
  // mulberry32 over a seed mixed with the record index.
  let state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A decimal string with `scale` digits after the point, between min and max. */
export function decimalBetween(random: () => number, min: number, max: number, scale: number): string {
  return (min + random() * (max - min)).toFixed(scale);
}

/**
 * The `indexOf` of keys that are a number counting up from `first` (`4500000000 + i`), written
 * without leading zeros as the generators write them.
 */
export function numericKeyIndex(first: number): (key: string) => number | undefined {
  return (key) => (/^(0|[1-9]\d*)$/.test(key) ? Number(key) - first : undefined);
}

/**
 * Records 0..count-1 generated on demand, plus an overlay of created, updated and deleted
 * records. Ordering by a change timestamp is the caller's job (see `changeTimeOf`).
 *
 * Looking a record up by key needs the key's index. A dataset whose keys are derived from the
 * index passes `indexOf` (the inverse of `keyAt`): a lookup then costs one call. Without it the
 * first lookup builds a key → index map of every record (~3 s and ~60 MB at 1,000,000 records).
 */
export class LazyDataset<T> {
  private readonly overlay = new Map<string, T | null>();
  /** Keys created beyond the generated range, in creation order. */
  private readonly extraKeys = new Set<string>();
  private indexByKey: Map<string, number> | null = null;

  constructor(
    readonly count: number,
    private readonly generate: (index: number) => T,
    private readonly keyOf: (record: T) => string,
    private readonly keyAt: (index: number) => string,
    private readonly deriveIndex?: (key: string) => number | undefined,
  ) {}

  /** Current record for a key, or undefined if it never existed or was deleted. */
  get(key: string): T | undefined {
    if (this.overlay.has(key)) return this.overlay.get(key) ?? undefined;
    const index = this.indexOf(key);
    return index === undefined ? undefined : this.generate(index);
  }

  /** Keys in a stable order: generated ones by index, then created ones in creation order. */
  *keys(): Generator<string> {
    for (let i = 0; i < this.count; i++) yield this.keyAt(i);
    yield* this.extraKeys;
  }

  *records(): Generator<T> {
    for (const key of this.keys()) {
      const record = this.get(key);
      if (record !== undefined) yield record;
    }
  }

  put(record: T): void {
    const key = this.keyOf(record);
    if (this.indexOf(key) === undefined) this.extraKeys.add(key);
    this.overlay.set(key, record);
  }

  delete(key: string): boolean {
    const existed = this.get(key) !== undefined;
    this.overlay.set(key, null);
    return existed;
  }

  /** Keys touched through put/delete since the start: what "changed" since the seed. */
  changedKeys(): string[] {
    return [...this.overlay.keys()];
  }

  /** Index of a generated record's key; undefined for created keys and keys that never existed. */
  indexOf(key: string): number | undefined {
    if (this.deriveIndex) {
      const index = this.deriveIndex(key);
      // Checked against keyAt, so a derivation that is off (leading zeros, another range) finds
      // nothing rather than the wrong record.
      if (index === undefined || !Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
      return this.keyAt(index) === key ? index : undefined;
    }
    if (!this.indexByKey) {
      this.indexByKey = new Map();
      for (let i = 0; i < this.count; i++) this.indexByKey.set(this.keyAt(i), i);
    }
    return this.indexByKey.get(key);
  }
}
