import { describe, expect, it } from 'vitest';
import { parsePendingMarker, pendingMarker } from './offset-marker.js';

describe('pending-batch marker', () => {
  it('round-trips the last offset, beyond 2^53 too', () => {
    expect(parsePendingMarker(pendingMarker(41n))).toBe(41n);
    expect(parsePendingMarker(pendingMarker(9_007_199_254_740_993n))).toBe(9_007_199_254_740_993n);
  });

  it('names no pending batch for empty, foreign or malformed metadata', () => {
    expect(parsePendingMarker(null)).toBeUndefined();
    expect(parsePendingMarker('')).toBeUndefined();
    expect(parsePendingMarker('some other tool')).toBeUndefined();
    expect(parsePendingMarker('millrace-clickhouse-sink:pending-end=12x')).toBeUndefined();
    expect(parsePendingMarker('millrace-clickhouse-sink:pending-end=')).toBeUndefined();
  });
});
