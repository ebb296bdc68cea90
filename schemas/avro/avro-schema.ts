/**
 * The Avro schema of each entity, derived from the model. Choices (docs/model.md explains them):
 *  - one record per entity in namespace io.millrace.unified; nested records in the same namespace,
 *    defined at their first use and referred to by name afterwards;
 *  - every optional field is a union ["null", T] with default null, lists default to [], maps to
 *    {} and flags to false, so adding an optional field is compatible both ways (FULL);
 *  - logical types where they exist, so every Avro reader (ClickHouse, Kafka Connect, Flink) sees
 *    real decimals, dates and timestamps: decimal(38, 9) as bytes, date as int, timestamp-millis as
 *    long, uuid as string;
 *  - canonical enums travel as strings (the allowed values are in the field doc): a new canonical
 *    value then needs no schema change, and zod guarantees only canonical values are written.
 */
import type { EntityName } from '../entities.js';
import { entityModels, type FieldDef, type FieldType, type RecordDef } from '../model/index.js';
import { DECIMAL_PRECISION, DECIMAL_SCALE } from '../values/decimal.js';

export const AVRO_NAMESPACE = 'io.millrace.unified';

export type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };

export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  fields: { name: string; type: AvroSchema; doc?: string; default?: unknown }[];
}

const UUID = { type: 'string', logicalType: 'uuid' };

function scalarSchema(type: Exclude<FieldType, { kind: 'record' | 'records' }>): AvroSchema {
  switch (type.kind) {
    case 'text':
    case 'code':
    case 'enum':
    case 'json':
      return 'string';
    case 'id':
      return UUID;
    case 'decimal':
      return { type: 'bytes', logicalType: 'decimal', precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE };
    case 'date':
      return { type: 'int', logicalType: 'date' };
    case 'timestamp':
      return { type: 'long', logicalType: 'timestamp-millis' };
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'int';
    case 'long':
      return 'long';
    case 'string_map':
      return { type: 'map', values: 'string' };
    case 'list':
      return { type: 'array', items: type.of === 'id' ? UUID : 'string' };
  }
}

/** Builds one schema; `defined` remembers named records already written out in it. */
class SchemaBuilder {
  private readonly defined = new Set<string>();

  record(definition: RecordDef, namespace?: string): AvroSchema {
    if (this.defined.has(definition.name)) return `${AVRO_NAMESPACE}.${definition.name}`;
    this.defined.add(definition.name);
    const schema: AvroRecordSchema = { type: 'record', name: definition.name, doc: definition.doc, fields: [] };
    if (namespace) schema.namespace = namespace;
    schema.fields = definition.fields.map((field) => this.field(field));
    return schema as unknown as AvroSchema;
  }

  private valueSchema(type: FieldType): AvroSchema {
    if (type.kind === 'record') return this.record(type.record);
    if (type.kind === 'records') return { type: 'array', items: this.record(type.record) };
    return scalarSchema(type);
  }

  field(field: FieldDef): AvroRecordSchema['fields'][number] {
    const doc = field.type.kind === 'enum' ? `${field.doc} One of: ${field.type.enum.values.map((value) => value.value).join(', ')}.` : field.doc;
    const type = this.valueSchema(field.type);
    if (field.nullable || field.type.kind === 'record') return { name: field.name, type: ['null', type], doc, default: null };
    if (field.type.kind === 'boolean') return { name: field.name, type, doc, default: false };
    if (field.type.kind === 'list' || field.type.kind === 'records') return { name: field.name, type, doc, default: [] };
    if (field.type.kind === 'string_map') return { name: field.name, type, doc, default: {} };
    return { name: field.name, type, doc };
  }
}

/** The Avro schema (JSON) of an entity's unified record: what is registered under `<topic>-value`. */
export function avroSchemaFor(entity: EntityName): AvroRecordSchema {
  const model = entityModels[entity];
  const builder = new SchemaBuilder();
  return builder.record({ name: model.name, doc: model.doc, fields: model.fields }, AVRO_NAMESPACE) as unknown as AvroRecordSchema;
}

/** Full Avro name of an entity's record, e.g. io.millrace.unified.PurchaseOrder. */
export function avroRecordName(entity: EntityName): string {
  return `${AVRO_NAMESPACE}.${entityModels[entity].name}`;
}
