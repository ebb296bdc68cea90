/**
 * Which offset of each partition may be committed. Work on a message starts (`begin`) and ends
 * (`settle`) in any order; the committable offset is the lowest offset still in progress, or one
 * past the highest seen when nothing is. So a committed offset never skips unfinished work, and
 * a restart redoes at most what was in progress.
 */
export class OffsetTracker {
  private readonly partitions = new Map<number, { open: Set<number>; highest: number; committed: number }>();

  begin(partition: number, offset: number): void {
    const state = this.state(partition);
    state.open.add(offset);
    if (offset > state.highest) state.highest = offset;
  }

  settle(partition: number, offset: number): void {
    this.partitions.get(partition)?.open.delete(offset);
  }

  /** A message that needed no work: seen and settled at once. */
  pass(partition: number, offset: number): void {
    const state = this.state(partition);
    if (offset > state.highest) state.highest = offset;
  }

  openCount(partition?: number): number {
    if (partition !== undefined) return this.partitions.get(partition)?.open.size ?? 0;
    let total = 0;
    for (const state of this.partitions.values()) total += state.open.size;
    return total;
  }

  /** Offsets that moved since the last confirmed commit (Kafka's convention: the next offset to read). */
  commitPoints(): { partition: number; offset: string }[] {
    const commits: { partition: number; offset: string }[] = [];
    for (const [partition, state] of this.partitions) {
      let next = state.highest + 1;
      for (const offset of state.open) if (offset < next) next = offset;
      if (next > state.committed) commits.push({ partition, offset: String(next) });
    }
    return commits;
  }

  /** Records that `commits` reached Kafka, so they are not sent again. */
  confirm(commits: { partition: number; offset: string }[]): void {
    for (const { partition, offset } of commits) {
      const state = this.partitions.get(partition);
      if (state && Number(offset) > state.committed) state.committed = Number(offset);
    }
  }

  /** Forgets partitions this worker no longer owns. */
  retain(partitions: Set<number>): void {
    for (const partition of this.partitions.keys()) if (!partitions.has(partition)) this.partitions.delete(partition);
  }

  private state(partition: number) {
    let state = this.partitions.get(partition);
    if (!state) {
      state = { open: new Set(), highest: -1, committed: -1 };
      this.partitions.set(partition, state);
    }
    return state;
  }
}
