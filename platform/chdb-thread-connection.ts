import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { ClickHouseError, type createClient } from '@clickhouse/client';

/**
 * The embedded ClickHouse (chdb) on a worker thread, behind @clickhouse/client's Connection
 * contract. chdb's async calls still do part of their work synchronously on the calling thread
 * (about 10 ms per MB of SQL: a 5,000-row INSERT held the event loop for 25 to 120 ms), which
 * would stall Kafka heartbeats and HTTP requests. Here the main thread only forwards the call
 * and the body; the worker (chdb-thread.cjs) runs chdb's own Connection, so the SQL semantics
 * are chdb's exactly.
 *
 * The worker is referenced only while calls are in flight: an idle client never keeps the
 * process alive, a pending call always does.
 */
export type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
type Operation = 'query' | 'exec' | 'command' | 'insert' | 'raw_insert' | 'ping' | 'close';

/** An INSERT whose body goes to chdb as bytes (platform/clickhouse-insert.ts builds it). */
export interface RawInsertRequest {
  table: string;
  columns?: readonly string[];
  format: 'JSONEachRow' | 'JSONCompactEachRow';
  /** For this statement only (its SETTINGS clause). */
  settings: Readonly<Record<string, string | number>>;
  body: readonly Buffer[];
}

export interface RawInsertCapable {
  rawInsert(request: RawInsertRequest): Promise<void>;
}

interface WorkerError {
  name?: string;
  message: string;
  code?: string;
  type?: string;
  chain: string[];
}

interface Pending {
  resolve: (value: { result: Record<string, unknown>; body?: Uint8Array }) => void;
  reject: (error: Error) => void;
}

const require = createRequire(import.meta.url);
// The native addon must be loaded by the main thread too: when only a worker had loaded it, the
// process crashed with SIGSEGV on exit (libchdb unloaded with the worker's environment).
require('chdb');

export async function openThreadedChdbConnection(dataDir: string): Promise<ClientConnection & RawInsertCapable> {
  const worker = new Worker(new URL('./chdb-thread.cjs', import.meta.url), {
    workerData: { path: dataDir, connectionModule: require.resolve('chdb/connection'), clientModule: require.resolve('@clickhouse/client') },
    // The worker needs no TypeScript loader; inheriting the runner's flags would only slow it.
    execArgv: [],
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: { type: string; error?: WorkerError }) => {
      worker.off('error', onError);
      if (message.type === 'ready') return resolve();
      void worker.terminate();
      reject(toError(message.error!));
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
  return new ThreadedChdbConnection(worker) as unknown as ClientConnection & RawInsertCapable;
}

function toError(error: WorkerError): Error {
  const mapped = error.code && error.type ? new ClickHouseError({ message: error.message, code: error.code, type: error.type }) : new Error(error.message);
  // Keep the worker's cause chain readable for callers that inspect it (lock errors).
  if (error.chain.length > 1) mapped.cause = new Error(error.chain.slice(1).join(' <- '));
  return mapped;
}

class ThreadedChdbConnection {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private failure: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (message: { id: number; ok: boolean; result?: Record<string, unknown>; body?: Uint8Array; error?: WorkerError }) => {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.ok) entry.resolve({ result: message.result ?? {}, body: message.body });
      else entry.reject(toError(message.error!));
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the embedded ClickHouse worker thread exited (code ${code})`)));
  }

  query(params: Record<string, unknown>) {
    return this.withStream('query', params);
  }

  exec(params: Record<string, unknown>) {
    return this.withStream('exec', params);
  }

  async command(params: Record<string, unknown>) {
    return (await this.call('command', params)).result;
  }

  async insert(params: Record<string, unknown>) {
    return (await this.call('insert', params)).result;
  }

  async rawInsert({ body, ...request }: RawInsertRequest): Promise<void> {
    await this.call('raw_insert', { ...request, values: body });
  }

  async ping(params: Record<string, unknown>) {
    try {
      await this.call('ping', params);
      return { success: true as const };
    } catch (error) {
      return { success: false as const, error: error as Error };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.call('close', {});
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  private async withStream(op: Operation, params: Record<string, unknown>) {
    const { result, body } = await this.call(op, params);
    const bytes = body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : Buffer.alloc(0);
    const stream = Readable.from([bytes], { objectMode: false });
    // The client destroys unconsumed result streams on close; nothing else can fail here.
    stream.on('error', () => {});
    return { ...result, stream };
  }

  private async call(op: Operation, params: Record<string, unknown>): Promise<{ result: Record<string, unknown>; body?: Uint8Array }> {
    if (this.closed) throw new Error('the embedded ClickHouse connection is closed');
    if (this.failure) throw this.failure;
    const { values, abort_signal: signal, ...rest } = params as Record<string, unknown> & { values?: unknown; abort_signal?: AbortSignal };
    refuseStatementSettings(rest.clickhouse_settings);
    const payload = values === undefined ? undefined : await materialize(values);
    signal?.throwIfAborted();
    const id = this.nextId++;
    const cancel = () => this.worker.postMessage({ op: 'cancel', id });
    const answer = new Promise<{ result: Record<string, unknown>; body?: Uint8Array }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      const transfer = payload instanceof Uint8Array ? [payload.buffer as ArrayBuffer] : [];
      this.worker.postMessage({ id, op, params: plainParams(rest), values: payload }, transfer);
      signal?.addEventListener('abort', cancel, { once: true });
    });
    if (!signal) return answer;
    // A caller's signal outlives its queries: each query takes its listener away when answered.
    return answer.finally(() => signal.removeEventListener('abort', cancel));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const entry of this.pending.values()) entry.reject(this.failure);
    this.pending.clear();
  }
}

/**
 * chdb applies a call's `clickhouse_settings` as session-wide `SET`s on the one session the whole
 * process shares, so a setting meant for one statement (a deduplication token, read-only, a limit)
 * would stay set for every later statement of every stage: a stale token silently dropped later
 * inserts. Such settings belong in the statement's SETTINGS clause (platform/clickhouse-insert.ts).
 */
const STATEMENT_SETTINGS = /^(insert_deduplication_token|insert_deduplicate|readonly|additional_table_filters|max_[a-z0-9_]+|[a-z_]+_overflow_mode)$/;

function refuseStatementSettings(settings: unknown): void {
  if (!settings || typeof settings !== 'object') return;
  const names = Object.keys(settings).filter((name) => STATEMENT_SETTINGS.test(name));
  if (names.length === 0) return;
  throw new Error(
    `ClickHouse setting ${names.join(', ')} was passed as a client setting; on the embedded engine it would stay set for every later ` +
      "statement of the process. Put it in the statement's own SETTINGS clause (insertJsonRows/settingsClause in platform/clickhouse-insert.ts).",
  );
}

/** What may cross to the worker: everything but callbacks and signals. */
function plainParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => typeof value !== 'function' && !(value instanceof AbortSignal)));
}

/** An INSERT body as one string or one owned byte array (transferred to the worker without a copy). */
async function materialize(values: unknown): Promise<string | Uint8Array> {
  if (typeof values === 'string') return values;
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of values as AsyncIterable<string | Uint8Array>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    length += bytes.length;
  }
  // Unpooled, so the whole ArrayBuffer is this body's and can be transferred.
  const owned = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const chunk of chunks) {
    owned.set(chunk, at);
    at += chunk.length;
  }
  return owned;
}
