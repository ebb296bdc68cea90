'use strict';
/**
 * Worker-thread side of the embedded ClickHouse (see chdb-thread-connection.ts). It owns the one
 * chdb session of the process and runs every call the main thread forwards on chdb's own
 * @clickhouse/client Connection, so the statements behave exactly as they would on the main
 * thread; only the synchronous part of chdb's calls (query parsing, copying a large INSERT body)
 * now costs this thread instead of the event loop.
 *
 * Plain CommonJS on purpose: a worker does not inherit the TypeScript loader under every runner
 * (tsx, vitest), and this file only needs chdb itself.
 */
const { parentPort, workerData } = require('node:worker_threads');
const { createChdbConnection } = require(workerData.connectionModule);
const { parseError } = require(workerData.clientModule);

let connection;
try {
  connection = createChdbConnection({ path: workerData.path });
} catch (error) {
  parentPort.postMessage({ type: 'open_failed', error: describeError(error) });
  return;
}
const aborts = new Map();
parentPort.postMessage({ type: 'ready' });

parentPort.on('message', (request) => {
  if (request.op === 'cancel') {
    aborts.get(request.id)?.abort();
    return;
  }
  void handle(request);
});

async function handle(request) {
  const abort = new AbortController();
  aborts.set(request.id, abort);
  try {
    const params = { ...request.params, abort_signal: abort.signal };
    if (request.values !== undefined) params.values = request.op === 'raw_insert' ? bytesOf(request.values) : typeof request.values === 'string' ? request.values : Buffer.from(request.values).toString('utf8');
    const result = await run(request.op, params);
    const body = result && result.stream ? await readAll(result.stream) : undefined;
    const response = { id: request.id, ok: true, result: { ...result, stream: undefined }, body };
    parentPort.postMessage(response, body ? [body.buffer] : []);
  } catch (error) {
    parentPort.postMessage({ id: request.id, ok: false, error: describeError(error) });
  } finally {
    aborts.delete(request.id);
  }
}

async function run(op, params) {
  switch (op) {
    case 'query':
      return connection.query(params);
    case 'exec':
      return connection.exec(params);
    case 'command':
      return connection.command(params);
    case 'insert':
      return connection.insert(params);
    case 'raw_insert':
      return rawInsert(params);
    case 'ping': {
      const outcome = await connection.ping(params);
      if (!outcome.success) throw outcome.error;
      return { success: true };
    }
    case 'close':
      await connection.close();
      return { closed: true };
    default:
      throw new Error(`unknown embedded ClickHouse operation ${op}`);
  }
}

/**
 * An INSERT body handed to chdb as bytes: no text decoding, no SQL string of the whole body
 * (the body-in-SQL path decodes it to a string, appends it to the statement, and chdb copies that
 * back to UTF-8). Errors take the shape of the client's (ClickHouseError with code and type), so
 * callers tell refused rows from other failures the same way on both paths.
 */
async function rawInsert(params) {
  try {
    const summary = await connection.chdb.rawInsert({ table: params.table, columns: params.columns, format: params.format, settings: params.settings, values: params.values });
    return { rows_written: summary.rowsWritten };
  } catch (error) {
    throw parseError(error instanceof Error ? error.message : String(error));
  }
}

function bytesOf(values) {
  return typeof values === 'string' ? Buffer.from(values) : Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** The whole result as a Uint8Array that owns its buffer, so it can be transferred without a copy. */
async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const joined = Buffer.concat(chunks);
  const owned = new Uint8Array(joined.length);
  owned.set(joined);
  return owned;
}

function describeError(error) {
  const chain = [];
  let current = error;
  while (current instanceof Error && chain.length < 5) {
    if (chain[chain.length - 1] !== current.message) chain.push(current.message);
    current = current.cause;
  }
  return {
    name: error && error.name,
    message: error instanceof Error ? error.message : String(error),
    code: error && error.code !== undefined ? String(error.code) : undefined,
    type: error && error.type,
    chain,
  };
}
