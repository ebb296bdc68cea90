import type { Logger } from '../../platform/logger.js';
import type { ConnectorDefinition, StreamDefinition } from './types.js';

/**
 * The generic stream check (after faros-ai's airbyte connectors): what a stream returns must
 * hold the fields its declaration names, because the runtime keys records by `primaryKey` and
 * advances cursors on `cursorField`. A typo there would otherwise surface as records silently
 * collapsing onto one key or a cursor that never moves.
 */
export class StreamContractError extends Error {
  readonly code = 'STREAM_CONTRACT';

  constructor(
    readonly stream: string,
    readonly field: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'StreamContractError';
  }
}

/** Reads a dot path: `PurchaseOrder`, `__metadata.uri`, `to_Item.results[0].Material` or `…results.0.Material`. */
export function getPath(value: unknown, path: string): unknown {
  const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Field names only, never values: the message may end up in CI logs. */
function fieldsOf(record: unknown): string {
  if (record === null || typeof record !== 'object') return `not an object but ${record === null ? 'null' : typeof record}`;
  const keys = Object.keys(record);
  return keys.length === 0 ? 'no fields' : `fields: ${keys.slice(0, 25).join(', ')}${keys.length > 25 ? ', …' : ''}`;
}

type CheckedStream = Pick<StreamDefinition<unknown, any, any>, 'name' | 'primaryKey' | 'cursorField' | 'cursorNullable' | 'syncMode' | 'remoteId' | 'nextCursor'>;

/**
 * The cursor field must hold a value, or, on a stream declaring `cursorNullable`, at least be
 * present (null allowed): a missing key is still a typo or a field the query did not select.
 */
function assertCursorField(stream: CheckedStream, field: string, record: unknown, where: string): void {
  const value = getPath(record, field);
  if (stream.cursorNullable) {
    if (value !== undefined && value !== '') return;
    throw new StreamContractError(stream.name, field, `${where} has no cursor field "${field}" (${fieldsOf(record)}); the stream allows it to be null but not absent: fix cursorField or select the field in the query`);
  }
  if (!isMissing(value)) return;
  if (value === null) {
    throw new StreamContractError(stream.name, field, `${where} has a null cursor field "${field}"; if the source leaves it empty on records it legitimately has, declare cursorNullable: true on the stream (its full passes must find those records)`);
  }
  throw new StreamContractError(stream.name, field, `${where} has no cursor field "${field}" (${fieldsOf(record)}); fix cursorField or select the field in the query`);
}

/**
 * Throws StreamContractError naming the stream and the field when a record lacks the primary
 * key or the cursor field (null allowed with `cursorNullable`), when `remoteId` gives no id, or when `nextCursor` fails on it.
 * An empty `records` fails too: a check over nothing proves nothing.
 */
export function assertStreamOutput(stream: CheckedStream, records: readonly unknown[]): void {
  const name = stream.name;
  if (stream.syncMode === 'incremental' && stream.cursorField === null) {
    throw new StreamContractError(name, null, `stream "${name}" is incremental but declares no cursorField; declare the field its cursor advances on, or make it full_refresh`);
  }
  if (records.length === 0) {
    throw new StreamContractError(name, null, `stream "${name}" returned no records to check; seed its sandbox with at least one record`);
  }
  let cursor: unknown = null;
  records.forEach((record, index) => {
    const where = `stream "${name}": record ${index}`;
    if (isMissing(getPath(record, stream.primaryKey))) {
      throw new StreamContractError(name, stream.primaryKey, `${where} has no primary key field "${stream.primaryKey}" (${fieldsOf(record)}); fix primaryKey or the stream's read`);
    }
    if (stream.cursorField !== null) assertCursorField(stream, stream.cursorField, record, where);
    let remoteId: unknown;
    try {
      remoteId = stream.remoteId(record);
    } catch (error) {
      throw new StreamContractError(name, stream.primaryKey, `${where}: remoteId() threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof remoteId !== 'string' || remoteId === '') {
      throw new StreamContractError(name, stream.primaryKey, `${where}: remoteId() returned ${JSON.stringify(remoteId)}, not a non-empty string`);
    }
    try {
      cursor = stream.nextCursor(cursor, record);
    } catch (error) {
      throw new StreamContractError(name, stream.cursorField, `${where}: nextCursor() threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

export interface StreamCheckOptions {
  logger: Logger;
  /** Pages read per stream. Default 1. */
  pages?: number;
  signal?: AbortSignal;
}

/**
 * Reads the first page(s) of every stream of `connector` with `client` (a client connected to
 * its sandbox) and asserts each output. Connector test suites call it once; it is the generic
 * check every registered connector passes.
 */
export async function assertConnectorStreams<Client>(connector: ConnectorDefinition<any, Client>, client: Client, options: StreamCheckOptions): Promise<void> {
  const names = connector.streams.map((stream) => stream.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new StreamContractError(duplicate, null, `connector "${connector.id}" declares stream "${duplicate}" twice`);
  for (const stream of connector.streams) {
    const records: unknown[] = [];
    const context = { signal: options.signal ?? new AbortController().signal, logger: options.logger, startedAt: new Date() };
    let pages = 0;
    for await (const page of stream.read(client, null, context)) {
      records.push(...page.records);
      if (++pages >= (options.pages ?? 1)) break;
    }
    assertStreamOutput(stream, records);
  }
}
