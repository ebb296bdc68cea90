import { LazyDataset } from '../../sandbox-kit/seeded.js';
import { compareValues, type EdmType, type EdmValue } from './edm.js';
import type { Bounds } from './filter-eval.js';
import type { EntityTypeDef, SandboxRecord } from './model.js';

/**
 * An entity set backed by a LazyDataset (records generated on demand from the seed, plus an
 * overlay of created/changed/deleted ones) with ordered indexes, so a query ordered by
 * `LastChangeDateTime,PurchaseOrder` with `LastChangeDateTime ge …` starts with a binary search
 * instead of scanning 1,000,000 records: the "database index" a real SAP system has.
 *
 * An index is `generatedInOrder` when record i+1 never sorts before record i (the generators are
 * written that way for keys and change times); otherwise its order over the generated records is
 * computed once, on first use. Overlay records live in a small sorted list merged in while scanning.
 */
export interface IndexDef {
  name: string;
  /** Sort fields, all ascending; the last ones must make the order total (end with the key). */
  fields: readonly string[];
  generatedInOrder: boolean;
}

export interface CollectionOptions {
  entityType: EntityTypeDef;
  count: number;
  generate(index: number): SandboxRecord;
  keyAt(index: number): string;
  /** The inverse of keyAt, so lookups by key need no key → index map of the whole set. */
  indexOf?(key: string): number | undefined;
  keyOf(record: SandboxRecord): string;
  indexes: readonly IndexDef[];
}

interface OverlayEntry {
  key: string;
  tuple: EdmValue[];
  record: SandboxRecord;
}

export class OrderedCollection {
  readonly entityType: EntityTypeDef;
  private readonly dataset: LazyDataset<SandboxRecord>;
  private readonly overlaid = new Set<string>();
  private readonly overlays = new Map<string, OverlayEntry[]>();
  private readonly permutations = new Map<string, Int32Array>();

  constructor(private readonly options: CollectionOptions) {
    this.entityType = options.entityType;
    this.dataset = new LazyDataset(options.count, options.generate, options.keyOf, options.keyAt, options.indexOf);
    for (const index of options.indexes) {
      for (const field of index.fields) {
        if (!(field in this.entityType.properties)) throw new Error(`index ${index.name}: ${field} is not a property`);
      }
      this.overlays.set(index.name, []);
    }
  }

  get indexes(): readonly IndexDef[] {
    return this.options.indexes;
  }

  get(key: string): SandboxRecord | undefined {
    return this.dataset.get(key);
  }

  put(record: SandboxRecord): void {
    const key = this.options.keyOf(record);
    this.dataset.put(record);
    this.overlaid.add(key);
    for (const index of this.options.indexes) {
      const list = this.removeFromOverlay(index.name, key);
      const entry: OverlayEntry = { key, tuple: this.tupleOf(index, record), record };
      list.splice(this.overlayInsertPosition(index, list, entry.tuple), 0, entry);
    }
  }

  delete(key: string): boolean {
    const existed = this.dataset.delete(key);
    this.overlaid.add(key);
    for (const index of this.options.indexes) this.removeFromOverlay(index.name, key);
    return existed;
  }

  /** Records in index order (ascending or descending), restricted to bounds on the first field. */
  *scan(indexName: string, descending: boolean, bounds: Bounds = {}): Generator<SandboxRecord> {
    const index = this.options.indexes.find((candidate) => candidate.name === indexName);
    if (!index) throw new Error(`no index ${indexName}`);
    const firstType = this.typeOf(index.fields[0]!);
    const overlay = this.overlays.get(index.name)!;
    const generated = this.generatedCursor(index, descending, bounds);
    let overlayPosition = descending ? overlay.length - 1 : 0;
    const inBounds = (value: EdmValue): 'before' | 'inside' | 'after' => {
      const [low, high] = descending ? [bounds.upper, bounds.lower] : [bounds.lower, bounds.upper];
      const sign = descending ? -1 : 1;
      if (low !== undefined && sign * compareValues(firstType, value, low) < 0) return 'before';
      if (high !== undefined && sign * compareValues(firstType, value, high) > 0) return 'after';
      return 'inside';
    };
    let nextGenerated = generated.next();
    for (;;) {
      let overlayEntry = overlay[overlayPosition];
      while (overlayEntry && inBounds(overlayEntry.tuple[0]!) === 'before') {
        overlayPosition += descending ? -1 : 1;
        overlayEntry = overlay[overlayPosition];
      }
      const overlayUsable = overlayEntry !== undefined && inBounds(overlayEntry.tuple[0]!) === 'inside';
      const generatedEntry = nextGenerated.done ? undefined : nextGenerated.value;
      if (!overlayUsable && !generatedEntry) return;
      const takeOverlay =
        overlayUsable &&
        (!generatedEntry || (descending ? -1 : 1) * this.compareTuples(index, overlayEntry!.tuple, generatedEntry.tuple) <= 0);
      if (takeOverlay) {
        yield overlayEntry!.record;
        overlayPosition += descending ? -1 : 1;
      } else {
        yield generatedEntry!.record;
        nextGenerated = generated.next();
      }
    }
  }

  /** Generated records not shadowed by the overlay, in index order, within bounds. */
  private *generatedCursor(index: IndexDef, descending: boolean, bounds: Bounds): Generator<{ tuple: EdmValue[]; record: SandboxRecord }> {
    const count = this.options.count;
    const at = this.orderAccessor(index);
    const firstType = this.typeOf(index.fields[0]!);
    const firstValue = (position: number) => this.tupleOf(index, this.options.generate(at(position)))[0]!;
    // Binary search the first position inside the bounds.
    let position: number;
    if (!descending) {
      position = bounds.lower === undefined ? 0 : this.lowerBound(count, (p) => compareValues(firstType, firstValue(p), bounds.lower!) < 0);
    } else {
      position =
        bounds.upper === undefined ? count - 1 : this.lowerBound(count, (p) => compareValues(firstType, firstValue(p), bounds.upper!) <= 0) - 1;
    }
    for (; position >= 0 && position < count; position += descending ? -1 : 1) {
      const generatedIndex = at(position);
      if (this.overlaid.has(this.options.keyAt(generatedIndex))) continue;
      const record = this.options.generate(generatedIndex);
      const tuple = this.tupleOf(index, record);
      const limit = descending ? bounds.lower : bounds.upper;
      if (limit !== undefined && (descending ? -1 : 1) * compareValues(firstType, tuple[0]!, limit) > 0) return;
      yield { tuple, record };
    }
  }

  /** First position p in [0, count) where `before(p)` is false (before must be monotone). */
  private lowerBound(count: number, before: (position: number) => boolean): number {
    let low = 0;
    let high = count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before(middle)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private orderAccessor(index: IndexDef): (position: number) => number {
    if (index.generatedInOrder) return (position) => position;
    let permutation = this.permutations.get(index.name);
    if (!permutation) {
      const tuples = Array.from({ length: this.options.count }, (_, i) => this.tupleOf(index, this.options.generate(i)));
      const order = Array.from({ length: this.options.count }, (_, i) => i);
      order.sort((a, b) => this.compareTuples(index, tuples[a]!, tuples[b]!));
      permutation = Int32Array.from(order);
      this.permutations.set(index.name, permutation);
    }
    const fixed = permutation;
    return (position) => fixed[position]!;
  }

  private tupleOf(index: IndexDef, record: SandboxRecord): EdmValue[] {
    return index.fields.map((field) => (record[field] ?? null) as EdmValue);
  }

  private typeOf(field: string): EdmType {
    return this.entityType.properties[field]!;
  }

  private compareTuples(index: IndexDef, left: EdmValue[], right: EdmValue[]): number {
    for (let i = 0; i < index.fields.length; i++) {
      const order = compareValues(this.typeOf(index.fields[i]!), left[i]!, right[i]!);
      if (order !== 0) return order;
    }
    return 0;
  }

  private overlayInsertPosition(index: IndexDef, list: OverlayEntry[], tuple: EdmValue[]): number {
    return this.lowerBound(list.length, (position) => this.compareTuples(index, list[position]!.tuple, tuple) < 0);
  }

  private removeFromOverlay(indexName: string, key: string): OverlayEntry[] {
    const list = this.overlays.get(indexName)!;
    const position = list.findIndex((entry) => entry.key === key);
    if (position >= 0) list.splice(position, 1);
    return list;
  }
}
