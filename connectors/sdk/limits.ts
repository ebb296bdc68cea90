import Bottleneck from 'bottleneck';
import { abortable, delay } from './abort-listeners.js';

/**
 * Per-connection request limits. Bottleneck does both jobs in one well-used library (it is what
 * Octokit's throttling plugin runs on): `maxConcurrent` caps requests in flight and `minTime`
 * spaces request starts evenly, so `requestsPerSecond` holds over any window, with no burst
 * that could trip a source's own limiter. p-limit would cap concurrency only and leave the rate
 * to hand-written code.
 */
export interface RequestLimits {
  /** Requests in flight at once for this connection (NetSuite: the account's concurrency limit). */
  maxConcurrency?: number;
  /** Request starts per second, spaced evenly (Business Central: 6 000 per 5 minutes = 20). */
  requestsPerSecond?: number;
}

export class RequestLimiter {
  private readonly bottleneck: Bottleneck | null;
  private pausedUntil = 0;

  constructor(limits: RequestLimits = {}) {
    const { maxConcurrency, requestsPerSecond } = limits;
    if (maxConcurrency !== undefined && !(Number.isInteger(maxConcurrency) && maxConcurrency >= 1)) {
      throw new RangeError(`limits.maxConcurrency must be a whole number ≥ 1, got ${maxConcurrency}`);
    }
    if (requestsPerSecond !== undefined && !(requestsPerSecond > 0)) {
      throw new RangeError(`limits.requestsPerSecond must be > 0, got ${requestsPerSecond}`);
    }
    this.bottleneck =
      maxConcurrency === undefined && requestsPerSecond === undefined
        ? null
        : new Bottleneck({
            maxConcurrent: maxConcurrency ?? null,
            minTime: requestsPerSecond === undefined ? 0 : Math.ceil(1000 / requestsPerSecond),
          });
  }

  /**
   * Holds every request of this connection until `ms` from now: one `429 Retry-After` means the
   * source wants the whole connection to wait, not just the request that got it.
   */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  /** Runs `task` once a slot is free and the rate allows; a queued task leaves at once on abort. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const guarded = async () => {
      await this.waitWhilePaused(signal);
      signal?.throwIfAborted();
      return task();
    };
    if (!this.bottleneck) return guarded();
    const scheduled = this.bottleneck.schedule(guarded);
    if (!signal) return scheduled;
    scheduled.catch(() => {}); // the caller may have left on abort; nobody else awaits it
    // One listener on the signal however many requests of the sync are queued (abort-listeners.ts).
    return abortable(scheduled, signal);
  }

  private async waitWhilePaused(signal?: AbortSignal): Promise<void> {
    for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
      await delay(wait, signal);
    }
  }

  async stop(): Promise<void> {
    await this.bottleneck?.stop({ dropWaitingJobs: true });
  }
}
