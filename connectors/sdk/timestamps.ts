import { ConnectorError } from './errors.js';

/**
 * Source timestamps as comparable instants, to the nanosecond. JavaScript's Date stops at the
 * millisecond, but SAP's `LastChangeDateTime` has 100 ns precision: two changes in the same
 * millisecond must still order as the source orders them, or a cursor could skip one.
 */
export interface Instant {
  /** Whole seconds since the epoch (UTC). */
  seconds: number;
  /** 0 … 999 999 999 */
  nanos: number;
}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SAP_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/**
 * Reads ISO 8601 (date, minute, second or fraction precision; `Z`, an offset, or none = UTC;
 * `T` or a space), SAP OData v2 `/Date(ms)/` and `/Date(ms+0000)/` (ms are UTC), epoch
 * milliseconds and Date. Returns null for anything else.
 */
export function parseTimestamp(value: string | number | Date): Instant | null {
  if (value instanceof Date) return fromMillis(value.getTime());
  if (typeof value === 'number') return fromMillis(value);
  const trimmed = value.trim();
  const sap = SAP_DATE.exec(trimmed);
  if (sap) return fromMillis(Number(sap[1]));
  const iso = ISO.exec(trimmed);
  if (!iso) return null;
  const [, date, hours = '00', minutes = '00', seconds = '00', fraction = '', zone = 'Z'] = iso;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const millis = Date.parse(`${date}T${hours}:${minutes}:${seconds}${offset}`);
  if (Number.isNaN(millis)) return null;
  return { seconds: Math.floor(millis / 1000), nanos: Number(fraction.padEnd(9, '0')) };
}

function fromMillis(millis: number): Instant | null {
  if (!Number.isFinite(millis)) return null;
  const seconds = Math.floor(millis / 1000);
  return { seconds, nanos: Math.round((millis - seconds * 1000) * 1_000_000) };
}

/** Like parseTimestamp, but an unreadable value is the source's fault: `invalid_response`. */
export function requireTimestamp(value: string | number | Date, what = 'timestamp'): Instant {
  const instant = parseTimestamp(value);
  if (!instant) {
    throw new ConnectorError('invalid_response', `the ${what} "${String(value).slice(0, 60)}" is not a timestamp Millrace can read (ISO 8601, /Date(ms)/ or epoch ms)`);
  }
  return instant;
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds - b.seconds || a.nanos - b.nanos;
}

/** Orders two source timestamps (throws `invalid_response` for unreadable ones). */
export function compareTimestamps(a: string | number | Date, b: string | number | Date): number {
  return Math.sign(compareInstants(requireTimestamp(a), requireTimestamp(b)));
}

export function addSeconds(instant: Instant, seconds: number): Instant {
  const totalNanos = instant.nanos + Math.round((seconds % 1) * 1e9);
  const carry = Math.floor(totalNanos / 1e9);
  return { seconds: instant.seconds + Math.trunc(seconds) + carry, nanos: totalNanos - carry * 1e9 };
}

/** UTC ISO 8601 with as many fraction digits as needed: `2025-12-19T15:23:00Z`, `…:00.1234567Z`. */
export function formatInstant(instant: Instant): string {
  const base = new Date(instant.seconds * 1000).toISOString().slice(0, 19);
  const fraction = instant.nanos === 0 ? '' : `.${String(instant.nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${base}${fraction}Z`;
}
