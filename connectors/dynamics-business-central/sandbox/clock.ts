/**
 * The sandbox's notion of "now": strictly increasing milliseconds, never behind the wall clock and
 * never at or before the newest seeded change time, so every change sorts after what it replaced.
 */
export class SandboxClock {
  private last: number;
  private rowVersion = 2_000_000_000_000_000_000n;

  constructor(floorMs: number) {
    this.last = floorMs;
  }

  nowMs(): number {
    this.last = Math.max(this.last + 1, Date.now());
    return this.last;
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  /** Next row version, for ETags of changed records. */
  nextRowVersion(): bigint {
    this.rowVersion += 1n;
    return this.rowVersion;
  }
}

/** Rounds to Business Central's amount precision (0.01) and returns a JSON number. */
export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const DAY_MS = 86_400_000;
