import { createLogger } from '../../../platform/logger.js';
import type { RetryOptions } from '../../sdk/retry.js';
import type { ReadContext, StreamDefinition } from '../../sdk/types.js';
import { SapClient } from '../client.js';
import { sapConfigSchema, type SapConfigInput } from '../config.js';
import { startSapSandbox, type RunningSapSandbox, type SapSandboxOptions } from './index.js';

/**
 * For the connector's tests and benchmarks: a running sandbox plus a client of the real
 * connector pointed at it, and a helper that runs a stream the way the runtime does (page by
 * page, feeding each page's cursor into the next run).
 */
export interface Harness {
  sandbox: RunningSapSandbox;
  client: SapClient;
  connect(config?: Partial<SapConfigInput>, retry?: RetryOptions): SapClient;
  close(): Promise<void>;
}

export const FAST_RETRY: RetryOptions = { retries: 3, minDelayMs: 5, maxDelayMs: 20, maxRetryAfterSeconds: 2 };

export async function startHarness(options: SapSandboxOptions = {}, config: Partial<SapConfigInput> = {}): Promise<Harness> {
  const sandbox = await startSapSandbox(options);
  const clients: SapClient[] = [];
  const connect = (overrides: Partial<SapConfigInput> = {}, retry: RetryOptions = FAST_RETRY) => {
    const parsed = sapConfigSchema.parse({
      baseUrl: sandbox.baseUrl,
      username: sandbox.credentials.username,
      password: sandbox.credentials.password,
      changeOverlapSeconds: 0,
      ...config,
      ...overrides,
    });
    const client = new SapClient(parsed, createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { retry });
    clients.push(client);
    return client;
  };
  const client = connect();
  return {
    sandbox,
    client,
    connect,
    async close() {
      await Promise.all(clients.map((each) => each.close()));
      await sandbox.close();
    },
  };
}

export function readContext(): ReadContext {
  return { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }), startedAt: new Date() };
}

export interface SyncResult<Raw, Cursor> {
  records: Raw[];
  pages: number;
  cursor: Cursor | null;
  /** Every cursor a page carried, in order. */
  cursors: (Cursor | null)[];
}

/** One run of a stream from `cursor`, collecting its records and the cursor to store after it. */
export async function runSync<Raw, Cursor>(
  stream: StreamDefinition<SapClient, Raw, Cursor>,
  client: SapClient,
  cursor: Cursor | null,
  onPage?: (page: number) => void | Promise<void>,
): Promise<SyncResult<Raw, Cursor>> {
  const result: SyncResult<Raw, Cursor> = { records: [], pages: 0, cursor, cursors: [] };
  for await (const page of stream.read(client, cursor, readContext())) {
    result.records.push(...page.records);
    result.pages++;
    result.cursors.push(page.cursor);
    result.cursor = page.cursor ?? result.cursor;
    await onPage?.(result.pages);
  }
  if (stream.syncMode === 'full_refresh') result.cursor = null;
  return result;
}
