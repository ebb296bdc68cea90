import { Readable } from 'node:stream';
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
  const result = await clickhouse.client.exec({
    query: `INSERT INTO ${quoteTable(table)} ${settingsClause(settings)} FORMAT JSONEachRow`,
    values: Readable.from([body]),
  });
  // An unread response would hold the HTTP connection (server) open.
  result.stream.resume();
  await new Promise<void>((resolve, reject) => {
    result.stream.once('end', resolve);
    result.stream.once('close', resolve);
    result.stream.once('error', reject);
  });
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

function quoteTable(table: string): string {
  return table
    .split('.')
    .map((part) => `\`${part.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``)
    .join('.');
}
