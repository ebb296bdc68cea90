import type { Logger } from '../platform/logger.js';
import { sleep } from './sync-run.js';

/** setTimeout holds at most ~24.8 days; long intervals are slept in steps of a day. */
const MAX_SLEEP_MS = 24 * 3600 * 1000;

export interface StreamLoopBody {
  /** When the next scheduled run is due (epoch ms); null waits for a wake-up. */
  dueAt(): number | null;
  /** A sync request (sync now, full resync) is waiting. */
  pending(): boolean;
  /** One run; handles its own errors. */
  run(): Promise<void>;
}

/**
 * The scheduler of one stream of one connection: sleeps until the run is due or `wake()` is
 * called (a sync request arrived), then runs. Streams of a connection loop independently, so a
 * full resync of one entity never holds up the incremental syncs of the others.
 */
export class StreamLoop {
  private stopped = false;
  private wakeUp = new AbortController();
  readonly done: Promise<void>;

  constructor(private readonly body: StreamLoopBody, private readonly logger: Logger) {
    this.done = this.loop();
  }

  wake(): void {
    this.wakeUp.abort();
  }

  /** Stops after the current run (whose own signal the caller aborts); resolves when it ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp.abort();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.wakeUp.signal.aborted) this.wakeUp = new AbortController();
      const due = this.body.dueAt();
      const now = Date.now();
      if (!this.body.pending() && (due === null || due > now)) {
        await sleep(due === null ? MAX_SLEEP_MS : Math.min(due - now, MAX_SLEEP_MS), this.wakeUp.signal);
        continue;
      }
      try {
        await this.body.run();
      } catch (error) {
        // run() handles its own failures; reaching this is a bug, so slow down instead of spinning.
        this.logger.error({ err: error }, 'stream run crashed');
        await sleep(5_000, this.wakeUp.signal);
      }
    }
  }
}
