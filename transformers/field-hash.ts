import { hash } from 'node:crypto';
import { entityModels, type EntityName } from '../schemas/index.js';

/**
 * Change detection by field. Each unified field that can change takes part, as a 32-bit hash of
 * its JSON text; a record is unchanged when every hash is equal, and `changed_fields` names the
 * fields whose hash moved. Not hashed: what describes the capture rather than the record
 * (`synced_at`, `version`, `remote_data`) and the identity, fixed for a key (`id`,
 * `connection_id`, `source_system`, `remote_id`). Nested records (order lines) count as one
 * field: `lines` changed.
 *
 * 32 bits per field keep the state small (see state-table.ts); a real change goes unnoticed
 * only if every changed field's hash collides, about 1 in 4 billion for a one-field change.
 */
const NOT_HASHED = new Set(['id', 'connection_id', 'source_system', 'remote_id', 'remote_data', 'synced_at', 'version']);

interface HashedField {
  name: string;
  /** Maps (custom_fields) are hashed with sorted keys: a source listing them in another order changed nothing. */
  map: boolean;
}

const fieldLists = new Map<EntityName, readonly HashedField[]>();

function hashedFieldDefs(entity: EntityName): readonly HashedField[] {
  let list = fieldLists.get(entity);
  if (!list) {
    list = entityModels[entity].fields
      .filter((field) => !NOT_HASHED.has(field.name))
      .map((field) => ({ name: field.name, map: field.type.kind === 'string_map' }));
    fieldLists.set(entity, list);
  }
  return list;
}

/** The hashed fields of an entity, in model order (the order of the hashes). */
export function hashedFields(entity: EntityName): readonly string[] {
  return hashedFieldDefs(entity).map((field) => field.name);
}

function sortedMap(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** FNV-1a over UTF-16 code units, with murmur3's final mix for a good spread of short inputs. */
export function hashText(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash | 0;
}

const STRING_SEED = 0x2f1d7a35;
const NULL_HASH = hashText('null');
const TRUE_HASH = hashText('true');
const FALSE_HASH = hashText('false');

/** One hash per hashed field. The record is a parsed unified record: its key order is the model's. */
export function fieldHashes(entity: EntityName, record: Record<string, unknown>): Int32Array {
  const fields = hashedFieldDefs(entity);
  const hashes = new Int32Array(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    hashes[i] = hashValue(field.map ? sortedMap(record[field.name]) : record[field.name]);
  }
  return hashes;
}

/**
 * The hash of a value's JSON text, without building the text for scalars (a string gets its own
 * seed, so the string "null" differs from null). Long texts (order lines) go to native SHA-1,
 * several times faster than a JavaScript loop over their characters.
 */
function hashValue(value: unknown): number {
  if (value === null || value === undefined) return NULL_HASH;
  if (typeof value === 'boolean') return value ? TRUE_HASH : FALSE_HASH;
  if (typeof value === 'string') return value.length < NATIVE_FROM_CHARS ? hashText(value, STRING_SEED) : nativeHash(`"${value}`);
  const text = JSON.stringify(value);
  return text.length < NATIVE_FROM_CHARS ? hashText(text) : nativeHash(text);
}

const NATIVE_FROM_CHARS = 256;

function nativeHash(text: string): number {
  return hash('sha1', text, 'buffer').readInt32LE(0);
}

/** Names of the fields whose hashes differ; empty when the record did not change. */
export function changedFields(entity: EntityName, before: ArrayLike<number>, after: ArrayLike<number>): string[] {
  const fields = hashedFieldDefs(entity);
  const changed: string[] = [];
  for (let i = 0; i < fields.length; i++) if (before[i] !== after[i]) changed.push(fields[i]!.name);
  return changed;
}
