/**
 * Unified records ↔ ClickHouse rows in JSONEachRow. Writing: timestamps become
 * `YYYY-MM-DD hh:mm:ss.sss` (UTC columns), a null address a tuple of nulls. Reading: query with
 * CLICKHOUSE_READ_SETTINGS (64-bit integers and decimals as strings, so nothing is rounded
 * through a float), and fromClickHouseRow gives back the model's record exactly.
 */
import type { EntityName } from '../entities.js';
import type { UnifiedRecordMap } from '../generated/types.js';
import { entityModels, type FieldDef, type RecordDef } from '../model/index.js';
import { unifiedRecordSchema } from '../validation/record-schemas.js';

export const CLICKHOUSE_READ_SETTINGS = {
  date_time_output_format: 'iso',
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_decimals: 1,
  output_format_json_named_tuples_as_objects: 1,
} as const;

type Row = Record<string, unknown>;

function emptyTuple(record: RecordDef): Row {
  return Object.fromEntries(record.fields.map((field) => [field.name, writeValue(field, defaultValue(field))]));
}

function defaultValue(field: FieldDef): unknown {
  if (field.nullable) return null;
  if (field.type.kind === 'boolean') return false;
  if (field.type.kind === 'string_map') return {};
  if (field.type.kind === 'list' || field.type.kind === 'records') return [];
  return null;
}

function writeValue(field: FieldDef, value: unknown): unknown {
  const { type } = field;
  if (type.kind === 'record') return value == null ? emptyTuple(type.record) : writeRecord(type.record.fields, value as Row);
  if (type.kind === 'records') return ((value as Row[] | undefined) ?? []).map((item) => writeRecord(type.record.fields, item));
  if (value == null) return value ?? null;
  if (type.kind === 'timestamp') return (value as string).replace('T', ' ').replace(/Z$/, '');
  return value;
}

function writeRecord(fields: FieldDef[], record: Row): Row {
  return Object.fromEntries(fields.map((field) => [field.name, writeValue(field, record[field.name])]));
}

/** A unified record as a JSONEachRow row of its entity's table. */
export function toClickHouseRow<E extends EntityName>(entity: E, record: UnifiedRecordMap[E]): Row {
  return writeRecord(entityModels[entity].fields, record as unknown as Row);
}

function readValue(field: FieldDef, value: unknown): unknown {
  const { type } = field;
  if (value === null || value === undefined) return value;
  if (type.kind === 'record') return readRecord(type.record.fields, value as Row);
  if (type.kind === 'records') return (value as Row[]).map((item) => readRecord(type.record.fields, item));
  if (type.kind === 'decimal' || type.kind === 'long') return String(value);
  if (type.kind === 'timestamp' && typeof value === 'string' && !value.endsWith('Z')) return `${value.replace(' ', 'T')}Z`;
  return value;
}

function readRecord(fields: FieldDef[], row: Row): Row {
  return Object.fromEntries(fields.map((field) => [field.name, readValue(field, row[field.name])]));
}

/** A row read from an entity's table (JSONEachRow) → the unified record, canonical. */
export function fromClickHouseRow<E extends EntityName>(entity: E, row: Row): UnifiedRecordMap[E] {
  return unifiedRecordSchema(entity).parse(readRecord(entityModels[entity].fields, row));
}
