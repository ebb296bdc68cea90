/**
 * Dates and timestamps. Timestamps are UTC ISO 8601 with milliseconds, exactly what
 * Date#toISOString gives; dates are `YYYY-MM-DD`. Both must fall within what ClickHouse stores
 * (Date32 and DateTime64: 1900-01-01 to 2299-12-31), so a source's "unlimited" date such as SAP's
 * 9999-12-31 is refused with a message saying to map it to null.
 */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2299-12-31';
const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(2300, 0, 1) - 1;
const MS_PER_DAY = 86_400_000;

/** Any ISO 8601 timestamp with an offset → UTC with milliseconds (extra fraction digits are cut). */
export function canonicalTimestamp(text: string): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

export function timestampRangeProblem(text: string): string | null {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  if (ms < EARLIEST_MS || ms > LATEST_MS) {
    return `is outside ${EARLIEST_DATE} to ${LATEST_DATE}; map a source's "no date" or "unlimited" value to null`;
  }
  return null;
}

export function dateRangeProblem(text: string): string | null {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms)) return 'is not a calendar date';
  if (new Date(ms).toISOString().slice(0, 10) !== text) return 'is not a calendar date';
  if (ms < EARLIEST_MS || ms > LATEST_MS) {
    return `is outside ${EARLIEST_DATE} to ${LATEST_DATE}; map a source's "no date" or "unlimited" value (SAP 9999-12-31) to null`;
  }
  return null;
}

/** `YYYY-MM-DD` ↔ days since 1970-01-01 (the Avro date logical type). */
export function dateToDays(text: string): number {
  return Math.round(Date.parse(`${text}T00:00:00Z`) / MS_PER_DAY);
}

export function daysToDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO timestamp ↔ milliseconds since the epoch (the Avro timestamp-millis logical type). */
export function timestampToMillis(text: string): number {
  return Date.parse(text);
}

export function millisToTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
