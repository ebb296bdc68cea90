import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { backoffDelayMs, retry, type RetryInfo } from './retry.js';

const unavailable = () => new ConnectorError('unavailable', 'source down', { status: 503 });

describe('retry', () => {
  it('retries retriable failures and returns the first success', async () => {
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw unavailable();
        return 'ok';
      },
      { retries: 5, minDelayMs: 1 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('does not retry a failure that is not retriable', async () => {
    let calls = 0;
    const refused = new ConnectorError('permission', 'not allowed', { status: 403 });
    await expect(
      retry(async () => {
        calls++;
        throw refused;
      }, { retries: 5, minDelayMs: 1 }),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  it('stops after the configured retries and throws the last error', async () => {
    let calls = 0;
    const errors: ConnectorError[] = [];
    await expect(
      retry(async () => {
        calls++;
        const error = unavailable();
        errors.push(error);
        throw error;
      }, { retries: 2, minDelayMs: 1 }),
    ).rejects.toSatisfy((error) => error === errors[2]);
    expect(calls).toBe(3);
  });

  it('makes one attempt only with retries: 0', async () => {
    let calls = 0;
    await expect(retry(async () => { calls++; throw unavailable(); }, { retries: 0 })).rejects.toThrow('source down');
    expect(calls).toBe(1);
  });

  it('stops at once when bail is called, with the bailed error', async () => {
    let calls = 0;
    const stop = new Error('stop here');
    await expect(
      retry(async (bail) => {
        calls++;
        if (calls === 2) bail(stop);
        throw unavailable();
      }, { retries: 5, minDelayMs: 1 }),
    ).rejects.toBe(stop);
    expect(calls).toBe(2);
  });

  it('waits Retry-After instead of the backoff, and hands longer waits to the caller', async () => {
    const seen: RetryInfo[] = [];
    let calls = 0;
    await retry(
      async () => {
        calls++;
        if (calls === 1) throw new ConnectorError('rate_limited', 'slow down', { status: 429, retryAfterSeconds: 0.05 });
        return 'ok';
      },
      { retries: 3, minDelayMs: 1, onRetry: (info) => seen.push(info), random: () => 0 },
    );
    expect(seen).toMatchObject([{ reason: 'retry_after', delayMs: 50, retry: 1 }]);

    calls = 0;
    const tooLong = new ConnectorError('rate_limited', 'come back in an hour', { status: 429, retryAfterSeconds: 3600 });
    await expect(retry(async () => { calls++; throw tooLong; }, { retries: 3, maxRetryAfterSeconds: 120 })).rejects.toBe(tooLong);
    expect(calls).toBe(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('sync cancelled')), 30);
    await expect(
      retry(async () => { throw unavailable(); }, { retries: 3, minDelayMs: 60_000, random: () => 0.99, signal: controller.signal }),
    ).rejects.toThrow('sync cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially up to the cap, with full jitter below it', () => {
    const options = { minDelayMs: 100, maxDelayMs: 1_000, factor: 2 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, options, () => 0.999_999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
  });
});
