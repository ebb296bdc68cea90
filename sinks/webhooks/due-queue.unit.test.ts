import { afterEach, describe, expect, it, vi } from 'vitest';
import { DueQueue } from './due-queue.js';

describe('DueQueue', () => {
  afterEach(() => vi.useRealTimers());

  it('fires items in due order, whatever the order they were added in', () => {
    vi.useFakeTimers({ now: 0 });
    const fired: string[] = [];
    const queue = new DueQueue<string>((id) => fired.push(id));
    queue.add('ten-hours', 36_000_000, 'x');
    queue.add('five-seconds', 5_000, 'x');
    queue.add('now', 0, 'x');
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['now']);
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual(['now', 'five-seconds']);
    vi.advanceTimersByTime(36_000_000);
    expect(fired).toEqual(['now', 'five-seconds', 'ten-hours']);
    expect(queue.size).toBe(0);
  });

  it('does not fire removed items and honours a re-schedule', () => {
    vi.useFakeTimers({ now: 0 });
    const fired: string[] = [];
    const queue = new DueQueue<number>((id) => fired.push(id));
    queue.add('a', 100, 1);
    queue.add('b', 200, 2);
    queue.add('c', 300, 3);
    queue.remove('a');
    queue.add('c', 50, 3);
    queue.removeWhere((item) => item === 2);
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual(['c']);
  });

  it('waits beyond the 24.8-day setTimeout limit by re-arming', () => {
    vi.useFakeTimers({ now: 0 });
    const fired: string[] = [];
    const queue = new DueQueue<null>((id) => fired.push(id));
    queue.add('far', 30 * 24 * 3_600_000, null);
    vi.advanceTimersByTime(25 * 24 * 3_600_000);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(5 * 24 * 3_600_000);
    expect(fired).toEqual(['far']);
  });
});
