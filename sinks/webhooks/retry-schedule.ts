/**
 * When to try a delivery again. An attempt succeeds on a 2xx within the timeout; a 410 Gone
 * disables the endpoint at once; anything else (timeout, connection error, SSRF refusal, 3xx,
 * 4xx, 5xx) is retried on the schedule below, which spans more than 24 hours.
 *
 * The default, delay before attempt n: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
 * (27 h 35 min 5 s in total). Each delay is jittered by ±10 % so endpoints that failed together
 * do not retry together; even with every delay at -10 % the span stays above 24 hours.
 * A `Retry-After` on 429/503 is honoured as a lower bound: the next attempt never comes earlier
 * than the receiver asked, nor earlier than the schedule says.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

export const RETRY_JITTER = 0.1;
// A receiver asking for more than a day is capped at a day, so the schedule still ends.
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

export type AttemptVerdict = 'succeeded' | 'gone' | 'retry';

/** `status` is undefined when no response arrived (timeout, connection error, refused address). */
export function classifyStatus(status: number | undefined): AttemptVerdict {
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'succeeded';
  if (status === 410) return 'gone';
  return 'retry';
}

/**
 * Milliseconds to wait before attempt `nextAttempt` (1-based), or null when the schedule is
 * exhausted. `random` is injectable so tests can pin the jitter.
 */
export function retryDelayMs(
  schedule: readonly number[],
  nextAttempt: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | null {
  const base = schedule[nextAttempt - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 + (random() * 2 - 1) * RETRY_JITTER));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** `Retry-After` as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** Retry-After counts only on the statuses that define it for throttling and maintenance. */
export function honoursRetryAfter(status: number | undefined): boolean {
  return status === 429 || status === 503;
}
