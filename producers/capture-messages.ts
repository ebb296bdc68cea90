import type { Message, TopicMessages } from 'kafkajs';
import { eventKey, type MillraceEvent } from '../platform/events.js';
import { captureTimestampMicros, rawHeaders, rawKey, RawPageHeaders, reserveCaptureTimestamps } from '../platform/raw-record.js';
import type { ConnectionState } from './connection-state.js';

/**
 * The Kafka messages one sync run writes: raw records (upsert, delete, pass_complete), the
 * stream's cursor record, events and connection state. Pure functions; the transactor sends them.
 */

/** A full pass in progress: its id rides on every record it reads and in the cursor record. */
export interface PassInfo {
  id: string;
  started_at: string;
}

/** Value of the compacted cursors topic, key `connection_id:stream`. */
export interface CursorRecord {
  connection_id: string;
  stream: string;
  cursor: unknown;
  /** Set while a full pass is under way, so a resumed pass keeps its id. */
  pass: PassInfo | null;
  sync_run_id: string;
  updated_at: string;
}

export function cursorKey(connectionId: string, stream: string): string {
  return `${connectionId}:${stream}`;
}

export function parseCursorRecord(value: Buffer | null): CursorRecord | null {
  return value === null ? null : (JSON.parse(value.toString('utf8')) as CursorRecord);
}

export function cursorMessage(record: CursorRecord): Message {
  return { key: cursorKey(record.connection_id, record.stream), value: JSON.stringify(record) };
}

export function eventMessage(event: MillraceEvent): Message {
  return { key: eventKey(event), value: JSON.stringify(event) };
}

export function stateMessage(state: ConnectionState): Message {
  return { key: state.connection_id, value: JSON.stringify(state) };
}

export interface CaptureContext {
  connectionId: string;
  sourceSystem: string;
  entity: string;
  stream: string;
  syncRunId: string;
  passId?: string;
}

/**
 * One raw message per record: the body as the source sent it (serialized once, straight to the
 * UTF-8 bytes kafkajs writes), keyed `connection_id:remote_id`. The page's cursor rides on its
 * last record only (platform/raw-record.ts).
 */
export function upsertMessages(ctx: CaptureContext, records: { remoteId: string; body: unknown }[], cursorJson: string): Message[] {
  const headers = new RawPageHeaders({ ...ctx, op: 'upsert' });
  const firstMicros = reserveCaptureTimestamps(records.length);
  const last = records.length - 1;
  const messages: Message[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const { remoteId, body } = records[i]!;
    messages[i] = {
      key: rawKey(ctx.connectionId, remoteId),
      value: jsonBytes(body),
      headers: headers.forRecord(String(firstMicros + i), i === last ? cursorJson : undefined),
    };
  }
  return messages;
}

/** Deletes the source reported (a deleted-records feed). The value is null: there is no body. */
export function deleteMessages(ctx: CaptureContext, remoteIds: string[], cursorJson: string): Message[] {
  const headers = new RawPageHeaders({ ...ctx, op: 'delete' });
  const firstMicros = reserveCaptureTimestamps(remoteIds.length);
  const last = remoteIds.length - 1;
  return remoteIds.map((remoteId, i) => ({
    key: rawKey(ctx.connectionId, remoteId),
    value: null,
    headers: headers.forRecord(String(firstMicros + i), i === last ? cursorJson : undefined),
  }));
}

/** JSON.stringify gives undefined for undefined (and functions): kafkajs wrote those as a null value. */
function jsonBytes(body: unknown): Buffer | null {
  const json = JSON.stringify(body) as string | undefined;
  return json === undefined ? null : Buffer.from(json);
}

/**
 * `pass_complete` control records, one per partition of the raw topic, so every transformer
 * partition learns the pass ended. Key: the connection id alone (no remote id part).
 */
export function passCompleteMessages(ctx: CaptureContext & { passId: string }, pass: PassInfo, partitions: number): Message[] {
  const value = JSON.stringify({ pass_id: pass.id, connection_id: ctx.connectionId, entity: ctx.entity, stream: ctx.stream, started_at: pass.started_at });
  return Array.from({ length: partitions }, (_, partition) => ({
    partition,
    key: ctx.connectionId,
    value,
    headers: rawHeaders({ ...ctx, op: 'pass_complete', capturedAtMicros: captureTimestampMicros() }),
  }));
}

/**
 * A message's size on the wire, roughly (a record's framing is ~64 bytes). Header text counts
 * its characters, the value its UTF-8 bytes: the 900 KB default leaves room below 1 MiB for
 * non-ASCII header text.
 */
function messageBytes(message: Message): number {
  const { key, value, headers } = message;
  let size = 64 + (typeof key === 'string' ? key.length : (key?.length ?? 0));
  if (value) size += typeof value === 'string' ? Buffer.byteLength(value) : value.length;
  if (headers) {
    for (const name in headers) {
      const headerValue = headers[name];
      size += name.length + 8;
      if (Array.isArray(headerValue)) for (const item of headerValue) size += item.length + 8;
      else if (headerValue !== undefined && headerValue !== null) size += headerValue.length;
    }
  }
  return size;
}

/**
 * Splits a transaction's messages into sends of at most `maxBytes` each. Brokers refuse a record
 * batch over `max.message.bytes` (1 MiB by default) and kafkajs puts one send's messages for a
 * partition into one batch, so a large page goes out as several sends inside one transaction.
 */
export function chunkMessages(topicMessages: TopicMessages[], maxBytes: number): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let size = 0;
  for (const { topic, messages } of topicMessages) {
    let slice: Message[] = [];
    for (const message of messages) {
      const bytes = messageBytes(message);
      if (size + bytes > maxBytes && size > 0) {
        if (slice.length > 0) current.push({ topic, messages: slice });
        chunks.push(current);
        current = [];
        slice = [];
        size = 0;
      }
      slice.push(message);
      size += bytes;
    }
    if (slice.length > 0) current.push({ topic, messages: slice });
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
