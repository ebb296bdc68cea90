import type { EntityName } from '../../schemas/entities.js';
import { entityModels, type FieldDef, type RecordDef } from '../../schemas/index.js';

/**
 * ClickHouse rows (JSONEachRow, read with READ_FORMAT_SETTINGS) → the API's records, driven by
 * the model's field types. The same conversions as schemas/clickhouse/rows.ts fromClickHouseRow,
 * without its zod validation: the rows were validated before they were written, and validating
 * 100 purchase orders with their lines again cost 40–80 ms per page, most of a list request.
 *
 * ClickHouse prints decimals and timestamps in the model's canonical spelling already
 * (`12.5`, `2024-03-04T10:00:00.000Z`), so values pass through; the conversions left are
 * 64-bit integers and decimals given as numbers, and addresses stored as tuples of nulls.
 */

/** Put into each query's SETTINGS clause (never session settings: the embedded engine shares one session). */
export const READ_FORMAT_SETTINGS =
  "date_time_output_format = 'iso', output_format_json_quote_64bit_integers = 1, output_format_json_quote_decimals = 1, output_format_json_named_tuples_as_objects = 1";

type Row = Record<string, unknown>;

function readValue(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  const { type } = field;
  if (type.kind === 'record') return readNullableRecord(type.record, value as Row);
  if (type.kind === 'records') return (value as Row[]).map((item) => readRecord(type.record.fields, item));
  if (type.kind === 'decimal' || type.kind === 'long') return String(value);
  if (type.kind === 'timestamp' && typeof value === 'string' && !value.endsWith('Z')) return `${value.replace(' ', 'T')}Z`;
  return value;
}

function readRecord(fields: FieldDef[], row: Row): Row {
  const out: Row = {};
  for (const field of fields) out[field.name] = readValue(field, row[field.name]);
  return out;
}

/** ClickHouse has no Nullable(Tuple): an address of nothing is stored as nulls and reads back as null. */
function readNullableRecord(record: RecordDef, row: Row): Row | null {
  const value = readRecord(record.fields, row);
  const empty = Object.values(value).every((item) => item === null || item === false || (Array.isArray(item) && item.length === 0));
  return empty ? null : value;
}

/** A row of an entity's table → the unified record (only the columns the row holds). */
export function readRow(entity: EntityName, row: Row): Row {
  const out: Row = {};
  for (const field of entityModels[entity].fields) {
    if (field.name in row) out[field.name] = readValue(field, row[field.name]);
  }
  return out;
}
