import { ConnectorError } from '../sdk/errors.js';
import type { ChangeAxis } from './change-axes.js';
import type { ODataRecord } from './odata/page.js';
import { and, stringLiteral } from './odata/values.js';

/**
 * Reads an SAP entity set incrementally without skipping a record, whatever its page boundaries,
 * timestamp precision or concurrent changes.
 *
 * Full pass (cursor null): keyset paging by key (`Key gt 'last'`, `$orderby=Key`), so records
 * whose change time is initial are read too. Before it starts, the latest change time of each
 * axis is read (`$orderby=<axis> desc&$top=1`): the next incremental pass starts there.
 *
 * Incremental pass, per axis: `$filter=<axis> ge <since − overlap>&$orderby=<axis>,Key&$top=N`.
 * A full page is cut before its last bucket (see change-axes.ts), which the next request starts
 * at, so a bucket is never split across requests by position. A page wholly inside one bucket
 * switches to reading that bucket by key (`within(bucket) and Key gt 'last'`). The committed
 * `since` is the last bucket emitted, inclusive: a change stamped in that bucket after the read
 * is still found. SAP's `__next` only says "more"; the next request is a fresh keyset query,
 * because a `$skiptoken` is a position and a record changing while pages are read shifts positions.
 */
export interface FullPassCursor {
  phase: 'full';
  /** Key of the last record read in the pass. */
  after: string | null;
  /** Latest bucket per axis when the pass began: where incremental reading continues. */
  highWater: (string | null)[];
}

export interface ChangesCursor {
  phase: 'changes';
  /** Per axis: the last bucket read (inclusive), or null when nothing has changed yet. */
  since: (string | null)[];
  /** A bucket larger than a page being read by key. */
  bucket: { axis: number; at: string; after: string | null } | null;
}

export type ChangeCursor = FullPassCursor | ChangesCursor;

export interface PageRequest {
  filter: string | null;
  orderby: string;
  top: number;
  select?: string;
}

export interface FetchedPage {
  records: ODataRecord[];
  /** More records match (`__next` present or a full page). */
  more: boolean;
}

export interface ChangeReaderOptions {
  keyField: string;
  axes: readonly ChangeAxis[];
  pageSize: number;
  overlapSeconds: number;
  /** Restricts every query (A_BusinessPartner: `Supplier ne ''`). */
  baseFilter?: string;
  fetch(request: PageRequest): Promise<FetchedPage>;
}

export interface ChangePage {
  records: ODataRecord[];
  cursor: ChangeCursor;
}

function keyOf(options: ChangeReaderOptions, record: ODataRecord): string {
  const key = record[options.keyField];
  if (typeof key !== 'string' || key === '') {
    throw new ConnectorError('invalid_response', `a record without ${options.keyField} came back from SAP; the page was not captured`);
  }
  return key;
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a >= b ? a : b);

async function latestBucket(options: ChangeReaderOptions, axis: ChangeAxis): Promise<string | null> {
  const page = await options.fetch({
    filter: and(options.baseFilter, axis.atOrAfter(axis.floor)),
    orderby: [...axis.orderFields.map((field) => `${field} desc`), `${options.keyField} desc`].join(','),
    top: 1,
    select: [options.keyField, ...axis.orderFields].join(','),
  });
  return page.records[0] ? axis.bucketOf(page.records[0]) : null;
}

async function* fullPass(options: ChangeReaderOptions, cursor: FullPassCursor | null): AsyncGenerator<ChangePage> {
  const highWater = cursor?.highWater ?? (await Promise.all(options.axes.map((axis) => latestBucket(options, axis))));
  let after = cursor?.after ?? null;
  for (;;) {
    const page = await options.fetch({
      filter: and(options.baseFilter, after === null ? null : `${options.keyField} gt ${stringLiteral(after)}`),
      orderby: options.keyField,
      top: options.pageSize,
    });
    const last = page.records.at(-1);
    if (last) after = keyOf(options, last);
    if (page.more && last) {
      yield { records: page.records, cursor: { phase: 'full', after, highWater } };
      continue;
    }
    yield { records: page.records, cursor: { phase: 'changes', since: highWater, bucket: null } };
    return;
  }
}

async function* changesPass(options: ChangeReaderOptions, start: ChangesCursor): AsyncGenerator<ChangePage> {
  const since = options.axes.map((_, index) => start.since[index] ?? null);
  let lastYielded: string | null = null;
  const cursorWith = (bucket: ChangesCursor['bucket']): ChangesCursor => {
    const cursor: ChangesCursor = { phase: 'changes', since: [...since], bucket };
    lastYielded = JSON.stringify(cursor);
    return cursor;
  };
  for (const [index, axis] of options.axes.entries()) {
    const bucketOf = (record: ODataRecord): string => {
      const bucket = axis.bucketOf(record);
      if (bucket === null) throw new ConnectorError('invalid_response', `${options.keyField} ${keyOf(options, record)} came back without ${axis.name} for a filter on it`);
      return bucket;
    };
    let bucket = start.bucket?.axis === index ? { at: start.bucket.at, after: start.bucket.after } : null;
    let lower = since[index] === null ? axis.floor : axis.minusSeconds(since[index]!, options.overlapSeconds);
    for (;;) {
      if (bucket) {
        const page = await options.fetch({
          filter: and(options.baseFilter, axis.within(bucket.at), bucket.after === null ? null : `${options.keyField} gt ${stringLiteral(bucket.after)}`),
          orderby: options.keyField,
          top: options.pageSize,
        });
        since[index] = later(since[index] ?? null, bucket.at);
        const last = page.records.at(-1);
        if (page.more && last) {
          bucket = { at: bucket.at, after: keyOf(options, last) };
          yield { records: page.records, cursor: cursorWith({ axis: index, ...bucket }) };
          continue;
        }
        lower = axis.next(bucket.at);
        bucket = null;
        if (page.records.length > 0) yield { records: page.records, cursor: cursorWith(null) };
        continue;
      }
      const page = await options.fetch({
        filter: and(options.baseFilter, axis.atOrAfter(lower)),
        orderby: [...axis.orderFields, options.keyField].join(','),
        top: options.pageSize,
      });
      const last = page.records.at(-1);
      if (!page.more || !last) {
        for (const record of page.records) since[index] = later(since[index] ?? null, bucketOf(record));
        if (page.records.length > 0) yield { records: page.records, cursor: cursorWith(null) };
        break;
      }
      const lastBucket = bucketOf(last);
      const complete = page.records.filter((record) => bucketOf(record) < lastBucket);
      if (complete.length === 0) {
        bucket = { at: lastBucket, after: null };
        continue;
      }
      for (const record of complete) since[index] = later(since[index] ?? null, bucketOf(record));
      lower = lastBucket;
      yield { records: complete, cursor: cursorWith(null) };
    }
  }
  // End on a page carrying the final cursor when the last page yielded did not (or none was).
  const final: ChangesCursor = { phase: 'changes', since: [...since], bucket: null };
  if (JSON.stringify(final) !== lastYielded) yield { records: [], cursor: final };
}

export function readChanges(options: ChangeReaderOptions, cursor: ChangeCursor | null): AsyncGenerator<ChangePage> {
  if (cursor === null || cursor.phase === 'full') return fullPass(options, cursor);
  return changesPass(options, cursor);
}

/** Pure: the cursor after `record` was read (what the pages carry, record by record). */
export function advanceChangeCursor(cursor: ChangeCursor | null, record: ODataRecord, keyField: string, axes: readonly ChangeAxis[]): ChangeCursor {
  if (cursor === null || cursor.phase === 'full') {
    const key = record[keyField];
    return { phase: 'full', after: typeof key === 'string' ? key : (cursor?.after ?? null), highWater: cursor?.highWater ?? axes.map(() => null) };
  }
  return { phase: 'changes', since: axes.map((axis, index) => later(cursor.since[index] ?? null, axis.bucketOf(record))), bucket: cursor.bucket };
}
