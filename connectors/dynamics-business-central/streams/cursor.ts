import { advanceOverlap, overlapStart, type OverlapCursor } from '../../sdk/cursors.js';
import { contextOf } from '../mappers/values.js';

/**
 * Incremental position per company. Business Central stamps `lastModifiedDateTime` to the
 * millisecond, but a change becomes visible only when its transaction commits, which can be
 * seconds after the stamp; each poll therefore re-reads the last OVERLAP_SECONDS and drops what it
 * already emitted (the SDK's overlap cursor).
 */
export const OVERLAP_SECONDS = 60;
export const OVERLAP = { overlapSeconds: OVERLAP_SECONDS, precisionSeconds: 0.001 } as const;

export interface CompanyCursors {
  v: 1;
  companies: Record<string, OverlapCursor>;
}

export function companyCursor(cursor: CompanyCursors | null, companyId: string): OverlapCursor | null {
  return cursor?.companies[companyId] ?? null;
}

export function withCompany(cursor: CompanyCursors | null, companyId: string, next: OverlapCursor): CompanyCursors {
  return { v: 1, companies: { ...(cursor?.companies ?? {}), [companyId]: next } };
}

/** `$filter` for changes since the cursor (minus the overlap), or undefined for a first read. */
export function changedSinceFilter(cursor: OverlapCursor | null): string | undefined {
  const start = overlapStart(cursor, OVERLAP_SECONDS);
  return start ? `lastModifiedDateTime ge ${start}` : undefined;
}

/** Pure `nextCursor` of a per-company stream: advances the record's company. */
export function nextCompanyCursor(cursor: CompanyCursors | null, record: { '@odata.context'?: string; id: string; lastModifiedDateTime: string }): CompanyCursors {
  const { companyId } = contextOf(record);
  return withCompany(cursor, companyId, advanceOverlap(companyCursor(cursor, companyId), record.id, record.lastModifiedDateTime, OVERLAP));
}
