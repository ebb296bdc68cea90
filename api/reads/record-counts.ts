import type { ClickHouse } from '../../platform/clickhouse.js';
import { ENTITY_PLURALS, type EntityName } from '../../schemas/entities.js';
import { isMissingTable } from './clickhouse-errors.js';

/**
 * Records per connection and entity, as ClickHouse holds them (latest image of each record,
 * deleted ones excluded). Counting with FINAL reads the whole table, so results are cached for
 * a few seconds: a dashboard polling every connection costs one query per entity, not one per
 * connection.
 */
const CACHE_MS = 5_000;

export class RecordCounts {
  private readonly cache = new Map<EntityName, { at: number; counts: Promise<Map<string, number>> }>();

  constructor(private readonly clickhouse: ClickHouse) {}

  /** connection id → entity → count, for the given connections. */
  async forConnections(ids: string[], entities: readonly EntityName[]): Promise<Map<string, Partial<Record<EntityName, number>>>> {
    const result = new Map<string, Partial<Record<EntityName, number>>>(ids.map((id) => [id, {}]));
    if (ids.length === 0) return result;
    const perEntity = await Promise.all(entities.map(async (entity) => [entity, await this.counts(entity)] as const));
    for (const [entity, counts] of perEntity) {
      for (const id of ids) result.get(id)![entity] = counts.get(id) ?? 0;
    }
    return result;
  }

  private counts(entity: EntityName): Promise<Map<string, number>> {
    const cached = this.cache.get(entity);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.counts;
    const counts = this.query(entity);
    this.cache.set(entity, { at: Date.now(), counts });
    counts.catch(() => this.cache.delete(entity));
    return counts;
  }

  private async query(entity: EntityName): Promise<Map<string, number>> {
    try {
      const result = await this.clickhouse.client.query({
        query: `SELECT connection_id, count() AS n FROM ${ENTITY_PLURALS[entity]} FINAL WHERE NOT is_deleted GROUP BY connection_id`,
        format: 'JSONEachRow',
      });
      const rows = (await result.json()) as { connection_id: string; n: string | number }[];
      return new Map(rows.map((row) => [row.connection_id, Number(row.n)]));
    } catch (error) {
      // Before the ClickHouse sink has created a table there is nothing to count.
      if (isMissingTable(error)) return new Map();
      throw error;
    }
  }
}
