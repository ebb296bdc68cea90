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

const EARLIEST_TIMESTAMP = `${EARLIEST_DATE}T00:00:00.000Z`;
const LATEST_TIMESTAMP = `${LATEST_DATE}T23:59:59.999Z`;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** `2024-05-01T10:00:00.000Z`, the shape Date#toISOString gives for years 0000–9999. */
const CANONICAL_TIMESTAMP_SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/**
 * Already what canonicalTimestamp would return: UTC with milliseconds, a real calendar day and
 * time of day. Checked without Date (parse + format cost about a microsecond per field, and
 * every record carries several timestamps).
 */
function isCanonicalTimestamp(text: string): boolean {
  const parts = CANONICAL_TIMESTAMP_SHAPE.exec(text);
  if (!parts) return false;
  if (Number(parts[4]) > 23 || Number(parts[5]) > 59 || Number(parts[6]) > 59) return false;
  return isCalendarDay(Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

/** Any ISO 8601 timestamp with an offset → UTC with milliseconds (extra fraction digits are cut). */
export function canonicalTimestamp(text: string): string {
  if (isCanonicalTimestamp(text)) return text;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

export function timestampRangeProblem(text: string): string | null {
  // Canonical timestamps of four-digit years order as text does.
  if (isCanonicalTimestamp(text) && text >= EARLIEST_TIMESTAMP && text <= LATEST_TIMESTAMP) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  if (ms < EARLIEST_MS || ms > LATEST_MS) {
    return `is outside ${EARLIEST_DATE} to ${LATEST_DATE}; map a source's "no date" or "unlimited" value to null`;
  }
  return null;
}

export function dateRangeProblem(text: string): string | null {
  const parts = DATE_SHAPE.exec(text);
  if (parts && text >= EARLIEST_DATE && text <= LATEST_DATE && isCalendarDay(Number(parts[1]), Number(parts[2]), Number(parts[3]))) return null;
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
