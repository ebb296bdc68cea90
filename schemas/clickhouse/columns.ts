/**
 * ClickHouse column types of the model: exactly the types ClickHouse's AvroConfluent format gives
 * for the Avro schemas (avro/avro-schema.ts), with two storage refinements that change no value:
 * codes and enums are LowCardinality, and timestamps carry their time zone, UTC.
 *   string → String | uuid → UUID | decimal(38,9) → Decimal(38, 9) | date → Date32 |
 *   timestamp-millis → DateTime64(3, 'UTC') | boolean → Bool | int → Int32 | long → Int64 |
 *   map<string> → Map(String, String) | array → Array | record → Tuple (named) |
 *   ["null", T] → Nullable(T), except records: ClickHouse has no Nullable(Tuple), so a null
 *   address is a tuple of nulls (and reads back as null, see rows.ts).
 */
import type { EntityName } from '../entities.js';
import { entityModels, type FieldDef, type FieldType } from '../model/index.js';
import { DECIMAL_PRECISION, DECIMAL_SCALE } from '../values/decimal.js';

export interface ClickHouseColumn {
  name: string;
  type: string;
  comment: string;
}

export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

function baseType(type: FieldType): string {
  switch (type.kind) {
    case 'text':
    case 'json':
      return 'String';
    case 'code':
    case 'enum':
      return 'String';
    case 'id':
      return 'UUID';
    case 'decimal':
      return `Decimal(${DECIMAL_PRECISION}, ${DECIMAL_SCALE})`;
    case 'date':
      return 'Date32';
    case 'timestamp':
      return "DateTime64(3, 'UTC')";
    case 'boolean':
      return 'Bool';
    case 'integer':
      return 'Int32';
    case 'long':
      return 'Int64';
    case 'string_map':
      return 'Map(String, String)';
    case 'list':
      return `Array(${type.of === 'id' ? 'UUID' : 'String'})`;
    case 'record':
      return tupleType(type.record.fields);
    case 'records':
      return `Array(${tupleType(type.record.fields)})`;
  }
}

function tupleType(fields: FieldDef[]): string {
  return `Tuple(${fields.map((field) => `${quoteIdentifier(field.name)} ${columnType(field)}`).join(', ')})`;
}

/** The ClickHouse type of one field (also inside tuples). */
export function columnType(field: FieldDef): string {
  const base = baseType(field.type);
  const nullable = field.nullable && field.type.kind !== 'record';
  const inner = nullable ? `Nullable(${base})` : base;
  return field.type.kind === 'code' || field.type.kind === 'enum' ? `LowCardinality(${inner})` : inner;
}

/** Columns of an entity's table, in field order, with each field's meaning as the comment. */
export function clickhouseColumns(entity: EntityName): ClickHouseColumn[] {
  return entityModels[entity].fields.map((field) => ({ name: field.name, type: columnType(field), comment: field.doc }));
}
