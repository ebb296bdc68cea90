import type { IHeaders } from 'kafkajs';

/**
 * Raw topics hold the source's record untouched (JSON value), keyed `connection_id:remote_id`.
 * What Millrace knows about the capture travels in headers, never inside the body.
 */
export const RAW_HEADERS = {
  connectionId: 'millrace-connection-id',
  sourceSystem: 'millrace-source-system',
  entity: 'millrace-entity',
  stream: 'millrace-stream',
  /** `upsert` (a record as read), `delete` (the source says it is gone, or a full pass did not see it),
   *  `pass_complete` (control: a full pass ended; value holds {pass_id}) */
  op: 'millrace-op',
  syncRunId: 'millrace-sync-run-id',
  /** Id of the full pass this record was read in, when the read is part of one. */
  passId: 'millrace-pass-id',
  /** The stream cursor committed with this record's page (JSON), on the page's last record only:
   *  the compacted cursors topic holds every committed cursor, and repeating it on each record
   *  cost CPU in the producer and the broker on every record (docs/benchmarks.md). */
  cursor: 'millrace-cursor',
  /** Capture time, microseconds since the epoch: the record version downstream. */
  capturedAt: 'millrace-captured-at',
} as const;

export type RawOp = 'upsert' | 'delete' | 'pass_complete';

export interface RawRecordMeta {
  connectionId: string;
  sourceSystem: string;
  entity: string;
  stream: string;
  op: RawOp;
  syncRunId: string;
  passId?: string;
  cursor?: string;
  capturedAtMicros: bigint;
}

export function rawKey(connectionId: string, remoteId: string): string {
  return `${connectionId}:${remoteId}`;
}

export function rawHeaders(meta: RawRecordMeta): IHeaders {
  const headers: IHeaders = {
    [RAW_HEADERS.connectionId]: meta.connectionId,
    [RAW_HEADERS.sourceSystem]: meta.sourceSystem,
    [RAW_HEADERS.entity]: meta.entity,
    [RAW_HEADERS.stream]: meta.stream,
    [RAW_HEADERS.op]: meta.op,
    [RAW_HEADERS.syncRunId]: meta.syncRunId,
    [RAW_HEADERS.capturedAt]: meta.capturedAtMicros.toString(),
  };
  if (meta.passId) headers[RAW_HEADERS.passId] = meta.passId;
  if (meta.cursor !== undefined) headers[RAW_HEADERS.cursor] = meta.cursor;
  return headers;
}

/** What every record of one page shares; only the capture time (and the page's cursor) vary. */
export type RawPageMeta = Omit<RawRecordMeta, 'capturedAtMicros' | 'cursor'>;

/**
 * Headers for the records of one page, built cheaply: the shared values are UTF-8 encoded once
 * per page and every record gets a copy of one template object, so building a record's headers
 * costs one small object and one number-to-text conversion. Same names and bytes as rawHeaders().
 */
export class RawPageHeaders {
  private readonly template: IHeaders;

  constructor(meta: RawPageMeta) {
    const shared = rawHeaders({ ...meta, capturedAtMicros: 0n });
    const template: IHeaders = {};
    for (const [name, value] of Object.entries(shared)) template[name] = Buffer.from(value as string);
    this.template = template;
  }

  /** `capturedAtMicros` as text (see reserveCaptureTimestamps); `cursor` for the page's last record. */
  forRecord(capturedAtMicros: string, cursor?: string): IHeaders {
    const headers: IHeaders = { ...this.template };
    headers[RAW_HEADERS.capturedAt] = capturedAtMicros;
    if (cursor !== undefined) headers[RAW_HEADERS.cursor] = cursor;
    return headers;
  }
}

/** Reads the headers back; throws naming the missing header, so a foreign record is dead-lettered clearly. */
export function parseRawHeaders(headers: IHeaders | undefined): RawRecordMeta {
  const get = (name: string, required = true): string | undefined => {
    const value = headers?.[name];
    const text = Array.isArray(value) ? value[0]?.toString() : value?.toString();
    if (required && (text === undefined || text === '')) throw new Error(`raw record header ${name} is missing`);
    return text;
  };
  const op = get(RAW_HEADERS.op) as RawOp;
  if (!['upsert', 'delete', 'pass_complete'].includes(op)) throw new Error(`raw record header ${RAW_HEADERS.op} has unknown value ${op}`);
  const capturedAt = get(RAW_HEADERS.capturedAt)!;
  if (!/^\d+$/.test(capturedAt)) throw new Error(`raw record header ${RAW_HEADERS.capturedAt} is not a number: ${capturedAt}`);
  const meta: RawRecordMeta = {
    connectionId: get(RAW_HEADERS.connectionId)!,
    sourceSystem: get(RAW_HEADERS.sourceSystem)!,
    entity: get(RAW_HEADERS.entity)!,
    stream: get(RAW_HEADERS.stream)!,
    op,
    syncRunId: get(RAW_HEADERS.syncRunId)!,
    capturedAtMicros: BigInt(capturedAt),
  };
  const passId = get(RAW_HEADERS.passId, false);
  const cursor = get(RAW_HEADERS.cursor, false);
  if (passId) meta.passId = passId;
  if (cursor !== undefined) meta.cursor = cursor;
  return meta;
}

// Microseconds since the epoch stay below 2^53 until the year 2255, so a number holds them exactly.
let lastMicros = 0;
/** Strictly increasing microsecond timestamps within this process: versions never tie. */
export function captureTimestampMicros(): bigint {
  return BigInt(reserveCaptureTimestamps(1));
}

/**
 * Reserves `count` consecutive capture timestamps at once and returns the first: a page's
 * records get first, first + 1, … (as numbers, exact below 2^53). Later calls continue above them.
 */
export function reserveCaptureTimestamps(count: number): number {
  const now = Date.now() * 1000;
  const first = now > lastMicros ? now : lastMicros + 1;
  lastMicros = first + Math.max(count, 1) - 1;
  return first;
}
