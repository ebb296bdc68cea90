import type { Message, TopicMessages } from 'kafkajs';
import { eventKey, type MillraceEvent } from '../platform/events.js';
import { captureTimestampMicros, rawHeaders, rawKey } from '../platform/raw-record.js';
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

/** One raw message per record: the body as the source sent it, keyed `connection_id:remote_id`. */
export function upsertMessages(ctx: CaptureContext, records: { remoteId: string; body: unknown }[], cursorJson: string): Message[] {
  return records.map(({ remoteId, body }) => ({
    key: rawKey(ctx.connectionId, remoteId),
    value: JSON.stringify(body),
    headers: rawHeaders({ ...ctx, op: 'upsert', cursor: cursorJson, capturedAtMicros: captureTimestampMicros() }),
  }));
}

/** Deletes the source reported (a deleted-records feed). The value is null: there is no body. */
export function deleteMessages(ctx: CaptureContext, remoteIds: string[], cursorJson: string): Message[] {
  return remoteIds.map((remoteId) => ({
    key: rawKey(ctx.connectionId, remoteId),
    value: null,
    headers: rawHeaders({ ...ctx, op: 'delete', cursor: cursorJson, capturedAtMicros: captureTimestampMicros() }),
  }));
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

function messageBytes(message: Message): number {
  let size = 64 + (typeof message.key === 'string' ? message.key.length : (message.key?.length ?? 0));
  if (message.value) size += typeof message.value === 'string' ? Buffer.byteLength(message.value) : message.value.length;
  for (const [name, value] of Object.entries(message.headers ?? {})) size += name.length + String(value ?? '').length + 8;
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
