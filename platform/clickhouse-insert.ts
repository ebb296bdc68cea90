import { Readable } from 'node:stream';
import type { RawInsertRequest } from './chdb-thread-connection.js';
import type { ClickHouse } from './clickhouse.js';

/**
 * Per-statement ClickHouse settings, written into the statement's own SETTINGS clause.
 *
 * Why not `clickhouse_settings`: on the embedded engine (chdb) the client's settings become
 * session-wide `SET`s on the one session every stage of the process shares, so a batch's
 * `insert_deduplication_token` stayed set after its insert, and later plain inserts into a table
 * with a deduplication window carried the stale token and were silently dropped. A SETTINGS
 * clause lives and dies with its statement on a server and on chdb alike.
 */
export type StatementSettings = Readonly<Record<string, string | number | boolean>>;

/** `SETTINGS a = 1, b = 'text'` (empty string for no settings); names are checked, strings quoted. */
export function settingsClause(settings: StatementSettings): string {
  const entries = Object.entries(settings);
  if (entries.length === 0) return '';
  return `SETTINGS ${entries.map(([name, value]) => `${settingName(name)} = ${settingValue(value)}`).join(', ')}`;
}

/**
 * Inserts rows (JSONEachRow) into `table` with `settings` for this statement only, typically
 * `{ insert_deduplication_token }` so a retried batch is a no-op. Resolves once ClickHouse has
 * the rows; rejects with ClickHouse's error otherwise.
 */
export async function insertJsonRows(clickhouse: ClickHouse, table: string, rows: readonly object[], settings: StatementSettings = {}): Promise<void> {
  if (rows.length === 0) return;
  const body = Buffer.from(`${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
  await insertBody(clickhouse, { table, format: 'JSONEachRow', settings, body: [body] });
}

export interface InsertBody {
  table: string;
  /** The columns the rows hold, in their order (needed by positional formats). */
  columns?: readonly string[];
  format: RawInsertRequest['format'];
  settings: StatementSettings;
  /** The rows, one per line, in chunks. */
  body: readonly Buffer[];
}

/**
 * One INSERT of ready-made rows. On a server the body streams over HTTP; on embedded ClickHouse
 * it reaches chdb as bytes (chdb-thread.cjs), without the text copies of a body inside the SQL.
 */
export async function insertBody(clickhouse: ClickHouse, insert: InsertBody): Promise<void> {
  if (insert.body.every((chunk) => chunk.length === 0)) return;
  if (clickhouse.rawInsert) {
    await clickhouse.rawInsert({ table: insert.table, columns: insert.columns, format: insert.format, settings: numericSettings(insert.settings), body: insert.body });
    return;
  }
  const columns = insert.columns ? ` (${insert.columns.map(quoteIdentifier).join(', ')})` : '';
  const result = await clickhouse.client.exec({
    query: `INSERT INTO ${quoteTable(insert.table)}${columns} ${settingsClause(insert.settings)} FORMAT ${insert.format}`,
    values: Readable.from(insert.body),
  });
  // An unread response would hold the HTTP connection (server) open.
  result.stream.resume();
  await new Promise<void>((resolve, reject) => {
    result.stream.once('end', resolve);
    result.stream.once('close', resolve);
    result.stream.once('error', reject);
  });
}

/** chdb spells booleans true/false; ClickHouse settings take 1/0 everywhere. */
function numericSettings(settings: StatementSettings): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(settings)) out[settingName(name)] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return out;
}

function settingName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new TypeError(`Invalid ClickHouse setting name ${JSON.stringify(name)}`);
  return name;
}

function settingValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Invalid ClickHouse setting value ${value}`);
    return String(value);
  }
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

function quoteTable(table: string): string {
  return table.split('.').map(quoteIdentifier).join('.');
}
