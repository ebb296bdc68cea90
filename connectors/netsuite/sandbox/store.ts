import { LazyDataset } from '../../sandbox-kit/seeded.js';
import { truncateToMinute } from './clock.js';
import {
  FIRST_ID, generateInventoryItem, generatePurchaseOrder, generateVendor, generatedId, generatedIndex, generatedModifiedMs,
  shapeFor, type DatasetShape,
} from './generate.js';
import { RECORD_TYPES, type AnyRecord, type RecordType, type StoredByType } from './records.js';

/** Position in (lastModifiedDate, id) order, the order incremental SuiteQL queries read in. */
export interface OrderKey {
  ms: number;
  idNum: number;
}

export function compareKeys(a: OrderKey, b: OrderKey): number {
  return a.ms - b.ms || a.idNum - b.idNum;
}

export interface DeletedRecordEntry {
  type: RecordType;
  recordId: string;
  name: string;
  deletedMs: number;
}

/**
 * One record type: generated records (lazily, from the seed) plus an overlay of changes, with an
 * index that can read in (lastModifiedDate, id) order from any position without generating the
 * records before it. That keeps SuiteQL keyset queries cheap on a 1,000,000-record dataset.
 */
class TypeStore<T extends AnyRecord> {
  readonly data: LazyDataset<T>;
  /** Generated ids whose current state lives in the overlay (changed or deleted). */
  private readonly moved = new Set<string>();
  /** Ids of records created through writes (beyond the generated range). */
  private readonly created = new Set<string>();
  /** Current overlay records in key order. */
  private readonly extras: (OrderKey & { id: string })[] = [];
  nextId: number;

  constructor(readonly type: RecordType, readonly count: number, private readonly generate: (index: number) => T) {
    this.data = new LazyDataset<T>(count, generate, (record) => record.id, (index) => generatedId(type, index), (id) => generatedIndex(type, id, count));
    this.nextId = FIRST_ID[type] + count;
  }

  get(id: string): T | undefined {
    // An unchanged generated record comes straight from its index: no key → index map needed.
    const index = generatedIndex(this.type, id, this.count);
    if (index !== undefined && !this.moved.has(id)) return this.generate(index);
    if (index === undefined && !this.created.has(id)) return undefined;
    return this.data.get(id);
  }

  put(record: T): void {
    this.unindex(record.id);
    this.data.put(record);
    if (generatedIndex(this.type, record.id, this.count) !== undefined) this.moved.add(record.id);
    else this.created.add(record.id);
    const key = { ms: record.modifiedMs, idNum: Number(record.id), id: record.id };
    this.extras.splice(this.lowerBound(key, true), 0, key);
  }

  delete(id: string): boolean {
    const existed = this.data.delete(id);
    this.unindex(id);
    if (generatedIndex(this.type, id, this.count) !== undefined) this.moved.add(id);
    return existed;
  }

  /** Ids in key order, strictly after `after` (or from the start). */
  *idsAfter(after: OrderKey | null): Generator<string> {
    let g = after ? this.firstGeneratedAfter(after) : 0;
    let e = after ? this.lowerBound(after, false) : 0;
    for (;;) {
      while (g < this.count && this.moved.has(generatedId(this.type, g))) g++;
      const extra = this.extras[e];
      if (g >= this.count && !extra) return;
      const generated = g < this.count ? { ms: generatedModifiedMs(g), idNum: FIRST_ID[this.type] + g } : null;
      if (generated && (!extra || compareKeys(generated, extra) < 0)) {
        yield generatedId(this.type, g++);
      } else if (extra) {
        yield extra.id;
        e++;
      }
    }
  }

  /** How many records sit strictly after `after`, computed without generating them. */
  countAfter(after: OrderKey | null): number {
    const g = after ? this.firstGeneratedAfter(after) : 0;
    let movedAfter = 0;
    for (const id of this.moved) if (Number(id) - FIRST_ID[this.type] >= g) movedAfter++;
    const e = after ? this.lowerBound(after, false) : 0;
    return this.count - g - movedAfter + (this.extras.length - e);
  }

  size(): number {
    return this.countAfter(null);
  }

  private unindex(id: string): void {
    const at = this.extras.findIndex((entry) => entry.id === id);
    if (at >= 0) this.extras.splice(at, 1);
  }

  /** First generated index whose key is > after (generated keys grow with the index). */
  private firstGeneratedAfter(after: OrderKey): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys({ ms: generatedModifiedMs(mid), idNum: FIRST_ID[this.type] + mid }, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index in extras of the first key > key (or >= key when `inclusive`). */
  private lowerBound(key: OrderKey, inclusive: boolean): number {
    let lo = 0;
    let hi = this.extras.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = compareKeys(this.extras[mid]!, key);
      if (cmp < 0 || (!inclusive && cmp === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export interface StoreOptions {
  size: number;
  seed: number;
  now: () => number;
}

/** The sandbox account's data: purchase orders, vendors, inventory items and the deleted-record log. */
export class NetSuiteStore {
  readonly shape: DatasetShape;
  readonly deleted: DeletedRecordEntry[] = [];
  private readonly stores: { [K in RecordType]: TypeStore<StoredByType[K]> };

  constructor(private readonly options: StoreOptions) {
    const shape = shapeFor(options.size);
    this.shape = shape;
    const vendorName = (id: string): string => this.stores.vendor.get(id)?.companyName ?? `Vendor ${id}`;
    const itemName = (id: string): string => this.stores.inventoryitem.get(id)?.itemId ?? `Item ${id}`;
    this.stores = {
      vendor: new TypeStore('vendor', shape.vendor, (i) => generateVendor(options.seed, i)),
      inventoryitem: new TypeStore('inventoryitem', shape.inventoryitem, (i) => generateInventoryItem(options.seed, i, shape.vendor, vendorName)),
      purchaseorder: new TypeStore('purchaseorder', shape.purchaseorder, (i) => generatePurchaseOrder(options.seed, i, shape, vendorName, itemName)),
    };
  }

  now(): number {
    return truncateToMinute(this.options.now());
  }

  get<K extends RecordType>(type: K, id: string): StoredByType[K] | undefined {
    return this.stores[type].get(id) as StoredByType[K] | undefined;
  }

  /** Stores a new or changed record, stamping lastModifiedDate with the current minute. */
  save<K extends RecordType>(type: K, record: StoredByType[K]): StoredByType[K] {
    const stamped = { ...record, modifiedMs: this.now() };
    (this.stores[type] as TypeStore<StoredByType[K]>).put(stamped);
    return stamped;
  }

  /**
   * Stores a change that NetSuite makes without touching lastModifiedDate: location quantities
   * move with item receipts and fulfilments, not with edits of the item record.
   */
  saveWithoutStamp<K extends RecordType>(type: K, record: StoredByType[K]): StoredByType[K] {
    (this.stores[type] as TypeStore<StoredByType[K]>).put(record);
    return record;
  }

  allocateId(type: RecordType): string {
    return String(this.stores[type].nextId++);
  }

  delete(type: RecordType, id: string): boolean {
    const record = this.get(type, id);
    if (!record) return false;
    this.stores[type].delete(id);
    const entry: DeletedRecordEntry = { type, recordId: id, name: displayName(type, record), deletedMs: this.now() };
    const at = this.deleted.findIndex((other) => other.deletedMs > entry.deletedMs || (other.deletedMs === entry.deletedMs && Number(other.recordId) > Number(id)));
    this.deleted.splice(at < 0 ? this.deleted.length : at, 0, entry);
    return true;
  }

  idsAfter(type: RecordType, after: OrderKey | null): Generator<string> {
    return this.stores[type].idsAfter(after);
  }

  countAfter(type: RecordType, after: OrderKey | null): number {
    return this.stores[type].countAfter(after);
  }

  count(type: RecordType): number {
    return this.stores[type].size();
  }

  /** Current ids in internal-id order, as the record collection lists them. */
  *idOrder(type: RecordType): Generator<string> {
    const store = this.stores[type];
    for (const key of store.data.keys()) if (store.get(key) !== undefined) yield key;
  }

  /** Every current id of a type in key order (small datasets and tests). */
  ids(type: RecordType): string[] {
    return [...this.idsAfter(type, null)];
  }

  types(): readonly RecordType[] {
    return RECORD_TYPES;
  }
}

export function displayName(type: RecordType, record: AnyRecord): string {
  if (type === 'purchaseorder') return `Purchase Order #${(record as StoredByType['purchaseorder']).tranId}`;
  if (type === 'vendor') return (record as StoredByType['vendor']).companyName;
  return (record as StoredByType['inventoryitem']).itemId;
}
