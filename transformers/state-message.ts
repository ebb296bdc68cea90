import type { Message } from 'kafkajs';
import { isEntityName, type EntityName } from '../schemas/index.js';
import type { StateRecord } from './state-table.js';

/**
 * Messages of the compacted transformer-state topic. Key `<entity>|<connection_id>:<remote_id>`
 * (one raw key can exist for several entities). The partition is set explicitly to the raw
 * record's partition, not hashed from this key: partition p of transformer-state then holds
 * exactly the state of partition p of every raw topic, whatever the key hashes to.
 */
export interface StateValue {
  v: 1;
  stream: string;
  /** Field hashes (field-hash.ts), little-endian int32, base64. */
  hashes: string;
  version: string;
  pass: string | null;
  deleted: boolean;
}

export function stateKey(entity: EntityName, rawKey: string): string {
  return `${entity}|${rawKey}`;
}

/** `{entity, rawKey}` of a state key, or null for a key that is not one. */
export function parseStateKey(key: string): { entity: EntityName; rawKey: string } | null {
  const bar = key.indexOf('|');
  if (bar <= 0) return null;
  const entity = key.slice(0, bar);
  return isEntityName(entity) ? { entity, rawKey: key.slice(bar + 1) } : null;
}

export function stateMessage(entity: EntityName, rawKey: string, partition: number, record: StateRecord): Message {
  const hashes = Int32Array.from(record.hashes);
  const value: StateValue = {
    v: 1,
    stream: record.stream,
    hashes: Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength).toString('base64'),
    version: String(record.version),
    pass: record.pass,
    deleted: record.deleted,
  };
  return { key: stateKey(entity, rawKey), value: JSON.stringify(value), partition };
}

export function parseStateValue(value: Buffer): StateRecord {
  const parsed = JSON.parse(value.toString('utf8')) as StateValue;
  if (parsed.v !== 1) throw new Error(`transformer state version ${String(parsed.v)} is not supported`);
  const bytes = Buffer.from(parsed.hashes, 'base64');
  const hashes = new Int32Array(bytes.length / 4);
  for (let i = 0; i < hashes.length; i++) hashes[i] = bytes.readInt32LE(i * 4);
  return { hashes, version: Number(parsed.version), pass: parsed.pass, stream: parsed.stream, deleted: parsed.deleted };
}
