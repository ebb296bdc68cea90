import { createEvent, type MillraceEvent } from '../platform/events.js';
import type { DeadLetterNote } from './chunk-processor.js';
import type { DeadLetterStage } from './dead-letter.js';

/**
 * `system.error` events for dead letters, at most one per connection per interval (a minute by
 * default) with the count since the previous one: a bad batch of ten thousand records is one
 * alert, not ten thousand. Fed with committed dead letters only; the worker sends what `due()`
 * returns on the events topic. An alert lost to a crash is not repeated: the dead letters
 * themselves are durable, and counted per connection in the worker's metrics.
 */
export interface DeadLetterAlertData {
  code: 'dead_letters';
  message: string;
  count: number;
  stages: Partial<Record<DeadLetterStage, number>>;
  /** The most recent dead letter: enough to start looking without reading the topic. */
  last: { stage: DeadLetterStage; path: string; reason: string };
  topic: string;
  since: string;
}

interface Pending {
  count: number;
  stages: Partial<Record<DeadLetterStage, number>>;
  last: DeadLetterNote['letter'];
  since: number;
}

export class DeadLetterAlerts {
  private readonly pending = new Map<string, Pending>();
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly topic: string,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  note(deadLetters: readonly DeadLetterNote[]): void {
    for (const { connectionId, letter } of deadLetters) {
      const id = connectionId ?? '';
      let entry = this.pending.get(id);
      if (!entry) {
        entry = { count: 0, stages: {}, last: letter, since: this.now() };
        this.pending.set(id, entry);
      }
      entry.count++;
      entry.stages[letter.stage] = (entry.stages[letter.stage] ?? 0) + 1;
      entry.last = letter;
    }
  }

  /** Events that may go out now; the counts they carry are taken off. */
  due(): MillraceEvent<DeadLetterAlertData>[] {
    const now = this.now();
    const events: MillraceEvent<DeadLetterAlertData>[] = [];
    for (const [id, entry] of this.pending) {
      const last = this.lastSent.get(id);
      if (last !== undefined && now - last < this.intervalMs) continue;
      this.pending.delete(id);
      this.lastSent.set(id, now);
      const who = id ? `connection ${id}` : 'records without a connection header';
      events.push(
        createEvent('system.error', id || null, {
          code: 'dead_letters',
          message: `${entry.count} raw record${entry.count === 1 ? '' : 's'} of ${who} could not be transformed and went to ${this.topic}; the last one: ${entry.last.reason}`,
          count: entry.count,
          stages: entry.stages,
          last: { stage: entry.last.stage, path: entry.last.path, reason: entry.last.reason },
          topic: this.topic,
          since: new Date(entry.since).toISOString(),
        }),
      );
    }
    return events;
  }

  /** Milliseconds until the next pending alert may go out, or null when nothing waits. */
  nextDueInMs(): number | null {
    let next: number | null = null;
    const now = this.now();
    for (const id of this.pending.keys()) {
      const last = this.lastSent.get(id);
      const wait = last === undefined ? 0 : Math.max(0, last + this.intervalMs - now);
      next = next === null ? wait : Math.min(next, wait);
    }
    return next;
  }
}
