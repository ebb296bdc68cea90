import { describe, expect, it } from 'vitest';
import { EndpointQueues } from './endpoint-queues.js';
import { storedSubscription } from './test-fixtures.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('EndpointQueues', () => {
  it('runs at most max_concurrency jobs of an endpoint at once and refuses beyond the backlog', async () => {
    const queues = new EndpointQueues(3);
    const subscription = storedSubscription({ max_concurrency: 2 });
    const blocker = gate();
    let running = 0;
    let peak = 0;
    const job = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await blocker.opened;
      running -= 1;
    };
    const accepted = Array.from({ length: 6 }, () => queues.trySchedule(subscription, job));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // 2 start at once, 3 wait, the 6th is refused.
    expect(accepted).toEqual([true, true, true, true, true, false]);
    expect(queues.stats()).toEqual([{ subscription_id: subscription.id, queued: 3, running: 2, spilled: 0 }]);
    blocker.open();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(peak).toBe(2);
    expect(queues.load(subscription.id)).toBe(0);
  });

  it('keeps endpoints apart: a full queue does not refuse another endpoint', () => {
    const queues = new EndpointQueues(1);
    const never = () => new Promise<void>(() => {});
    const stuck = storedSubscription({ id: 'wh_stuck', max_concurrency: 1 });
    const other = storedSubscription({ id: 'wh_other', max_concurrency: 1 });
    expect(queues.trySchedule(stuck, never)).toBe(true);
    expect(queues.trySchedule(stuck, never)).toBe(true);
    expect(queues.trySchedule(stuck, never)).toBe(false);
    expect(queues.trySchedule(other, never)).toBe(true);
  });

  it('spaces request starts by the rate limit', async () => {
    const queues = new EndpointQueues(100);
    const subscription = storedSubscription({ max_concurrency: 10, rate_limit_per_second: 20 });
    const starts: number[] = [];
    await new Promise<void>((resolve) => {
      for (let index = 0; index < 5; index++) {
        queues.trySchedule(subscription, async () => {
          starts.push(Date.now());
          if (starts.length === 5) resolve();
        });
      }
    });
    const gaps = starts.slice(1).map((at, index) => at - starts[index]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(45);
  });

  it('follows a change of max_concurrency', async () => {
    const queues = new EndpointQueues(100);
    const blocker = gate();
    let running = 0;
    const job = async () => {
      running += 1;
      await blocker.opened;
    };
    for (let index = 0; index < 4; index++) queues.trySchedule(storedSubscription({ max_concurrency: 1 }), job);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running).toBe(1);
    queues.trySchedule(storedSubscription({ max_concurrency: 3, revision: 2 }), job);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running).toBe(3);
    blocker.open();
  });
});
