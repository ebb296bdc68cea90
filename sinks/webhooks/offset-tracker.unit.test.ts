import { describe, expect, it } from 'vitest';
import { OffsetTracker } from './offset-tracker.js';

describe('OffsetTracker', () => {
  it('commits only up to the oldest unfinished message', () => {
    const tracker = new OffsetTracker();
    tracker.begin(0, 10);
    tracker.begin(0, 11);
    tracker.pass(0, 12);
    expect(tracker.commitPoints()).toEqual([{ partition: 0, offset: '10' }]);
    tracker.settle(0, 11);
    expect(tracker.commitPoints()).toEqual([{ partition: 0, offset: '10' }]);
    tracker.settle(0, 10);
    expect(tracker.commitPoints()).toEqual([{ partition: 0, offset: '13' }]);
  });

  it('offers a commit again until it is confirmed, then only when it moves', () => {
    const tracker = new OffsetTracker();
    tracker.pass(1, 5);
    const commits = tracker.commitPoints();
    expect(commits).toEqual([{ partition: 1, offset: '6' }]);
    expect(tracker.commitPoints()).toEqual(commits);
    tracker.confirm(commits);
    expect(tracker.commitPoints()).toEqual([]);
    tracker.pass(1, 6);
    expect(tracker.commitPoints()).toEqual([{ partition: 1, offset: '7' }]);
  });

  it('counts open work and forgets partitions no longer owned', () => {
    const tracker = new OffsetTracker();
    tracker.begin(0, 1);
    tracker.begin(2, 1);
    expect(tracker.openCount()).toBe(2);
    tracker.retain(new Set([2]));
    expect(tracker.openCount()).toBe(1);
    expect(tracker.commitPoints()).toEqual([{ partition: 2, offset: '1' }]);
  });
});
