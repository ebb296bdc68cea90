/**
 * SAP OData V2 JSON values and URL literals, as the connector reads and writes them:
 * `/Date(1700006400000)/` (Edm.DateTime, UTC), `/Date(1483930804343+0000)/` (Edm.DateTimeOffset),
 * `PT11H50M49S` (Edm.Time), decimals and Int64 as strings, `''` for blank fields, and the filter
 * literals `datetime'…'`, `datetimeoffset'…'`, `time'…'`, `'text'`.
 */
const SAP_DATE = /^\/Date\((-?\d+)([+-])?(\d{4})?\)\/$/;
const DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?$/;

export class ODataValueError extends Error {}

/** `/Date(ms)/` or `/Date(ms±hhmm)/` → epoch ms (UTC); the offset only says how the source displayed it. */
export function parseSapDate(value: string): number {
  const match = SAP_DATE.exec(value);
  if (!match) throw new ODataValueError(`"${value.slice(0, 40)}" is not an OData date (/Date(ms)/)`);
  return Number(match[1]);
}

/** `PT11H50M49S` → seconds after midnight. */
export function parseSapDuration(value: string): number {
  const match = DURATION.exec(value);
  if (!match || value === 'PT') throw new ODataValueError(`"${value.slice(0, 40)}" is not an OData time (PT11H50M49S)`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

export function formatSapDuration(totalSeconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `PT${pad(Math.floor(totalSeconds / 3600))}H${pad(Math.floor((totalSeconds % 3600) / 60))}M${pad(totalSeconds % 60)}S`;
}

/** A filter/key string literal: `'O''Reilly'` (quotes doubled, as OData V2 escapes them). */
export function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `datetimeoffset'2024-05-01T10:00:00.123Z'` from epoch ms. */
export function dateTimeOffsetLiteral(ms: number): string {
  return `datetimeoffset'${new Date(ms).toISOString()}'`;
}

/** `datetime'2024-05-01T10:00:00'` from epoch ms (Edm.DateTime carries no offset; SAP reads it as UTC). */
export function dateTimeLiteral(ms: number): string {
  return `datetime'${new Date(ms).toISOString().slice(0, 19)}'`;
}

/** `time'PT10H00M00S'`. */
export function timeLiteral(seconds: number): string {
  return `time'${formatSapDuration(seconds)}'`;
}

/** Joins filter clauses with `and`, parenthesizing each; empty clauses are left out. */
export function and(...clauses: (string | null | undefined)[]): string | null {
  const kept = clauses.filter((clause): clause is string => Boolean(clause));
  if (kept.length === 0) return null;
  return kept.length === 1 ? kept[0]! : kept.map((clause) => `(${clause})`).join(' and ');
}

/** `('4500000001')` or `(PurchaseOrder='4500000001',PurchaseOrderItem='10')` for string keys. */
export function keyPredicate(keys: Record<string, string>): string {
  const entries = Object.entries(keys);
  if (entries.length === 1) return `(${stringLiteral(entries[0]![1])})`;
  return `(${entries.map(([name, value]) => `${name}=${stringLiteral(value)}`).join(',')})`;
}
