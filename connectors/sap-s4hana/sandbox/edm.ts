/**
 * OData V2 primitive types as SAP Gateway serializes them in JSON, and how the sandbox holds
 * them internally:
 *
 * | Edm type        | internal value                         | JSON                             |
 * |-----------------|----------------------------------------|----------------------------------|
 * | String, Guid    | string ('' for blank CHAR fields)      | "..."                            |
 * | Decimal, Int64  | string (canonical decimal)             | "10.000", "42"                   |
 * | Int16/32, Byte  | number                                 | 42                               |
 * | Boolean         | boolean                                | true                             |
 * | DateTime        | ms since epoch (UTC midnight for dates) | "/Date(1700006400000)/"         |
 * | DateTimeOffset  | µs since epoch (SAP stores 100 ns)      | "/Date(1483930804343+0000)/"    |
 * | Time            | seconds after midnight                  | "PT11H50M49S"                   |
 *
 * DateTimeOffset keeps microseconds because SAP's long timestamps (Precision 7) are finer than
 * the millisecond the JSON shows: two records can share a JSON millisecond yet sort apart.
 */
export type EdmType =
  | 'String'
  | 'Guid'
  | 'Decimal'
  | 'Int64'
  | 'Int32'
  | 'Int16'
  | 'Byte'
  | 'Boolean'
  | 'DateTime'
  | 'DateTimeOffset'
  | 'Time';

export type EdmValue = string | number | boolean | null;

export function formatJsonValue(type: EdmType, value: EdmValue | undefined): EdmValue {
  if (value === null || value === undefined) return type === 'String' ? '' : null;
  switch (type) {
    case 'DateTime':
      return `/Date(${value as number})/`;
    case 'DateTimeOffset':
      return `/Date(${Math.floor((value as number) / 1000)}+0000)/`;
    case 'Time':
      return formatDuration(value as number);
    default:
      return value;
  }
}

export function formatDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `PT${pad(hours)}H${pad(minutes)}M${pad(seconds)}S`;
}

/** `PT11H50M49S` (also `PT11H`, `PT5M`) → seconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?$/.exec(text);
  if (!match || text === 'PT') return undefined;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** ISO date-time in a `datetime'…'` / `datetimeoffset'…'` literal → µs since epoch. */
export function parseIsoMicros(text: string, requireOffset: boolean): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  if (requireOffset && !zone) return undefined;
  if (!requireOffset && zone && zone !== 'Z') return undefined;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(ms)) return undefined;
  const micros = Number((fraction ?? '').padEnd(7, '0').slice(0, 6));
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  return (ms - offsetMinutes * 60_000) * 1000 + micros;
}

/** Decimal strings compared by value ("10.5" = "10.500"); other values by JS order. */
export function compareValues(type: EdmType, left: EdmValue, right: EdmValue): number {
  if (left === right) return 0;
  if (left === null) return -1; // initial values sort first, as in the database
  if (right === null) return 1;
  if (type === 'Decimal' || type === 'Int64') return compareDecimalStrings(String(left), String(right));
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  return String(left) < String(right) ? -1 : String(left) > String(right) ? 1 : 0;
}

function compareDecimalStrings(a: string, b: string): number {
  const difference = Number(a) - Number(b);
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

export const MS_PER_DAY = 86_400_000;

/** UTC midnight of the day containing `ms`: what an Edm.DateTime date field holds. */
export function dateOnly(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/** 9999-12-31, the "valid until further notice" date of time-dependent master data. */
export const END_OF_TIME_MS = Date.UTC(9999, 11, 31);
