import fs from 'node:fs';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { openThreadedChdbConnection, type RawInsertRequest } from './chdb-thread-connection.js';

export type { ClickHouseClient } from '@clickhouse/client';

export interface ClickHouseOptions {
  /** A ClickHouse server (http(s)://host:8123). Unset → embedded ClickHouse (chdb) on dataDir. */
  url?: string;
  username?: string;
  password?: string;
  database: string;
  /** Folder of the embedded engine's data; used only without url. */
  dataDir?: string;
}

export class EmbeddedClickHouseLockedError extends Error {
  readonly code = 'clickhouse_data_dir_locked';
  constructor(readonly dataDir: string) {
    super(
      `The embedded ClickHouse data directory ${dataDir} is already used by another process ` +
        '(one process may own it at a time). Stop the other Millrace process, choose another ' +
        'MILLRACE_DATA_DIR, or set CLICKHOUSE_URL to a ClickHouse server so several processes can share it.',
    );
    this.name = 'EmbeddedClickHouseLockedError';
  }
}

export interface ClickHouse {
  client: ClickHouseClient;
  /** 'server' over HTTP, or 'embedded' (chdb in this process). */
  kind: 'server' | 'embedded';
  database: string;
  /** Embedded only: an INSERT whose body reaches chdb as bytes (use insertBody, clickhouse-insert.ts). */
  rawInsert?: (request: RawInsertRequest) => Promise<void>;
  close(): Promise<void>;
}

/** How every stage reads values: timestamps in ISO 8601, 64-bit integers as JSON strings (exact). */
const OUTPUT_SETTINGS = { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 1 } as const;

/**
 * The one way Millrace opens ClickHouse. Both kinds are driven through @clickhouse/client, so
 * every stage's SQL runs unchanged on a server and on chdb. The database is created if missing.
 * chdb runs on a worker thread (chdb-thread-connection.ts), so its calls never hold the event loop.
 */
export async function openClickHouse(options: ClickHouseOptions): Promise<ClickHouse> {
  if (options.url) return openServer(options, options.url);
  return openEmbedded(options);
}

async function openServer(options: ClickHouseOptions, url: string): Promise<ClickHouse> {
  const bootstrap = createClient({ url, username: options.username, password: options.password });
  await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${options.database}` });
  await bootstrap.close();
  const client = createClient({
    url,
    username: options.username,
    password: options.password,
    database: options.database,
    clickhouse_settings: OUTPUT_SETTINGS,
  });
  return { client, kind: 'server', database: options.database, close: () => client.close() };
}

async function openEmbedded(options: ClickHouseOptions): Promise<ClickHouse> {
  const dataDir = path.resolve(options.dataDir ?? '.millrace/clickhouse');
  fs.mkdirSync(dataDir, { recursive: true });
  let connection;
  try {
    connection = await openThreadedChdbConnection(dataDir);
  } catch (error) {
    if (isLockError(error)) throw new EmbeddedClickHouseLockedError(dataDir);
    throw error;
  }
  // No client settings: chdb turns them into `SET`s sent before every statement (about 0.7 ms of
  // CPU per query, a third of a small read's), on the one session every stage shares. The same
  // output settings are set once on that session instead.
  const client = createClient({ connection, database: options.database });
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${options.database}` });
  // The chdb connection ignores the client's `database` option; its session keeps USE instead.
  await client.command({ query: `USE ${options.database}` });
  await client.command({ query: `SET ${Object.entries(OUTPUT_SETTINGS).map(([name, value]) => `${name} = ${typeof value === 'string' ? `'${value}'` : value}`).join(', ')}` });
  return { client, kind: 'embedded', database: options.database, rawInsert: (request) => connection.rawInsert(request), close: () => client.close() };
}

function isLockError(error: unknown): boolean {
  const chain: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    chain.push(current.message);
    current = current.cause;
  }
  return chain.some((message) => /Cannot lock file|already running|Failed to create connection for path/.test(message));
}
