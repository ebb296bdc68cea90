/**
 * A ClickHouse SQL expression that spells a row of an entity's table as its API image, the same
 * JSON value as record-image.ts gives for the record (remote_data left out): model field order,
 * decimals and 64-bit integers as strings, timestamps `2024-03-04T10:00:00.000Z`, dates
 * `2024-03-04`, an address of nothing as null (rows.ts). Built from the model's field types, one
 * explicit conversion per kind, so the text depends on no format setting of the session. It
 * fills `record_json` of rows written before the column existed (migration 0006) and of rows
 * generated inside ClickHouse (bench/api-list.ts); the sink writes the image itself.
 */
import type { EntityName } from '../entities.js';
import { entityModels, type FieldDef, type RecordDef } from '../model/index.js';
import { quoteIdentifier } from './columns.js';
import { IMAGE_EXCLUDED_FIELDS } from './record-image.js';

function sqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `"x"` around a value whose text never needs escaping (UUID, decimal, date, digits). */
function quoted(expression: string): string {
  return `concat('"', ${expression}, '"')`;
}

/** The JSON of one non-null value of a field's type; NULL in, NULL out (every function used propagates it). */
function valueJson(field: FieldDef, value: string, depth: number): string {
  const { type } = field;
  switch (type.kind) {
    case 'text':
    case 'code':
    case 'enum':
    case 'json':
      return `toJSONString(${value})`;
    case 'id':
    case 'decimal':
    case 'date':
    case 'long':
      return quoted(`toString(${value})`);
    case 'timestamp':
      // toString of DateTime64(3, 'UTC') is `2024-03-04 10:00:00.000` whatever the output settings.
      return `concat('"', replaceOne(toString(${value}), ' ', 'T'), 'Z"')`;
    case 'boolean':
      return `if(${value}, 'true', 'false')`;
    case 'integer':
      return `toString(${value})`;
    case 'string_map':
      return `toJSONString(${value})`;
    case 'list':
      return type.of === 'id' ? `concat('[', arrayStringConcat(arrayMap(v${depth} -> ${quoted(`toString(v${depth})`)}, ${value}), ','), ']')` : `toJSONString(${value})`;
    case 'record':
      return `if(${emptyRecord(type.record, value)}, 'null', ${objectJson(type.record.fields, (name) => `tupleElement(${value}, ${sqlString(name)})`, depth + 1)})`;
    case 'records': {
      const item = `r${depth}`;
      return `concat('[', arrayStringConcat(arrayMap(${item} -> ${objectJson(type.record.fields, (name) => `tupleElement(${item}, ${sqlString(name)})`, depth + 1)}, ${value}), ','), ']')`;
    }
  }
}

function fieldJson(field: FieldDef, value: string, depth: number): string {
  const json = valueJson(field, value, depth);
  return field.nullable && field.type.kind !== 'record' ? `ifNull(${json}, 'null')` : json;
}

/** The API's rule (row-reader.ts): a record whose fields are all null, false or empty lists is null. */
function emptyRecord(record: RecordDef, value: string): string {
  const checks = record.fields.map((field) => {
    const element = `tupleElement(${value}, ${sqlString(field.name)})`;
    if (field.type.kind === 'record') return emptyRecord(field.type.record, element);
    if (field.type.kind === 'boolean') return `NOT ${element}`;
    if (field.type.kind === 'list' || field.type.kind === 'records') return `empty(${element})`;
    return field.nullable ? `isNull(${element})` : 'false';
  });
  return `(${checks.join(' AND ')})`;
}

function objectJson(fields: FieldDef[], valueOf: (name: string) => string, depth: number): string {
  const parts = fields.map((field, index) => `${sqlString(`${index === 0 ? '{' : ','}${JSON.stringify(field.name)}:`)}, ${fieldJson(field, valueOf(field.name), depth)}`);
  return `concat(${parts.join(', ')}, '}')`;
}

/** Fields of the served image: every field but remote_data (asked for separately, rarely, and large). */
export function imageFields(entity: EntityName): FieldDef[] {
  return entityModels[entity].fields.filter((field) => !IMAGE_EXCLUDED_FIELDS.has(field.name));
}

/** SQL expression over the entity table's columns: the record's JSON text without remote_data. */
export function recordJsonExpression(entity: EntityName): string {
  return objectJson(imageFields(entity), (name) => quoteIdentifier(name), 0);
}
