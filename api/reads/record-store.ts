import type { ClickHouse } from '../../platform/clickhouse.js';
import type { Logger } from '../../platform/logger.js';
import { ENTITY_PLURALS, type EntityName } from '../../schemas/entities.js';
import { entityModels } from '../../schemas/index.js';
import { IMAGE_EXCLUDED_FIELDS, RECORD_IMAGE_COLUMN } from '../../schemas/clickhouse/record-image.js';
import { isMissingTable, storeUnavailable } from './clickhouse-errors.js';
import type { CursorPosition } from './cursor.js';
import { RecordCache } from './record-cache.js';
import { READ_FORMAT_SETTINGS, readRow } from './row-reader.js';

/**
 * Unified records from ClickHouse. Tables are ReplacingMergeTree ordered by (connection_id, id)
 * and may hold several versions of a record until merged, so reads take the latest version:
 *
 * `SELECT connection_id, id, version, record_json … FINAL WHERE <filters> ORDER BY connection_id,
 * id LIMIT n+1`. FINAL applies the filters after picking the latest version (a record whose
 * latest image is deleted or has another status is not found by an older image), and the page
 * is read in key order from the cursor on. `record_json` is the record exactly as served, written
 * by the sink (schemas/clickhouse/record-image.ts): one column instead of the ~150 column streams
 * of the fields (lines, addresses), which cost most of a page (docs/api.md).
 *
 * A row without an image (stored before migration 0006 and not yet filled by it) or with one
 * older than the model (a field added since) is read from its fields instead, by primary key,
 * through the record cache (an image never changes once written).
 * The query reads in blocks of 1,024 rows: with ClickHouse's default (65,536) an in-order read
 * decodes far more rows than a page needs before LIMIT stops it (140 ms → 25 ms measured). It
 * runs on one thread: a page is a short in-order read, and FINAL's parallel merge of the parts
 * cost more than it saved (first page 20 → 14 ms, deep filtered pages 43 → 30 ms p50 measured
 * on 2 cores); concurrent requests use the other cores. ClickHouse reads record_json only for
 * the rows the LIMIT keeps (lazy materialization, on by default).
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

interface PageRow {
  connection_id: string;
  id: string;
  version: string;
  record_json: string;
  remote_data?: string | null;
}

/** A page row read as text, with the number of top-level fields of its image. */
interface TextPageRow extends PageRow {
  image_fields: number;
}

const imageFieldCounts = new Map<EntityName, number>();

/** How many fields a current image has. Fields are only ever added to the model, so an image with fewer is stale. */
function imageFieldCount(entity: EntityName): number {
  let count = imageFieldCounts.get(entity);
  if (count === undefined) {
    count = entityModels[entity].fields.filter((field) => !IMAGE_EXCLUDED_FIELDS.has(field.name)).length;
    imageFieldCounts.set(entity, count);
  }
  return count;
}

/** The row's image as a record, or null when it has none or a stale one. */
function imageOf(entity: EntityName, row: PageRow): Row | null {
  if (!row.record_json) return null;
  const image = JSON.parse(row.record_json) as Row;
  return Object.keys(image).length === imageFieldCount(entity) ? image : null;
}

/** The first `count` tab-separated cells of a line, and the rest of it as one more cell. */
function splitTabs(line: string, count: number): string[] {
  const cells: string[] = [];
  let start = 0;
  for (let index = 0; index < count; index++) {
    const tab = line.indexOf('\t', start);
    if (tab < 0) break;
    cells.push(line.slice(start, tab));
    start = tab + 1;
  }
  cells.push(line.slice(start));
  return cells;
}

/** The image with remote_data in its model place, as the wide read gives it. */
function withRemoteDataField(entity: EntityName, image: Row, remoteData: string | null): Row {
  const record: Row = {};
  for (const field of entityModels[entity].fields) record[field.name] = field.name === 'remote_data' ? remoteData : image[field.name];
  return record;
}

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
    const found = await this.page(entity, filters, options.limit + 1, options.includeRemoteData);
    const more = found.length > options.limit;
    return { records: await this.records(entity, found.slice(0, options.limit), options.includeRemoteData), more };
  }

  /**
   * The plain list (no remote data, no expansions) as each record's JSON text, in the same order
   * and with the same values as `list`. Complete images are passed through as ClickHouse stored
   * them, never parsed: a page of purchase orders is ~300 KB of JSON, and parsing it only to
   * print it again cost a few ms and most of the objects a request allocated (docs/api.md).
   */
  async listJson(entity: EntityName, filters: ListFilters, limit: number): Promise<{ texts: string[]; more: boolean; last: CursorPosition | null }> {
    if (filters.connectionIds.length === 0) return { texts: [], more: false, last: null };
    const found = await this.textPage(entity, filters, limit + 1);
    const page = found.slice(0, limit);
    const fieldCount = imageFieldCount(entity);
    const current = (row: TextPageRow) => row.image_fields === fieldCount && row.record_json !== '';
    const missing = page.filter((row) => !current(row));
    const fromFields = missing.length > 0 ? await this.rows(entity, missing, false) : new Map<string, Row>();
    const texts: string[] = [];
    for (const row of page) {
      if (current(row)) {
        texts.push(row.record_json);
        continue;
      }
      const record = fromFields.get(RecordCache.key(entity, row.connection_id, row.id, row.version));
      if (record) texts.push(JSON.stringify(record));
    }
    const lastRow = page[page.length - 1];
    return { texts, more: found.length > limit, last: lastRow ? { connectionId: lastRow.connection_id, id: lastRow.id } : null };
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

  private async page(entity: EntityName, filters: ListFilters, limit: number, includeRemoteData: boolean): Promise<PageRow[]> {
    const columns = `connection_id, id, version, ${RECORD_IMAGE_COLUMN}${includeRemoteData ? ', remote_data' : ''}`;
    const { query, params } = this.pageQuery(entity, filters, limit, columns);
    return (await this.query(entity, query, params)) as PageRow[];
  }

  /** The page's query: the newest version of each matching record, in key order, after the cursor. */
  private pageQuery(entity: EntityName, filters: ListFilters, limit: number, columns: string): { query: string; params: Record<string, unknown> } {
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
      ? `SELECT ${columns} FROM ${ENTITY_PLURALS[entity]} WHERE ${where.join(' AND ')} ORDER BY connection_id, id, version DESC LIMIT 1 BY connection_id, id LIMIT {limit:UInt32} SETTINGS max_threads = 1, ${READ_FORMAT_SETTINGS}`
      : `SELECT ${columns} FROM ${ENTITY_PLURALS[entity]} FINAL WHERE ${where.join(' AND ')} ORDER BY connection_id, id LIMIT {limit:UInt32} SETTINGS max_block_size = ${KEY_BLOCK_ROWS}, max_threads = 1, ${READ_FORMAT_SETTINGS}`;
    return { query, params };
  }

  /**
   * The page's rows as text (TabSeparatedRaw), with the number of fields of each image counted by
   * ClickHouse for the kept rows only (JSONLength over the page, not over the blocks read).
   * record_json is JSON without whitespace, so it holds no tab or newline of its own.
   */
  private async textPage(entity: EntityName, filters: ListFilters, limit: number): Promise<TextPageRow[]> {
    const { query, params } = this.pageQuery(entity, filters, limit, `connection_id, id, version, ${RECORD_IMAGE_COLUMN}`);
    const outer = `SELECT connection_id, id, version, JSONLength(${RECORD_IMAGE_COLUMN}) AS image_fields, ${RECORD_IMAGE_COLUMN} FROM (${query}) ORDER BY connection_id, id`;
    const rows: TextPageRow[] = [];
    for (const line of await this.queryLines(entity, outer, params)) {
      const cells = splitTabs(line, 4);
      rows.push({ connection_id: cells[0]!, id: cells[1]!, version: cells[2]!, image_fields: Number(cells[3]), record_json: cells[4] ?? '' });
    }
    return rows;
  }

  /** The page's records in its order: from their images, or from their fields where the image is missing or stale. */
  private async records(entity: EntityName, page: PageRow[], includeRemoteData: boolean): Promise<Row[]> {
    const images = page.map((row) => imageOf(entity, row));
    const missing = page.filter((_, index) => images[index] === null);
    const fromFields = missing.length > 0 ? await this.rows(entity, missing, includeRemoteData) : new Map<string, Row>();
    return page.flatMap((row, index) => {
      const image = images[index];
      if (image) return [includeRemoteData ? withRemoteDataField(entity, image, row.remote_data ?? null) : image];
      const record = fromFields.get(RecordCache.key(entity, row.connection_id, row.id, row.version));
      return record ? [record] : [];
    });
  }

  /** The wide read: the fields of exactly these versions, by primary key, through the record cache. */
  private async rows(entity: EntityName, keys: PageRow[], includeRemoteData: boolean): Promise<Map<string, Row>> {
    const cacheKey = (key: PageRow) => RecordCache.key(entity, key.connection_id, key.id, key.version);
    // Images with remote_data are not cached: they are large and asked for rarely.
    const found = new Map<string, Row>();
    if (!includeRemoteData) {
      for (const key of keys) {
        const cached = this.cache.get(cacheKey(key));
        if (cached) found.set(cacheKey(key), cached);
      }
    }
    const missing = keys.filter((key) => !found.has(cacheKey(key)));
    if (missing.length === 0) return found;
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
      // The exact version the page chose; a row of another key that shares a version is ignored.
      const keyOf = RecordCache.key(entity, record.connection_id as string, record.id as string, record.version as string);
      found.set(keyOf, record);
      if (!includeRemoteData) this.cache.set(keyOf, record);
    }
    return found;
  }

  private async query(entity: EntityName, query: string, params: Record<string, unknown>): Promise<unknown[]> {
    return this.read(entity, async () => (await this.clickhouse.client.query({ query, query_params: params, format: 'JSONEachRow' })).json(), []);
  }

  /** The result's lines, streamed: split into rows anyway, the result is never needed as one string. */
  private async queryLines(entity: EntityName, query: string, params: Record<string, unknown>): Promise<string[]> {
    return this.read(
      entity,
      async () => {
        const result = await this.clickhouse.client.query({ query, query_params: params, format: 'TabSeparatedRaw' });
        const lines: string[] = [];
        for await (const rows of result.stream()) for (const row of rows) lines.push(row.text);
        return lines;
      },
      [],
    );
  }

  /** A read whose missing table (before the sink's first migration) answers `whenMissing`. */
  private async read<T>(entity: EntityName, run: () => Promise<T>, whenMissing: T): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isMissingTable(error)) return whenMissing;
      this.logger.error({ err: error, table: ENTITY_PLURALS[entity] }, 'ClickHouse read failed');
      throw Object.assign(storeUnavailable(`reading ${ENTITY_PLURALS[entity]}`), { cause: error });
    }
  }
}
