/**
 * One entity set of one company: records 0..count-1 generated on demand from (seed, index), plus an
 * overlay of records created, changed or deleted through the API or the control functions.
 *
 * Not the kit's LazyDataset because Business Central paging needs two things it does not offer
 * without materializing every key: finding a seeded record from its id in O(1) (ids encode their
 * index, see ids.ts) and scanning in change-time order from a point (seeded change times grow with
 * the index, so a binary search finds where `lastModifiedDateTime gt X` starts).
 */
export interface Timestamped {
  id: string;
  lastModifiedDateTime: string;
}

export interface TableSource<T> {
  count: number;
  generate(index: number): T;
  /** The seeded index an id stands for, or undefined for ids the seed never made. */
  indexOf(id: string): number | undefined;
  /** Change time of seeded record `index`, ms; strictly increasing with the index. */
  seededTimeMs(index: number): number;
  /**
   * Fields the seeded records are sorted by in index order (ascending), with every created record
   * sorting after every seeded one (document numbers come from one series): lets `$orderby` on
   * them stream instead of sorting the whole table.
   */
  sortedBy?: readonly string[];
  /** Field → the seeded index holding a value of it (a unique reference such as orderId), for `field eq value`. */
  lookup?: Record<string, (value: string) => number | undefined>;
}

export class Table<T extends Timestamped> {
  private readonly overlay = new Map<string, T | null>();
  private readonly created: string[] = [];

  constructor(private readonly source: TableSource<T>) {}

  get count(): number {
    return this.source.count;
  }

  get(id: string): T | undefined {
    const key = id.toLowerCase();
    if (this.overlay.has(key)) return this.overlay.get(key) ?? undefined;
    const index = this.source.indexOf(key);
    return index === undefined ? undefined : this.source.generate(index);
  }

  /** The seeded image of record `index`, ignoring later changes (what other records copied at creation). */
  seeded(index: number): T {
    return this.source.generate(index);
  }

  put(record: T): void {
    const key = record.id.toLowerCase();
    if (!this.overlay.has(key) && this.source.indexOf(key) === undefined) this.created.push(key);
    this.overlay.set(key, record);
  }

  delete(id: string): boolean {
    const key = id.toLowerCase();
    const existed = this.get(key) !== undefined;
    if (existed) this.overlay.set(key, null);
    return existed;
  }

  /**
   * The service's default order (the primary key; seeded numbers grow with the index, created
   * records come after), starting after the record `afterId` when given.
   */
  *defaultOrder(afterId?: string): Generator<T> {
    let start = 0;
    let createdStart = 0;
    if (afterId) {
      const key = afterId.toLowerCase();
      const index = this.source.indexOf(key);
      if (index !== undefined) start = index + 1;
      else {
        start = this.source.count;
        createdStart = this.created.indexOf(key) + 1;
      }
    }
    for (let i = start; i < this.source.count; i++) {
      const record = this.recordAt(i);
      if (record) yield record;
    }
    for (let i = createdStart; i < this.created.length; i++) {
      const record = this.overlay.get(this.created[i]!);
      if (record) yield record;
    }
  }

  /** Records ordered by (lastModifiedDateTime, id), starting at `fromMs` (exclusive unless `inclusive`). */
  *byModified(fromMs = Number.NEGATIVE_INFINITY, inclusive = true): Generator<T> {
    const changed = [...this.overlay.values()]
      .filter((record): record is T => record !== null)
      .map((record) => ({ record, ms: Date.parse(record.lastModifiedDateTime) }))
      .filter(({ ms }) => (inclusive ? ms >= fromMs : ms > fromMs))
      .sort((a, b) => a.ms - b.ms || (a.record.id < b.record.id ? -1 : 1));
    let c = 0;
    for (let i = this.firstSeededAt(fromMs, inclusive); i < this.source.count; i++) {
      const ms = this.source.seededTimeMs(i);
      while (c < changed.length && changed[c]!.ms < ms) yield changed[c++]!.record;
      const record = this.recordAt(i, true);
      if (record) {
        while (c < changed.length && changed[c]!.ms === ms && changed[c]!.record.id < record.id) yield changed[c++]!.record;
        yield record;
      }
    }
    while (c < changed.length) yield changed[c++]!.record;
  }

  get sortedBy(): readonly string[] | undefined {
    return this.source.sortedBy;
  }

  /** Records whose `field` equals `value`, through the source's lookup; undefined when it has none for `field`. */
  lookup(field: string, value: string): T[] | undefined {
    const find = this.source.lookup?.[field];
    if (!find) return undefined;
    const index = find(value);
    const seeded = index === undefined ? undefined : this.recordAt(index);
    const changed = [...this.overlay.values()].filter((record): record is T => record !== null && String((record as Record<string, unknown>)[field]).toLowerCase() === value.toLowerCase());
    const all = seeded ? [seeded, ...changed.filter((record) => record.id !== seeded.id)] : changed;
    return all.filter((record) => String((record as Record<string, unknown>)[field]).toLowerCase() === value.toLowerCase());
  }

  /**
   * Seeded records from index `start` in index order (current images), then created ones sorted by
   * `compare`: the order `sortedBy` describes.
   */
  *indexOrder(start: number, compare: (a: T, b: T) => number): Generator<T> {
    for (let i = Math.max(0, start); i < this.source.count; i++) {
      const record = this.recordAt(i);
      if (record) yield record;
    }
    yield* this.created.map((id) => this.overlay.get(id)).filter((record): record is T => !!record).sort(compare);
  }

  /** First seeded index whose record is not `before` the wanted position (records ascend with the index). */
  firstIndexWhere(before: (record: T) => boolean): number {
    let low = 0;
    let high = this.source.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(this.source.generate(mid))) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Ids touched through the API or control functions, in no particular order. */
  changedIds(): string[] {
    return [...this.overlay.keys()];
  }

  /** The record at seeded index i, unless changed (when `unchangedOnly`) or deleted. */
  private recordAt(index: number, unchangedOnly = false): T | undefined {
    if (this.overlay.size === 0) return this.source.generate(index);
    const record = this.source.generate(index);
    const key = record.id.toLowerCase();
    if (!this.overlay.has(key)) return record;
    return unchangedOnly ? undefined : (this.overlay.get(key) ?? undefined);
  }

  private firstSeededAt(fromMs: number, inclusive: boolean): number {
    let low = 0;
    let high = this.source.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const ms = this.source.seededTimeMs(mid);
      if (inclusive ? ms >= fromMs : ms > fromMs) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}
