/**
 * Items waiting for a time, on one timer: a min-heap ordered by due time. Pending retries may
 * be due in 5 seconds or in 10 hours, in any order, so a partition cannot simply be paused until
 * its head is due; this holds them all and wakes for the earliest.
 *
 * Removal is lazy: `remove` forgets the item, and the heap entry is skipped when it surfaces.
 */
interface HeapEntry {
  id: string;
  dueAt: number;
  seq: number;
}

// setTimeout's limit (~24.8 days); a longer wait just re-arms.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class DueQueue<T> {
  private heap: HeapEntry[] = [];
  private readonly items = new Map<string, { item: T; seq: number; dueAt: number }>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private seq = 0;

  constructor(private readonly onDue: (id: string, item: T) => void) {}

  get size(): number {
    return this.items.size;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** Adds or re-schedules `id`. */
  add(id: string, dueAt: number, item: T): void {
    const seq = ++this.seq;
    this.items.set(id, { item, seq, dueAt });
    this.push({ id, dueAt, seq });
    if (dueAt < this.timerAt) this.arm();
  }

  remove(id: string): T | undefined {
    const entry = this.items.get(id);
    this.items.delete(id);
    return entry?.item;
  }

  /** Removes every item `predicate` selects (e.g. those of a revoked partition). */
  removeWhere(predicate: (item: T) => boolean): void {
    for (const [id, entry] of this.items) if (predicate(entry.item)) this.items.delete(id);
  }

  clear(): void {
    this.items.clear();
    this.heap = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    const head = this.peekLive();
    if (!head) return;
    this.timerAt = head.dueAt;
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(head.dueAt - Date.now(), 0), MAX_TIMER_MS));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    for (let head = this.peekLive(); head && head.dueAt <= now; head = this.peekLive()) {
      this.pop();
      const entry = this.items.get(head.id)!;
      this.items.delete(head.id);
      this.onDue(head.id, entry.item);
    }
    this.arm();
  }

  /** The earliest entry that is still current, dropping stale ones on the way. */
  private peekLive(): HeapEntry | undefined {
    while (this.heap.length > 0) {
      const head = this.heap[0]!;
      if (this.items.get(head.id)?.seq === head.seq) return head;
      this.pop();
    }
    return undefined;
  }

  private push(entry: HeapEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.dueAt <= entry.dueAt) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.dueAt < heap[left]!.dueAt ? right : left;
      if (heap[child]!.dueAt >= last.dueAt) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
  }
}
