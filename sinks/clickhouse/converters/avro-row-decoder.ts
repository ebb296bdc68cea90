import type avro from 'avsc';
import { readerType } from '../../../schemas/avro/unified-codec.js';
import { recordImageJson } from '../../../schemas/clickhouse/record-image.js';
import { ENTITY_NAMES, SchemaRegistryClient, UnifiedCodecError, avroRecordName, parseAvroType, type EntityName } from '../../../schemas/index.js';
import { compactLayout } from './compact-entity-row.js';

/**
 * Confluent wire-format Avro → the JSONCompactEachRow text of the entity table's row
 * (compact-entity-row.ts), in one pass.
 * It decodes exactly as the unified codec does (the writer's schema from the registry, resolved
 * to the current model, the model's logical types), but serializes avsc's record directly: the
 * codec's copy into plain objects and the row conversion took two thirds of the sink's CPU.
 * ClickHouse reads the model's JSON forms as they are: ISO timestamps (best_effort parsing), a
 * null address as the tuple of nulls (null_as_default). The row carries the record's API image
 * too (record_json, record-image.ts), so the API lists from one column.
 */
interface Writer {
  entity: EntityName;
  resolver: avro.Resolver;
}

const ENTITY_BY_RECORD_NAME = new Map(ENTITY_NAMES.map((entity) => [avroRecordName(entity), entity]));

export interface DecodedRow {
  entity: EntityName;
  schemaId: number;
  json: string;
  /** The record's version: its capture time in microseconds. */
  version: string;
}

export class AvroRowDecoder {
  private readonly registry: SchemaRegistryClient;
  private readonly writers = new Map<number, Promise<Writer>>();

  constructor(registryUrl: string) {
    this.registry = new SchemaRegistryClient(registryUrl);
  }

  async decode(message: Buffer): Promise<DecodedRow> {
    if (message.length < 5 || message[0] !== 0) {
      throw new UnifiedCodecError('not_wire_format', `not a Confluent wire-format message (${message.length} bytes, first byte ${message[0]})`);
    }
    const schemaId = message.readUInt32BE(1);
    const { entity, resolver } = await this.writer(schemaId);
    const record = readerType(entity).fromBuffer(message.subarray(5), resolver) as Record<string, unknown> & { version: string };
    return { entity, schemaId, json: compactLayout(entity).row(record, recordImageJson(entity, record)), version: record.version };
  }

  private writer(id: number): Promise<Writer> {
    let entry = this.writers.get(id);
    if (!entry) {
      entry = this.registry.schemaById(id).then((text) => {
        const type = parseAvroType(JSON.parse(text));
        const entity = ENTITY_BY_RECORD_NAME.get(type.name ?? '');
        if (!entity) throw new UnifiedCodecError('not_a_unified_record', `schema ${id} is ${type.name ?? 'unnamed'}, not a Millrace unified record`);
        return { entity, resolver: readerType(entity).createResolver(type) };
      });
      // A failed lookup (registry away) is tried again on the next message, not cached.
      entry.catch(() => this.writers.delete(id));
      this.writers.set(id, entry);
    }
    return entry;
  }
}
