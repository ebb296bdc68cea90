import { advanceOverlap, firstSeen, overlapStart, type OverlapCursor } from '../sdk/cursors.js';
import { ConnectorError } from '../sdk/errors.js';
import type { ReadContext, StreamPage } from '../sdk/types.js';
import type { NetSuiteClient } from './client.js';
import {
  changedAfterQuery, changedSinceQuery, deletedAfterQuery, deletedSinceQuery, isoToSession, latestDeletionQuery, positionOf,
  type DiscoverySpec, type Position,
} from './suiteql.js';

/**
 * The incremental read every NetSuite stream shares:
 *  1. (full pass only) note where the deleted-record log stands, before anything is read;
 *  2. SuiteQL finds records changed since the cursor (less the overlap), keyset-paged in
 *     (lastmodifieddate, id) order; the record service returns each one's full body;
 *  3. the deleted-record log reports records deleted since its cursor.
 * Each page is yielded with the cursor to commit with it. The cursor's times are SuiteQL's own
 * text on the session clock (the integration user's time zone): they go back into the next query
 * unchanged, so no time zone conversion can shift them.
 */
export interface NetSuiteCursor {
  changes: OverlapCursor;
  deletes: OverlapCursor;
  /** When every record was last read in full (UTC ISO); streams whose children change silently re-read on a schedule. */
  fullReadAt: string | null;
}

export interface DiscoveryOptions {
  pageSize: number;
  overlapSeconds: number;
  /** Re-read every record when the last full read is older than this (null: never). */
  fullReadEverySeconds: number | null;
}

/** Seen entries kept at most: beyond it the oldest are dropped, which only re-emits records. */
const MAX_SEEN = 5000;
const EPOCH = '1970-01-01T00:00:00Z';
const EMPTY: OverlapCursor = { since: null, seen: [] };

function remember(cursor: OverlapCursor, id: string, ts: string, overlapSeconds: number, closed: boolean): OverlapCursor {
  // The SDK drops a record from `seen` when its minute was still open at read time; NetSuite's
  // session clock is not UTC, so openness is judged by the caller on the body's UTC time and
  // passed as a read time that makes the SDK keep (undefined) or skip (epoch) the entry.
  const next = advanceOverlap(cursor, id, ts, { overlapSeconds, ...(closed ? {} : { readAt: EPOCH }) });
  return next.seen.length > MAX_SEEN ? { ...next, seen: next.seen.slice(-MAX_SEEN) } : next;
}

/** True when the record's minute had ended before the page was read, so it cannot change again within it. */
function minuteClosed(body: Record<string, unknown>, readAtMs: number): boolean {
  const modified = Date.parse(String(body.lastModifiedDate ?? ''));
  return Number.isFinite(modified) && modified + 60_000 <= readAtMs;
}

async function* readChanges(client: NetSuiteClient, spec: DiscoverySpec, start: OverlapCursor, cursor: NetSuiteCursor, options: DiscoveryOptions, ctx: ReadContext): AsyncGenerator<StreamPage<Record<string, unknown>, NetSuiteCursor>> {
  const from = overlapStart(start, options.overlapSeconds);
  let changes = start;
  let after: Position | null = null;
  for (;;) {
    const readAtMs = Date.now();
    const query = after ? changedAfterQuery(spec, after) : changedSinceQuery(spec, from ? isoToSession(from) : null);
    const page = await client.suiteql(query, { limit: options.pageSize, offset: 0 }, ctx.signal);
    const rows = page.items.map((row) => positionOf(row, 'id', 'lastmodified'));
    const fresh = rows.filter((row) => firstSeen(changes, row.id, row.ts));
    const bodies = await client.getRecords(spec.recordPath, fresh.map((row) => row.id), ctx.signal);
    const records: Record<string, unknown>[] = [];
    fresh.forEach((row, index) => {
      const body = bodies[index];
      // Gone between the query and the read: the deleted-record log reports it.
      if (!body) return;
      records.push(body);
      changes = remember(changes, row.id, row.ts, options.overlapSeconds, minuteClosed(body, readAtMs));
    });
    if (rows.length > 0) yield { records, cursor: { ...cursor, changes } };
    if (!page.hasMore || rows.length === 0) return;
    after = progressed(after, rows.at(-1)!);
  }
}

/**
 * The next keyset position, which must lie after the last one. It would not if NetSuite kept
 * times finer than TO_CHAR shows (the same rows would come back forever): fail loudly instead.
 */
function progressed(previous: Position | null, next: Position): Position {
  if (previous && (next.ts < previous.ts || (next.ts === previous.ts && BigInt(next.id) <= BigInt(previous.id)))) {
    throw new ConnectorError('invalid_response', `SuiteQL keyset paging did not advance (from ${previous.ts}/${previous.id} to ${next.ts}/${next.id}); the account's datetimes may be finer than seconds`);
  }
  return next;
}

async function* readDeletes(client: NetSuiteClient, spec: DiscoverySpec, start: OverlapCursor, cursor: NetSuiteCursor, options: DiscoveryOptions, ctx: ReadContext): AsyncGenerator<StreamPage<Record<string, unknown>, NetSuiteCursor>> {
  const from = overlapStart(start, options.overlapSeconds);
  let deletes = start;
  let after: Position | null = null;
  for (;;) {
    const query = after ? deletedAfterQuery(spec, after) : deletedSinceQuery(spec, from ? isoToSession(from) : null);
    const page = await client.suiteql(query, { limit: options.pageSize, offset: 0 }, ctx.signal);
    const rows = page.items.map((row) => positionOf(row, 'recordid', 'deleted'));
    const fresh = rows.filter((row) => firstSeen(deletes, row.id, row.ts));
    // A deletion is final: it is always remembered.
    for (const row of fresh) deletes = remember(deletes, row.id, row.ts, options.overlapSeconds, true);
    if (rows.length > 0) yield { records: [], deletedRemoteIds: fresh.map((row) => row.id), cursor: { ...cursor, deletes } };
    if (!page.hasMore || rows.length === 0) return;
    after = progressed(after, rows.at(-1)!);
  }
}

/** Where the deleted-record log stands now: its latest entry and everything in the overlap before it, as already seen. */
async function deletesAnchor(client: NetSuiteClient, spec: DiscoverySpec, options: DiscoveryOptions, ctx: ReadContext): Promise<OverlapCursor> {
  const latest = await client.suiteql(latestDeletionQuery(spec), { limit: 1, offset: 0 }, ctx.signal);
  const newest = latest.items[0];
  if (!newest) return EMPTY;
  let anchor: OverlapCursor = { since: positionOf(newest, 'recordid', 'deleted').ts, seen: [] };
  for await (const page of readDeletes(client, spec, anchor, { changes: EMPTY, deletes: anchor, fullReadAt: null }, options, ctx)) anchor = page.cursor!.deletes;
  return anchor;
}

export async function* discover(client: NetSuiteClient, spec: DiscoverySpec, cursor: NetSuiteCursor | null, options: DiscoveryOptions, ctx: ReadContext): AsyncGenerator<StreamPage<Record<string, unknown>, NetSuiteCursor>> {
  const startedAt = ctx.startedAt.toISOString();
  let current: NetSuiteCursor = cursor ?? { changes: EMPTY, deletes: await deletesAnchor(client, spec, options, ctx), fullReadAt: null };
  const dueForFullRead = cursor !== null && options.fullReadEverySeconds !== null && (cursor.fullReadAt === null || Date.parse(cursor.fullReadAt) + options.fullReadEverySeconds * 1000 <= ctx.startedAt.getTime());
  const fullRead = cursor === null || dueForFullRead;
  const changesFrom = dueForFullRead ? EMPTY : current.changes;
  if (fullRead) current = { ...current, fullReadAt: startedAt };
  let yielded = false;
  for await (const page of readChanges(client, spec, changesFrom, current, options, ctx)) {
    current = page.cursor!;
    yielded = true;
    yield page;
  }
  for await (const page of readDeletes(client, spec, current.deletes, current, options, ctx)) {
    current = page.cursor!;
    yielded = true;
    yield page;
  }
  // Nothing changed or deleted: still commit a first cursor (the deleted-log anchor, the full-read time).
  if (!yielded && (cursor === null || fullRead)) yield { records: [], cursor: current };
}
