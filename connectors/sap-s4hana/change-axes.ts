import { parseSapDate, parseSapDuration, dateTimeLiteral, dateTimeOffsetLiteral, timeLiteral } from './odata/values.js';

/**
 * How a stream's change time is read from a record and written into `$filter`s. A record's change
 * time is reduced to its *bucket*: the smallest unit the JSON shows (a millisecond for an
 * Edm.DateTimeOffset, a second for an Edm.DateTime short time stamp or a date + Edm.Time pair).
 * Buckets are UTC ISO strings of fixed length, so they compare as text.
 *
 * Why buckets: A_PurchaseOrder.LastChangeDateTime has 100 ns precision in SAP but only
 * milliseconds in JSON. SAP orders and compares at full precision, so `eq <ms>` misses records and
 * `gt <ms>` re-reads them; a cursor can only be exact at the bucket boundary (see change-reader.ts).
 */
export interface ChangeAxis {
  /** Names the axis in messages and cursors (`LastChangeDateTime`). */
  name: string;
  /** `$orderby` fields, ascending, without the key. */
  orderFields: readonly string[];
  /** The bucket of FLOOR_MS: the lower bound of a first incremental read. */
  floor: string;
  bucketOf(record: Record<string, unknown>): string | null;
  /** `$filter` clause: change time in `bucket` or later. */
  atOrAfter(bucket: string): string;
  /** `$filter` clause: change time inside `bucket`. */
  within(bucket: string): string;
  next(bucket: string): string;
  minusSeconds(bucket: string, seconds: number): string;
}

/** The start of time for "changed at all": initial (null) change times sort before it. */
export const FLOOR_MS = Date.UTC(1900, 0, 1);

function readDate(record: Record<string, unknown>, field: string): number | null {
  const value = record[field];
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new TypeError(`${field} is not an OData date string`);
  return parseSapDate(value);
}

const msIso = (ms: number) => new Date(ms).toISOString();
const secondIso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);

/** An Edm.DateTimeOffset field (`/Date(ms+0000)/`), bucketed by millisecond. */
export function dateTimeOffsetAxis(field: string): ChangeAxis {
  return {
    name: field,
    orderFields: [field],
    floor: msIso(FLOOR_MS),
    bucketOf: (record) => {
      const ms = readDate(record, field);
      return ms === null ? null : msIso(ms);
    },
    atOrAfter: (bucket) => `${field} ge ${dateTimeOffsetLiteral(Date.parse(bucket))}`,
    within: (bucket) => `${field} ge ${dateTimeOffsetLiteral(Date.parse(bucket))} and ${field} lt ${dateTimeOffsetLiteral(Date.parse(bucket) + 1)}`,
    next: (bucket) => msIso(Date.parse(bucket) + 1),
    minusSeconds: (bucket, seconds) => msIso(Date.parse(bucket) - seconds * 1000),
  };
}

/** An Edm.DateTime time stamp (`/Date(ms)/`, UTC short time stamp), bucketed by second. */
export function dateTimeAxis(field: string): ChangeAxis {
  const parse = (bucket: string) => Date.parse(`${bucket}Z`);
  return {
    name: field,
    orderFields: [field],
    floor: secondIso(FLOOR_MS),
    bucketOf: (record) => {
      const ms = readDate(record, field);
      return ms === null ? null : secondIso(ms);
    },
    atOrAfter: (bucket) => `${field} ge ${dateTimeLiteral(parse(bucket))}`,
    within: (bucket) => `${field} ge ${dateTimeLiteral(parse(bucket))} and ${field} lt ${dateTimeLiteral(parse(bucket) + 1000)}`,
    next: (bucket) => secondIso(parse(bucket) + 1000),
    minusSeconds: (bucket, seconds) => secondIso(parse(bucket) - seconds * 1000),
  };
}

/** A date field (Edm.DateTime at midnight) plus a time field (Edm.Time), e.g. LastChangeDate + LastChangeTime. */
export function dateAndTimeAxis(dateField: string, timeField: string): ChangeAxis {
  const parse = (bucket: string) => Date.parse(`${bucket}Z`);
  const split = (bucket: string) => {
    const ms = parse(bucket);
    const day = Math.floor(ms / 86_400_000) * 86_400_000;
    return { day, seconds: Math.round((ms - day) / 1000) };
  };
  return {
    name: `${dateField}+${timeField}`,
    orderFields: [dateField, timeField],
    floor: secondIso(FLOOR_MS),
    bucketOf: (record) => {
      const day = readDate(record, dateField);
      if (day === null) return null;
      const time = record[timeField];
      const seconds = typeof time === 'string' && time !== '' ? parseSapDuration(time) : 0;
      return secondIso(day + seconds * 1000);
    },
    atOrAfter: (bucket) => {
      const { day, seconds } = split(bucket);
      return `${dateField} gt ${dateTimeLiteral(day)} or (${dateField} eq ${dateTimeLiteral(day)} and ${timeField} ge ${timeLiteral(seconds)})`;
    },
    within: (bucket) => {
      const { day, seconds } = split(bucket);
      return `${dateField} eq ${dateTimeLiteral(day)} and ${timeField} eq ${timeLiteral(seconds)}`;
    },
    next: (bucket) => secondIso(parse(bucket) + 1000),
    minusSeconds: (bucket, seconds) => secondIso(parse(bucket) - seconds * 1000),
  };
}
