/**
 * Encodes unified records as Avro in the Confluent wire format (magic byte 0, 4-byte schema id,
 * Avro binary) and decodes them back, against any Confluent-compatible registry.
 *  - encode registers the entity's current schema under `<topic>-value` once (TopicNameStrategy)
 *    and caches the id; registering an unchanged schema again returns the same id.
 *  - decode fetches the writer's schema by id (cached), and resolves it to the current model, so
 *    a message written with an older schema comes back with the newer fields at their defaults.
 * Records are plain objects in the model's JavaScript representation (see logical-types.ts).
 */
import type avro from 'avsc';
import { ENTITY_NAMES, ENTITY_PLURALS, type EntityName } from '../entities.js';
import type { UnifiedRecordMap } from '../generated/types.js';
import { topicNames } from '../../platform/topics.js';
import { avroRecordName, avroSchemaFor } from './avro-schema.js';
import { parseAvroType } from './logical-types.js';
import { SchemaRegistryClient } from './registry-client.js';

export class UnifiedCodecError extends Error {
  constructor(
    readonly code: 'not_wire_format' | 'not_a_unified_record' | 'invalid_record',
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'UnifiedCodecError';
  }
}

export interface UnifiedCodecOptions {
  /** Any Confluent-compatible schema registry (SCHEMA_REGISTRY_URL); may carry user:password. */
  registryUrl: string;
  /** MILLRACE_TOPIC_PREFIX; decides the subjects (`<prefix>unified.<plural>-value`). */
  topicPrefix?: string;
}

export interface DecodedRecord<E extends EntityName = EntityName> {
  entity: E;
  /** The registry id of the schema the message was written with. */
  schemaId: number;
  record: UnifiedRecordMap[E];
}

export interface UnifiedCodec {
  encode<E extends EntityName>(entity: E, record: UnifiedRecordMap[E]): Promise<Buffer>;
  decode(message: Buffer): Promise<DecodedRecord>;
  /** The registry id of the entity's current schema (registering it if needed). */
  schemaId(entity: EntityName): Promise<number>;
}

export function unifiedTopic(topicPrefix: string, entity: EntityName): string {
  return topicNames(topicPrefix).unified(ENTITY_PLURALS[entity]);
}

/** The subject of an entity's value schema: TopicNameStrategy, `<topic>-value`. */
export function unifiedSubject(topicPrefix: string, entity: EntityName): string {
  return `${unifiedTopic(topicPrefix, entity)}-value`;
}

const readerTypes = new Map<EntityName, avro.Type>();
export function readerType(entity: EntityName): avro.Type {
  let type = readerTypes.get(entity);
  if (!type) {
    type = parseAvroType(avroSchemaFor(entity));
    readerTypes.set(entity, type);
  }
  return type;
}

const ENTITY_BY_RECORD_NAME = new Map(ENTITY_NAMES.map((entity) => [avroRecordName(entity), entity]));

/** Plain objects all the way down (avsc gives records their own classes). */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
}

// One scratch buffer per process: encoding writes here and copies out exactly the bytes used.
let scratch = Buffer.allocUnsafe(64 * 1024);

function encodeBody(type: avro.Type, record: unknown): Buffer {
  let end = type.encode(record, scratch, 0);
  if (end < 0) {
    // Too small: avsc returns minus the size it needs.
    scratch = Buffer.allocUnsafe(Math.max(-end, scratch.length * 2));
    end = type.encode(record, scratch, 0);
  }
  return Buffer.from(scratch.subarray(0, end));
}

/** The record does not fit the schema: name every path that does not (only computed on failure). */
function invalidRecord(entity: EntityName, record: unknown): UnifiedCodecError {
  const issues: { path: string; message: string }[] = [];
  readerType(entity).isValid(record, { errorHook: (path, value) => issues.push({ path: path.join('.'), message: `cannot hold ${JSON.stringify(value)}` }) });
  return new UnifiedCodecError(
    'invalid_record',
    `${entity} ${(record as { remote_id?: string }).remote_id ?? ''} does not fit its Avro schema (parse it with unifiedRecordSchema first): ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    issues,
  );
}

export function createUnifiedCodec(options: UnifiedCodecOptions): UnifiedCodec {
  const client = new SchemaRegistryClient(options.registryUrl);
  const prefix = options.topicPrefix ?? 'millrace.';
  const ids = new Map<EntityName, Promise<number>>();
  const writers = new Map<number, Promise<{ entity: EntityName; resolver: avro.Resolver }>>();

  function schemaId(entity: EntityName): Promise<number> {
    let id = ids.get(entity);
    if (!id) {
      id = client.register(unifiedSubject(prefix, entity), avroSchemaFor(entity));
      // A failed registration is retried on the next call, not cached.
      id.catch(() => ids.delete(entity));
      ids.set(entity, id);
    }
    return id;
  }

  function writer(id: number): Promise<{ entity: EntityName; resolver: avro.Resolver }> {
    let entry = writers.get(id);
    if (!entry) {
      entry = client.schemaById(id).then((text) => {
        const type = parseAvroType(JSON.parse(text));
        const entity = ENTITY_BY_RECORD_NAME.get(type.name ?? '');
        if (!entity) {
          throw new UnifiedCodecError('not_a_unified_record', `schema ${id} is ${type.name ?? 'unnamed'}, not a Millrace unified record`);
        }
        return { entity, resolver: readerType(entity).createResolver(type) };
      });
      entry.catch(() => writers.delete(id));
      writers.set(id, entry);
    }
    return entry;
  }

  return {
    schemaId,
    async encode(entity, record) {
      const id = await schemaId(entity);
      let body: Buffer;
      try {
        body = encodeBody(readerType(entity), record);
      } catch {
        throw invalidRecord(entity, record);
      }
      const message = Buffer.allocUnsafe(5 + body.length);
      message[0] = 0;
      message.writeUInt32BE(id, 1);
      body.copy(message, 5);
      return message;
    },
    async decode(message) {
      if (message.length < 5 || message[0] !== 0) {
        throw new UnifiedCodecError('not_wire_format', `not a Confluent wire-format message (${message.length} bytes, first byte ${message[0]})`);
      }
      const id = message.readUInt32BE(1);
      const { entity, resolver } = await writer(id);
      const record = readerType(entity).fromBuffer(message.subarray(5), resolver) as unknown;
      return { entity, schemaId: id, record: toPlain(record) } as DecodedRecord;
    },
  };
}
