import type { ClickHouse } from '../../platform/clickhouse.js';
import type { Logger } from '../../platform/logger.js';
import { ENTITY_PLURALS, type EntityName } from '../../schemas/entities.js';
import { entityModels } from '../../schemas/index.js';
import { isMissingTable, storeUnavailable } from './clickhouse-errors.js';
import type { CursorPosition } from './cursor.js';
import { RecordCache } from './record-cache.js';
import { READ_FORMAT_SETTINGS, readRow } from './row-reader.js';

/**
 * Unified records from ClickHouse. Tables are ReplacingMergeTree ordered by (connection_id, id)
 * and may hold several versions of a record until merged, so reads take the latest version:
 *
 * 1. keys: `SELECT connection_id, id, version … FINAL WHERE <filters> ORDER BY connection_id, id
 *    LIMIT n+1`. FINAL applies the filters after picking the latest version (a record whose
 *    latest image is deleted or has another status is not found by an older image), and reads
 *    only narrow columns in key order from the cursor on.
 * 2. rows: the wide columns of exactly those keys, by primary key.
 *
 * One query with every column under FINAL read and merged the wide columns (lines, addresses)
 * of every granule it crossed: 10–100× slower on a million purchase orders (docs/api.md).
 * Step 1 reads in blocks of 1,024 rows: with ClickHouse's default (65,536) an in-order read
 * decodes far more rows than a page needs before LIMIT stops it (140 ms → 25 ms measured).
 * Step 2 is skipped for images already in the record cache (an image never changes).
 */
export interface ListFilters {
  connectionIds: string[];
  after?: CursorPosition;
  includeDeleted: boolean;
  modifiedAfter?: string;
  /** Column → value, for the entity's filterable columns (see filterableColumns). */
  equals: Record<string, string>;
  ids?: string[];
}

export interface ListOptions {
  limit: number;
  includeRemoteData: boolean;
}

/** Columns a list may filter on by equality, when the entity has them. */
const EQUALITY_FILTERS = ['status', 'vendor_id', 'asset_id', 'remote_id'] as const;
export type EqualityFilter = (typeof EQUALITY_FILTERS)[number];

export function filterableColumns(entity: EntityName): EqualityFilter[] {
  const names = new Set(entityModels[entity].fields.map((field) => field.name));
  return EQUALITY_FILTERS.filter((column) => names.has(column));
}

function columnType(entity: EntityName, column: string): string {
  const field = entityModels[entity].fields.find((candidate) => candidate.name === column);
  return field?.type.kind === 'id' ? 'UUID' : 'String';
}

type Row = Record<string, unknown>;

/** Rows per block of the key query; see above. */
const KEY_BLOCK_ROWS = 1024;

export class RecordStore {
  readonly cache: RecordCache;

  constructor(
    private readonly clickhouse: ClickHouse,
    private readonly logger: Logger,
    cacheSize = 20_000,
  ) {
    this.cache = new RecordCache(cacheSize);
  }

  /** Up to `limit` records after the cursor, in (connection_id, id) order, and whether more follow. */
  async list(entity: EntityName, filters: ListFilters, options: ListOptions): Promise<{ records: Row[]; more: boolean }> {
    if (filters.connectionIds.length === 0) return { records: [], more: false };
    const keys = await this.keys(entity, filters, options.limit + 1);
    const more = keys.length > options.limit;
    const page = keys.slice(0, options.limit);
    return { records: await this.rows(entity, page, options.includeRemoteData), more };
  }

  /** One record by id among the given connections; null when none holds it. */
  async get(entity: EntityName, connectionIds: string[], id: string, includeRemoteData: boolean): Promise<Row | null> {
    const { records } = await this.list(entity, { connectionIds, includeDeleted: true, equals: {}, ids: [id] }, { limit: 1, includeRemoteData });
    return records[0] ?? null;
  }

  /** Records by id (any connection of the list), for expansions; deleted ones included, as references may point at them. */
  async byIds(entity: EntityName, connectionIds: string[], ids: string[]): Promise<Row[]> {
    if (ids.length === 0 || connectionIds.length === 0) return [];
    const { records } = await this.list(entity, { connectionIds, includeDeleted: true, equals: {}, ids }, { limit: ids.length, includeRemoteData: false });
    return records;
  }

  private async keys(entity: EntityName, filters: ListFilters, limit: number): Promise<{ connection_id: string; id: string; version: string }[]> {
    const where = ['connection_id IN {connections:Array(String)}'];
    const params: Record<string, unknown> = { connections: filters.connectionIds, limit };
    if (filters.after) {
      // Spelled out (not a tuple comparison) so the primary key index narrows the read.
      where.push('(connection_id > {after_connection:String} OR (connection_id = {after_connection:String} AND id > {after_id:UUID}))');
      params.after_connection = filters.after.connectionId;
      params.after_id = filters.after.id;
    }
    if (filters.ids) {
      where.push('id IN {ids:Array(UUID)}');
      params.ids = filters.ids;
    }
    if (!filters.includeDeleted) where.push('NOT is_deleted');
    if (filters.modifiedAfter) {
      where.push("synced_at > parseDateTime64BestEffort({modified_after:String}, 3, 'UTC')");
      params.modified_after = filters.modifiedAfter;
    }
    for (const [column, value] of Object.entries(filters.equals)) {
      where.push(`${column} = {eq_${column}:${columnType(entity, column)}}`);
      params[`eq_${column}`] = value;
    }
    // By id without filters on what can change (get, expansions): the newest version of each id,
    // found through the primary key without FINAL's merge of every part's granules.
    const byIdOnly = filters.ids !== undefined && filters.includeDeleted && !filters.modifiedAfter && Object.keys(filters.equals).length === 0 && !filters.after;
    const query = byIdOnly
      ? `SELECT connection_id, id, version FROM ${ENTITY_PLURALS[entity]} WHERE ${where.join(' AND ')} ORDER BY connection_id, id, version DESC LIMIT 1 BY connection_id, id LIMIT {limit:UInt32} SETTINGS ${READ_FORMAT_SETTINGS}`
      : `SELECT connection_id, id, version FROM ${ENTITY_PLURALS[entity]} FINAL WHERE ${where.join(' AND ')} ORDER BY connection_id, id LIMIT {limit:UInt32} SETTINGS max_block_size = ${KEY_BLOCK_ROWS}, ${READ_FORMAT_SETTINGS}`;
    return (await this.query(entity, query, params)) as { connection_id: string; id: string; version: string }[];
  }

  private async rows(entity: EntityName, keys: { connection_id: string; id: string; version: string }[], includeRemoteData: boolean): Promise<Row[]> {
    if (keys.length === 0) return [];
    const cacheKey = (key: { connection_id: string; id: string; version: string }) => RecordCache.key(entity, key.connection_id, key.id, key.version);
    // Images with remote_data are not cached: they are large and asked for rarely.
    const found = new Map<string, Row>();
    if (!includeRemoteData) {
      for (const key of keys) {
        const cached = this.cache.get(cacheKey(key));
        if (cached) found.set(cacheKey(key), cached);
      }
    }
    const missing = keys.filter((key) => !found.has(cacheKey(key)));
    if (missing.length > 0) {
      const columns = entityModels[entity].fields.filter((field) => includeRemoteData || field.name !== 'remote_data').map((field) => `\`${field.name}\``);
      const query =
        `SELECT ${columns.join(', ')} FROM ${ENTITY_PLURALS[entity]} ` +
        'WHERE connection_id IN {connections:Array(String)} AND id IN {ids:Array(UUID)} AND version IN {versions:Array(Int64)} ' +
        `SETTINGS ${READ_FORMAT_SETTINGS}`;
      const rows = (await this.query(entity, query, {
        connections: [...new Set(missing.map((key) => key.connection_id))],
        ids: missing.map((key) => key.id),
        versions: [...new Set(missing.map((key) => key.version))].map((version) => BigInt(version)),
      })) as Row[];
      for (const row of rows) {
        const record = readRow(entity, row);
        // The exact image step 1 chose; a row of another key that shares a version is ignored.
        const keyOf = RecordCache.key(entity, record.connection_id as string, record.id as string, record.version as string);
        found.set(keyOf, record);
        if (!includeRemoteData) this.cache.set(keyOf, record);
      }
    }
    return keys.map((key) => found.get(cacheKey(key))).filter((row): row is Row => row !== undefined);
  }

  private async query(entity: EntityName, query: string, params: Record<string, unknown>): Promise<unknown[]> {
    try {
      const result = await this.clickhouse.client.query({ query, query_params: params, format: 'JSONEachRow' });
      return await result.json();
    } catch (error) {
      if (isMissingTable(error)) return [];
      this.logger.error({ err: error, table: ENTITY_PLURALS[entity] }, 'ClickHouse read failed');
      throw Object.assign(storeUnavailable(`reading ${ENTITY_PLURALS[entity]}`), { cause: error });
    }
  }
}
