import { delay } from './abort-listeners.js';
import { isConnectorError } from './errors.js';

/**
 * The one retrier of the SDK, shaped after kafkajs's: exponential backoff with full jitter,
 * the source's `Retry-After` honoured instead of the backoff, and `bail` to stop at once.
 */
export interface RetryOptions {
  /** Retries after the first attempt; 0 = a single attempt. Default 3. */
  retries?: number;
  /** Backoff cap of the first retry, ms. Default 250. */
  minDelayMs?: number;
  /** Upper bound of any backoff delay, ms. Default 30 000. */
  maxDelayMs?: number;
  /** Growth of the backoff cap per retry. Default 2. */
  factor?: number;
  /**
   * Longest `Retry-After` waited for in-process, seconds. Default 120. A longer request is not
   * waited for here: the error is thrown with its `retryAfterSeconds` for the runtime to schedule.
   */
  maxRetryAfterSeconds?: number;
}

export interface RetryInfo {
  error: unknown;
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  reason: 'backoff' | 'retry_after';
}

export interface RetryControl {
  /** Aborts the waits between attempts; the abort reason is thrown. */
  signal?: AbortSignal;
  /** Which failures are worth another attempt. Default: `ConnectorError` with `retriable`. */
  shouldRetry?: (error: unknown) => boolean;
  onRetry?: (info: RetryInfo) => void;
  /** Source of jitter in [0, 1). */
  random?: () => number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 3,
  minDelayMs: 250,
  maxDelayMs: 30_000,
  factor: 2,
  maxRetryAfterSeconds: 120,
};

/** Throwing what `bail` returns stops the retrier; the wrapped error is rethrown as is. */
class Bailed {
  constructor(readonly error: unknown) {}
}

export type Bail = (error: unknown) => never;

const bail: Bail = (error) => {
  throw new Bailed(error);
};

/** Full jitter (AWS architecture blog): uniform in [0, min(max, min · factor^n)). */
export function backoffDelayMs(retry: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const { minDelayMs, maxDelayMs, factor } = { ...DEFAULT_RETRY, ...options };
  const cap = Math.min(maxDelayMs, minDelayMs * factor ** (retry - 1));
  return Math.floor(random() * cap);
}

function retryAfterSecondsOf(error: unknown): number | undefined {
  return isConnectorError(error) ? error.retryAfterSeconds : undefined;
}

function defaultShouldRetry(error: unknown): boolean {
  return isConnectorError(error) && error.retriable;
}

/**
 * Runs `attempt` until it resolves, the failure is not retriable, `bail` was called, or the
 * retries are used up; then throws the last error unchanged.
 */
export async function retry<T>(
  attempt: (bail: Bail, attemptNumber: number) => Promise<T>,
  options: RetryOptions & RetryControl = {},
): Promise<T> {
  const settings = { ...DEFAULT_RETRY, ...stripUndefined(options) };
  const shouldRetry = options.shouldRetry ?? defaultShouldRetry;
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(bail, attemptNumber);
    } catch (caught) {
      if (caught instanceof Bailed) throw caught.error;
      const retryNumber = attemptNumber;
      if (retryNumber > settings.retries || !shouldRetry(caught) || options.signal?.aborted) throw caught;
      const retryAfter = retryAfterSecondsOf(caught);
      if (retryAfter !== undefined && retryAfter > settings.maxRetryAfterSeconds) throw caught;
      // After a Retry-After, a little jitter keeps many clients from returning in lockstep.
      const delayMs =
        retryAfter !== undefined
          ? retryAfter * 1000 + Math.floor(random() * Math.min(settings.minDelayMs, 1000))
          : backoffDelayMs(retryNumber, settings, random);
      options.onRetry?.({ error: caught, retry: retryNumber, delayMs, reason: retryAfter !== undefined ? 'retry_after' : 'backoff' });
      await delay(delayMs, options.signal);
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
