import { describe, expect, it } from 'vitest';
import { advanceOverlap, advanceTimestampKey, compareKeys, cursorAfter, firstSeen, isAfter, overlapStart, type OverlapCursor, type TimestampKeyCursor } from './cursors.js';
import { ConnectorError } from './errors.js';
import { compareTimestamps, formatInstant, parseTimestamp } from './timestamps.js';

interface Row {
  id: string;
  modified: string;
}

/**
 * 30 records; 12 of them share one timestamp, and with 5 per page that run crosses two page
 * boundaries. Timestamps are written in mixed ISO spellings on purpose.
 */
function dataset(): Row[] {
  const rows: Row[] = [];
  for (let i = 1; i <= 9; i++) rows.push({ id: String(i * 7), modified: `2025-03-01T10:00:0${i}Z` });
  for (let i = 0; i < 12; i++) rows.push({ id: String(100 + i * 3), modified: i % 2 ? '2025-03-01T10:05:00.000Z' : '2025-03-01T10:05:00Z' });
  for (let i = 1; i <= 9; i++) rows.push({ id: String(1000 + i), modified: `2025-03-01T11:0${i}:00+00:00` });
  return rows;
}

const byPosition = (a: Row, b: Row) => compareTimestamps(a.modified, b.modified) || compareKeys(a.id, b.id);
const next = (cursor: TimestampKeyCursor | null, row: Row) => advanceTimestampKey(cursor, row.modified, row.id);

/** The source's own filter, written independently of isAfter: (ts > since) or (ts = since and id > key). */
function sourceFilter(cursor: TimestampKeyCursor | null, row: Row): boolean {
  if (!cursor?.since) return true;
  const order = compareTimestamps(row.modified, cursor.since);
  return order > 0 || (order === 0 && Number(row.id) > Number(cursor.key));
}

/** Syncs one page at a time, committing the page's cursor and "crashing" after every page. */
function syncWithRestarts(rows: Row[], query: (cursor: TimestampKeyCursor | null) => Row[]): string[] {
  const emitted: string[] = [];
  let committed: TimestampKeyCursor | null = null;
  for (let restarts = 0; restarts < 100; restarts++) {
    const page = query(committed);
    if (page.length === 0) return emitted;
    emitted.push(...page.map((row) => row.id));
    committed = cursorAfter(next, committed, page);
  }
  throw new Error(`no end after 100 pages of ${rows.length} rows`);
}

describe('timestamp + key cursor', () => {
  it('reads every record exactly once when a run of equal timestamps crosses page boundaries (source-side filter)', () => {
    const rows = dataset();
    const emitted = syncWithRestarts(rows, (cursor) => rows.filter((row) => sourceFilter(cursor, row)).sort(byPosition).slice(0, 5));
    expect(emitted).toEqual(rows.sort(byPosition).map((row) => row.id));
  });

  it('reads every record exactly once from a source that can only filter ts >= since (isAfter on each record)', () => {
    const rows = dataset();
    const emitted: string[] = [];
    let committed: TimestampKeyCursor | null = null;
    // Each sync pages by offset from its start cursor, committing every page, and crashes after
    // two pages that carried new records (so a re-read of already committed records is exercised).
    for (let sync = 0; sync < 50; sync++) {
      const start = committed as TimestampKeyCursor | null;
      const matching = rows.filter((row) => !start?.since || compareTimestamps(row.modified, start.since) >= 0).sort(byPosition);
      let pagesWithNews = 0;
      for (let offset = 0; offset < matching.length && pagesWithNews < 2; offset += 5) {
        const fresh = matching.slice(offset, offset + 5).filter((row) => isAfter(committed, row.modified, row.id));
        emitted.push(...fresh.map((row) => row.id));
        committed = cursorAfter(next, committed, fresh);
        if (fresh.length > 0) pagesWithNews++;
      }
      if (pagesWithNews === 0) break;
    }
    expect(emitted).toEqual(rows.sort(byPosition).map((row) => row.id));
  });

  it('shows why the key matters: a timestamp-only cursor skips records of the shared timestamp', () => {
    const rows = dataset();
    const emitted: string[] = [];
    let since: string | null = null;
    for (let page = 0; page < 20; page++) {
      const batch = rows.filter((row) => since === null || compareTimestamps(row.modified, since) > 0).sort(byPosition).slice(0, 5);
      if (batch.length === 0) break;
      emitted.push(...batch.map((row) => row.id));
      since = batch.at(-1)!.modified;
    }
    expect(emitted.length).toBeLessThan(rows.length);
  });

  it('never moves backwards, and orders numeric keys as numbers', () => {
    const cursor = advanceTimestampKey(null, '2025-03-01T10:05:00Z', '10');
    expect(advanceTimestampKey(cursor, '2025-03-01T10:04:59Z', '99')).toBe(cursor);
    expect(advanceTimestampKey(cursor, '2025-03-01T10:05:00Z', '9')).toBe(cursor);
    expect(advanceTimestampKey(cursor, '2025-03-01T10:05:00Z', '11')).toEqual({ since: '2025-03-01T10:05:00Z', key: '11' });
    expect(isAfter(cursor, '2025-03-01T10:05:00.0000001Z', '1')).toBe(true);
    expect(compareKeys('0010', '9')).toBeGreaterThan(0);
    expect(compareKeys('PO-10', 'PO-9')).toBeLessThan(0);
  });

  it('refuses an unreadable cursor value as invalid_response', () => {
    expect(() => advanceTimestampKey(null, 'yesterday', '1')).toThrow(ConnectorError);
    expect(() => advanceTimestampKey(null, 'yesterday', '1')).toThrow(/not a timestamp/);
  });
});

describe('overlap cursor (minute-precision timestamps)', () => {
  interface Change {
    id: string;
    /** Minute-precision timestamp the source shows. */
    ts: string;
    /** When the change became visible to queries. */
    visibleAt: string;
  }

  const overlap = { overlapSeconds: 180, precisionSeconds: 60 };

  function poll(source: Change[], cursor: OverlapCursor | null, at: string, settings = overlap): { emitted: string[]; cursor: OverlapCursor | null } {
    const from = overlapStart(cursor, settings.overlapSeconds);
    // Latest version of each record visible at `at`, filtered the way NetSuite's `ON_OR_AFTER` does.
    const latest = new Map<string, Change>();
    for (const change of source) if (compareTimestamps(change.visibleAt, at) <= 0) latest.set(change.id, change);
    const rows = [...latest.values()].filter((row) => from === null || compareTimestamps(row.ts, from) >= 0).sort((a, b) => compareTimestamps(a.ts, b.ts) || compareKeys(a.id, b.id));
    const emitted: string[] = [];
    let next = cursor;
    for (const row of rows) {
      if (!firstSeen(next, row.id, row.ts)) continue;
      emitted.push(`${row.id}@${row.ts.slice(11, 16)}`);
      next = advanceOverlap(next, row.id, row.ts, { ...settings, readAt: at });
    }
    return { emitted, cursor: next };
  }

  it('emits each change once, catches late and same-minute changes, and drops re-reads', () => {
    const source: Change[] = [
      { id: 'A', ts: '2025-12-19T10:01:00Z', visibleAt: '2025-12-19T10:01:10Z' },
      { id: 'B', ts: '2025-12-19T10:02:00Z', visibleAt: '2025-12-19T10:02:10Z' },
      { id: 'C', ts: '2025-12-19T10:03:00Z', visibleAt: '2025-12-19T10:03:10Z' },
    ];
    const first = poll(source, null, '2025-12-19T10:03:30Z');
    expect(first.emitted).toEqual(['A@10:01', 'B@10:02', 'C@10:03']);

    source.push(
      { id: 'D', ts: '2025-12-19T10:03:00Z', visibleAt: '2025-12-19T10:03:50Z' }, // same minute as since
      { id: 'C', ts: '2025-12-19T10:03:00Z', visibleAt: '2025-12-19T10:03:55Z' }, // C again, same minute
      { id: 'E', ts: '2025-12-19T10:02:00Z', visibleAt: '2025-12-19T10:04:05Z' }, // committed late
    );
    const second = poll(source, first.cursor, '2025-12-19T10:04:30Z');
    expect(second.emitted).toEqual(['E@10:02', 'C@10:03', 'D@10:03']);

    const third = poll(source, second.cursor, '2025-12-19T10:05:30Z');
    expect(third.emitted).toEqual([]);

    source.push({ id: 'A', ts: '2025-12-19T10:05:00Z', visibleAt: '2025-12-19T10:05:40Z' });
    const fourth = poll(source, third.cursor, '2025-12-19T10:06:30Z');
    expect(fourth.emitted).toEqual(['A@10:05']);
    expect(fourth.cursor?.since).toBe('2025-12-19T10:05:00Z');
  });

  it('shows why the overlap matters: without it the late change is missed', () => {
    const source: Change[] = [{ id: 'C', ts: '2025-12-19T10:03:00Z', visibleAt: '2025-12-19T10:03:10Z' }];
    const noOverlap = { overlapSeconds: 0, precisionSeconds: 60 };
    const first = poll(source, null, '2025-12-19T10:03:30Z', noOverlap);
    source.push({ id: 'E', ts: '2025-12-19T10:02:00Z', visibleAt: '2025-12-19T10:04:05Z' });
    // C comes again either way: its minute was still open when first read.
    expect(poll(source, first.cursor, '2025-12-19T10:04:30Z', noOverlap).emitted).toEqual(['C@10:03']);
    expect(poll(source, first.cursor, '2025-12-19T10:04:30Z').emitted).toEqual(['E@10:02', 'C@10:03']);
  });

  it('keeps only entries inside the window, and computes the query start', () => {
    let cursor: OverlapCursor | null = null;
    for (let minute = 0; minute < 30; minute++) {
      cursor = advanceOverlap(cursor, `R${minute}`, `2025-12-19T10:${String(minute).padStart(2, '0')}:00Z`, overlap);
    }
    expect(cursor!.since).toBe('2025-12-19T10:29:00Z');
    expect(cursor!.seen).toEqual(['2025-12-19T10:26:00Z|R26', '2025-12-19T10:27:00Z|R27', '2025-12-19T10:28:00Z|R28', '2025-12-19T10:29:00Z|R29']);
    expect(overlapStart(cursor, 180)).toBe('2025-12-19T10:26:00Z');
    expect(overlapStart(null, 180)).toBeNull();
    expect(JSON.parse(JSON.stringify(cursor))).toEqual(cursor);
  });
});

describe('timestamps', () => {
  it('reads ISO, SAP /Date()/ and epoch forms to the nanosecond', () => {
    expect(compareTimestamps('/Date(1483930804343+0000)/', '2017-01-09T03:00:04.343Z')).toBe(0);
    expect(compareTimestamps('/Date(1700006400000)/', '2023-11-15')).toBe(0);
    expect(compareTimestamps('2024-05-01T10:00:00.1234567Z', '2024-05-01T10:00:00.1234568Z')).toBe(-1);
    expect(compareTimestamps('2024-05-01T12:00:00+02:00', '2024-05-01 10:00:00')).toBe(0);
    expect(compareTimestamps('2025-12-19T15:23Z', Date.parse('2025-12-19T15:23:00Z'))).toBe(0);
    expect(formatInstant(parseTimestamp('2024-05-01T10:00:00.1234567+00:00')!)).toBe('2024-05-01T10:00:00.1234567Z');
    expect(parseTimestamp('12/19/2025')).toBeNull();
  });
});
