import { describe, expect, it } from 'vitest';
import { classifyStatus, DEFAULT_RETRY_SCHEDULE_MS, honoursRetryAfter, parseRetryAfter, retryDelayMs } from './retry-schedule.js';

describe('retry schedule', () => {
  it('spans more than 24 hours even when every delay is jittered down to its minimum', () => {
    const lowest = DEFAULT_RETRY_SCHEDULE_MS.map((_, index) => retryDelayMs(DEFAULT_RETRY_SCHEDULE_MS, index + 1, undefined, () => 0)!);
    expect(lowest.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThan(24 * 3_600_000);
    expect(lowest[0]).toBe(0);
  });

  it('jitters each delay within ±10 %', () => {
    expect(retryDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 2, undefined, () => 0)).toBe(4_500);
    expect(retryDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 2, undefined, () => 1)).toBe(5_500);
    expect(retryDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 3, undefined, () => 0.5)).toBe(300_000);
  });

  it('ends after the last attempt', () => {
    expect(retryDelayMs(DEFAULT_RETRY_SCHEDULE_MS, DEFAULT_RETRY_SCHEDULE_MS.length + 1)).toBeNull();
  });

  it('never retries earlier than Retry-After, nor earlier than the schedule', () => {
    expect(retryDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 2, 60_000, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 3, 1_000, () => 0.5)).toBe(300_000);
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, 'succeeded'],
    [204, 'succeeded'],
    [299, 'succeeded'],
    [410, 'gone'],
    [301, 'retry'],
    [302, 'retry'],
    [400, 'retry'],
    [404, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [undefined, 'retry'],
  ])('%s → %s', (status, verdict) => {
    expect(classifyStatus(status)).toBe(verdict);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:01:00 GMT', now)).toBe(60_000);
  });
  it('ignores what it cannot read, clamps the past to now and caps at a day', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(24 * 3_600_000);
  });
});

describe('honoursRetryAfter', () => {
  it('applies to 429 and 503 only', () => {
    expect([429, 503].map(honoursRetryAfter)).toEqual([true, true]);
    expect([200, 410, 500, 502, undefined].map(honoursRetryAfter)).toEqual([false, false, false, false, false]);
  });
});
