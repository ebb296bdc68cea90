import type { ClickHouse } from '../../platform/clickhouse.js';
import type { Logger } from '../../platform/logger.js';
import { ApiError } from '../errors.js';
import { READ_FORMAT_SETTINGS } from '../reads/row-reader.js';
import { assertSelect, checkAst } from './sql-guard.js';

/**
 * POST /v1/sql: a read-only query over the tables of the caller's data. Every table the query
 * may read carries a row filter for the caller's owner (ClickHouse `additional_table_filters`,
 * applied also when a view reads the table): `connection_id IN (own connections)` or, for the
 * webhook log, `subscription_id IN (own subscriptions)`. Tables with neither column are closed.
 * The query runs with readonly=1, a time limit and a row limit, as one statement wrapped in
 * `SELECT * FROM (…) LIMIT n`.
 */
export interface SqlScope {
  connectionIds: string[];
  subscriptionIds: string[];
}

export interface SqlOptions {
  maxRows: number;
  timeoutSeconds: number;
}

export interface SqlResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  row_count: number;
  /** More rows matched than `max_rows`; add a LIMIT or narrow the query. */
  truncated: boolean;
  elapsed_ms: number;
}

interface TableCatalog {
  at: number;
  existing: Set<string>;
  /** Table → the column that scopes it to an owner. */
  scoped: Map<string, 'connection_id' | 'subscription_id'>;
}

const CATALOG_MS = 10_000;

export class SqlRunner {
  private catalog: Promise<TableCatalog> | null = null;
  private catalogAt = 0;

  constructor(
    private readonly clickhouse: ClickHouse,
    private readonly logger: Logger,
  ) {}

  async run(sql: string, scope: SqlScope, options: SqlOptions): Promise<SqlResult> {
    const normalized = await this.normalize(sql);
    assertSelect(normalized);
    const catalog = await this.tables();
    const explain = await this.clickhouseText(`EXPLAIN AST ${normalized}`);
    checkAst(explain, { allowed: new Set(catalog.scoped.keys()), existing: catalog.existing, database: this.clickhouse.database });
    const filters = this.rowFilters(catalog, scope);
    const started = performance.now();
    const statement =
      `SELECT * FROM (\n${normalized}\n) LIMIT ${options.maxRows + 1} ` +
      `SETTINGS readonly = 1, max_execution_time = ${options.timeoutSeconds}, timeout_overflow_mode = 'throw', max_memory_usage = 4000000000, ` +
      `additional_table_filters = ${filters}, ${READ_FORMAT_SETTINGS}`;
    let answer: { meta: { name: string; type: string }[]; data: Record<string, unknown>[] };
    try {
      const result = await this.clickhouse.client.query({ query: statement, format: 'JSON' });
      answer = (await result.json()) as typeof answer;
    } catch (error) {
      throw this.failure(error);
    }
    const truncated = answer.data.length > options.maxRows;
    const rows = truncated ? answer.data.slice(0, options.maxRows) : answer.data;
    return { columns: answer.meta, rows, row_count: rows.length, truncated, elapsed_ms: Math.round(performance.now() - started) };
  }

  /** ClickHouse's own formatting of the query: one statement, comments gone, or sql_invalid. */
  private async normalize(sql: string): Promise<string> {
    try {
      const result = await this.clickhouse.client.query({ query: 'SELECT formatQuerySingleLine({q:String}) AS q', query_params: { q: sql }, format: 'JSONEachRow' });
      const [row] = (await result.json()) as { q: string }[];
      return row!.q;
    } catch (error) {
      throw this.failure(error);
    }
  }

  private rowFilters(catalog: TableCatalog, scope: SqlScope): string {
    const entries: string[] = [];
    for (const [table, column] of catalog.scoped) {
      const ids = column === 'connection_id' ? scope.connectionIds : scope.subscriptionIds;
      const filter = ids.length === 0 ? '0' : `${column} IN (${ids.map(quote).join(', ')})`;
      for (const name of [table, `${this.clickhouse.database}.${table}`]) entries.push(`${quote(name)}: ${quote(filter)}`);
    }
    return `{${entries.join(', ')}}`;
  }

  private tables(): Promise<TableCatalog> {
    if (this.catalog && Date.now() - this.catalogAt < CATALOG_MS) return this.catalog;
    this.catalogAt = Date.now();
    this.catalog = this.loadTables();
    this.catalog.catch(() => (this.catalog = null));
    return this.catalog;
  }

  private async loadTables(): Promise<TableCatalog> {
    const result = await this.clickhouse.client.query({
      query: 'SELECT table, groupArray(name) AS columns FROM system.columns WHERE database = currentDatabase() GROUP BY table',
      format: 'JSONEachRow',
    });
    const rows = (await result.json()) as { table: string; columns: string[] }[];
    const scoped = new Map<string, 'connection_id' | 'subscription_id'>();
    for (const row of rows) {
      if (row.columns.includes('connection_id')) scoped.set(row.table, 'connection_id');
      else if (row.columns.includes('subscription_id')) scoped.set(row.table, 'subscription_id');
    }
    return { at: Date.now(), existing: new Set(rows.map((row) => row.table)), scoped };
  }

  private async clickhouseText(query: string): Promise<string> {
    try {
      const result = await this.clickhouse.client.query({ query, format: 'TabSeparatedRaw' });
      return await result.text();
    } catch (error) {
      throw this.failure(error);
    }
  }

  private failure(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    const { code, message } = error as { code?: string; message?: string };
    const text = (message ?? '').replace(/\s*<- Code:.*$/s, '').slice(0, 2000);
    if (code === '159') return new ApiError('sql_timeout', `The query ran longer than the time limit: ${text}`);
    if (code === '164') return new ApiError('sql_not_allowed', `The query tried to change data or settings: ${text}`);
    if (code !== undefined) return new ApiError('sql_invalid', `ClickHouse refused the query: ${text}`, { details: { clickhouse: text, clickhouse_code: code } });
    this.logger.error({ err: error }, 'SQL query failed');
    return new ApiError('store_unavailable', 'ClickHouse did not answer the query; retry in a moment.');
  }
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
