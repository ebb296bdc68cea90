/**
 * Time as NetSuite shows it. Three views of one instant:
 *  - record bodies (REST): ISO 8601 UTC with minute precision, `2025-12-19T15:23:00Z`;
 *  - SuiteQL `TO_CHAR(x, 'YYYY-MM-DD HH24:MI:SS')` and `TO_TIMESTAMP('…')`: the wall clock of the
 *    session's time zone (the integration user's preference), modelled here as a fixed UTC offset;
 *  - SuiteQL values without TO_CHAR: the account date format (`M/D/YYYY`), time dropped.
 */
export const MINUTE_MS = 60_000;

export function truncateToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** `2025-12-19T15:23:00Z`: REST datetime fields. */
export function restDateTime(ms: number): string {
  return `${new Date(truncateToMinute(ms)).toISOString().slice(0, 16)}:00Z`;
}

/** `2025-12-19`: REST date fields (no time zone conversion). */
export function restDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function sessionParts(ms: number, offsetMinutes: number): Date {
  return new Date(ms + offsetMinutes * MINUTE_MS);
}

/** Formats an instant on the session clock with an Oracle format model (the subset SuiteQL users send). */
export function toChar(ms: number, format: string, offsetMinutes: number): string {
  const d = sessionParts(ms, offsetMinutes);
  const normalized = format.toUpperCase();
  if (normalized === 'YYYY-MM-DD HH24:MI:SS') {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  if (normalized === 'YYYY-MM-DD') return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  throw new Error(`Unsupported format model '${format}'`);
}

/** Parses a `TO_TIMESTAMP(text, format)` literal on the session clock into an instant. */
export function fromChar(text: string, format: string, offsetMinutes: number): number {
  const normalized = format.toUpperCase();
  const full = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  let wall: number;
  if (normalized === 'YYYY-MM-DD HH24:MI:SS' && full) {
    wall = Date.UTC(Number(full[1]), Number(full[2]) - 1, Number(full[3]), Number(full[4]), Number(full[5]), Number(full[6]));
  } else if (normalized === 'YYYY-MM-DD' && dateOnly) {
    wall = Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]));
  } else {
    throw new Error(`'${text}' does not match the format model '${format}'`);
  }
  if (Number.isNaN(wall)) throw new Error(`'${text}' is not a valid date`);
  return wall - offsetMinutes * MINUTE_MS;
}

/** Account date format used for SuiteQL date and datetime values without TO_CHAR: `12/19/2025`. */
export function accountDate(ms: number, offsetMinutes: number): string {
  const d = sessionParts(ms, offsetMinutes);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}
