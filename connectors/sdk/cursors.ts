import { addSeconds, compareInstants, formatInstant, requireTimestamp, type Instant } from './timestamps.js';

/**
 * Incremental cursors that never skip a record. Both are plain JSON (they are committed to the
 * cursors topic) and every function is pure: it returns a new cursor, never edits one.
 */

// ---- timestamp + key -------------------------------------------------------------------------

/**
 * For sources that order by `(timestamp, key)`. A record is new when
 * `ts > since or (ts = since and key > key)`, so a page boundary inside a run of records sharing
 * one timestamp loses nothing. Use it either in the source's filter (SAP
 * `$filter=LastChangeDateTime gt X or (LastChangeDateTime eq X and PurchaseOrder gt 'K')`) or,
 * for sources that only filter `ts >= since`, with `isAfter` on every record read.
 */
export interface TimestampKeyCursor {
  /** The timestamp as the source wrote it (kept verbatim for the next filter). */
  since: string | null;
  /** The key of the last record read at `since`. */
  key: string | null;
}

export type KeyOrder = (a: string, b: string) => number;

/**
 * Default key order: numeric when both keys are digits only (NetSuite and most SQL ids sort as
 * numbers: 9 < 10), text otherwise. Pass `compareKeysAsText` for a source that sorts numeric
 * keys as text (`'10' < '9'`). The order MUST match the source's `ORDER BY`, or `isAfter` can drop
 * records after a page boundary.
 */
export const compareKeys: KeyOrder = (a, b) => {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
};

export const compareKeysAsText: KeyOrder = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function comparePosition(cursor: TimestampKeyCursor, ts: string, key: string, order: KeyOrder): number {
  const at = requireTimestamp(ts, 'cursor field');
  if (cursor.since === null) return 1;
  const byTime = compareInstants(at, requireTimestamp(cursor.since, 'cursor'));
  if (byTime !== 0) return byTime;
  if (cursor.key === null) return 1;
  return order(key, cursor.key);
}

/** True when `(ts, key)` comes after the cursor: the record has not been read yet. */
export function isAfter(cursor: TimestampKeyCursor | null, ts: string, key: string, order: KeyOrder = compareKeys): boolean {
  return comparePosition(cursor ?? { since: null, key: null }, ts, key, order) > 0;
}

/** The cursor after reading `(ts, key)`; it never moves backwards (an older record leaves it as is). */
export function advanceTimestampKey(cursor: TimestampKeyCursor | null, ts: string, key: string, order: KeyOrder = compareKeys): TimestampKeyCursor {
  const current = cursor ?? { since: null, key: null };
  return comparePosition(current, ts, key, order) > 0 ? { since: ts, key } : current;
}

// ---- overlap window --------------------------------------------------------------------------

/**
 * For sources whose change timestamps are coarse (NetSuite: whole minutes) or whose changes
 * become visible late: each poll queries from `since - overlap` and drops what it already
 * emitted. `seen` holds `<timestamp>|<id>` of records emitted within the window, so the same
 * change is emitted once, while a new change of the same record (a new timestamp) is emitted.
 */
export interface OverlapCursor {
  /** The latest change timestamp read, as the source wrote it. */
  since: string | null;
  /** `<UTC ISO timestamp>|<id>` of records emitted with a timestamp inside the window. */
  seen: string[];
}

export interface OverlapOptions {
  /** How far before `since` each poll re-reads. At least the timestamp precision. */
  overlapSeconds: number;
  /** Timestamp precision of the source, seconds (NetSuite: 60). Default 60. */
  precisionSeconds?: number;
  /**
   * When the page was read (ReadContext.startedAt). A record whose timestamp period had not
   * closed by then may change again within the same period, keeping its timestamp; it is not
   * remembered, so the next poll emits it again rather than risk missing that second change.
   */
  readAt?: Date | string;
}

function seenEntry(id: string, ts: Instant): string {
  return `${formatInstant(ts)}|${id}`;
}

/** The timestamp each poll queries from (UTC ISO 8601), or null for a first, full read. */
export function overlapStart(cursor: OverlapCursor | null, overlapSeconds: number): string | null {
  if (!cursor?.since) return null;
  return formatInstant(addSeconds(requireTimestamp(cursor.since, 'cursor'), -overlapSeconds));
}

/** False when this record, at this change timestamp, was already emitted. */
export function firstSeen(cursor: OverlapCursor | null, id: string, ts: string): boolean {
  if (!cursor) return true;
  return !cursor.seen.includes(seenEntry(id, requireTimestamp(ts, 'cursor field')));
}

/** The cursor after emitting record `id` changed at `ts`. */
export function advanceOverlap(cursor: OverlapCursor | null, id: string, ts: string, options: OverlapOptions): OverlapCursor {
  const changedAt = requireTimestamp(ts, 'cursor field');
  const previous = cursor?.since ? requireTimestamp(cursor.since, 'cursor') : null;
  const since = previous && compareInstants(previous, changedAt) >= 0 ? cursor!.since! : ts;
  const windowStart = addSeconds(requireTimestamp(since), -options.overlapSeconds);
  const entry = seenEntry(id, changedAt);
  const periodClosed = options.readAt === undefined || compareInstants(addSeconds(changedAt, options.precisionSeconds ?? 60), requireTimestamp(options.readAt)) <= 0;
  const kept = (cursor?.seen ?? []).filter((item) => item !== entry && compareInstants(requireTimestamp(item.slice(0, item.indexOf('|'))), windowStart) >= 0);
  const inWindow = compareInstants(changedAt, windowStart) >= 0;
  return { since, seen: periodClosed && inWindow ? [...kept, entry] : kept };
}

// ---- pages -----------------------------------------------------------------------------------

/** Folds a stream's pure `nextCursor` over a page's records: the cursor to commit with the page. */
export function cursorAfter<Raw, Cursor>(nextCursor: (cursor: Cursor | null, record: Raw) => Cursor, cursor: Cursor | null, records: readonly Raw[]): Cursor | null {
  return records.reduce<Cursor | null>((current, record) => nextCursor(current, record), cursor);
}
