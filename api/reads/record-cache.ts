/**
 * Records already read, by (entity, connection, id, version). An image never changes once
 * written (a change is a new version), so a cached image is exactly what ClickHouse would answer;
 * the list query (keys with their versions) always runs, so a record that changed or was deleted
 * is never served stale. It saves the wide-column read, most of a page's cost (docs/api.md).
 * Least recently used images are dropped beyond `capacity`.
 */
type Row = Record<string, unknown>;

export class RecordCache {
  private readonly entries = new Map<string, Row>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  static key(entity: string, connectionId: string, id: string, version: string): string {
    return `${entity}|${connectionId}|${id}|${version}`;
  }

  /** A copy: callers add expansions and parse remote data in place. */
  get(key: string): Row | undefined {
    const row = this.entries.get(key);
    if (!row) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, row);
    return structuredClone(row);
  }

  set(key: string, row: Row): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, structuredClone(row));
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
