import { RECORD_IMAGE_COLUMN } from '../../../schemas/clickhouse/record-image.js';
import { ENTITY_NAMES, clickhouseTableName, entityModels, type EntityName } from '../../../schemas/index.js';
import type { FieldDef } from '../../../schemas/model/field.js';

/**
 * An entity table's row as JSONCompactEachRow: the values in column order, without their names,
 * nested records (order lines, addresses) as positional tuples. ClickHouse reads such a row in
 * about half the CPU time of the same row as a JSONEachRow object, whose ~120 keys per purchase
 * order (36 of the order, 26 per line) it matches by name (docs/sql.md#throughput-and-latency-measured).
 * The columns are the model's fields in model order, then the API image (`record_json`); the
 * INSERT names them, so a column added to the table later never shifts the values.
 */
type Positional = (value: unknown) => unknown;

export interface CompactLayout {
  /** The INSERT's column list. */
  columns: readonly string[];
  /** The row's JSON array text, the image appended as the last value. */
  row(record: Record<string, unknown>, imageJson: string): string;
  /** A row's values (as `row` wrote them) by column name, nested tuples by field name too. */
  named(values: readonly unknown[]): Record<string, unknown>;
}

function positional(field: FieldDef): Positional {
  const { type } = field;
  if (type.kind === 'record') {
    const tuple = tupleOf(type.record.fields);
    // A null address stays null: ClickHouse stores it as the tuple of nulls (null_as_default).
    return (value) => (value === null || value === undefined ? null : tuple(value as Record<string, unknown>));
  }
  if (type.kind === 'records') {
    const tuple = tupleOf(type.record.fields);
    return (value) => (Array.isArray(value) ? value.map((item) => tuple(item as Record<string, unknown>)) : value);
  }
  return (value) => (value === undefined ? null : value);
}

function tupleOf(fields: readonly FieldDef[]): (record: Record<string, unknown>) => unknown[] {
  const names = fields.map((field) => field.name);
  const values = fields.map(positional);
  return (record) => {
    const out = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i++) out[i] = values[i]!(record[names[i]!]);
    return out;
  };
}

/** The inverse of `positional`: a tuple back to an object with its field names. */
function byName(field: FieldDef): (value: unknown) => unknown {
  const { type } = field;
  if (type.kind === 'record') {
    const object = objectOf(type.record.fields);
    return (value) => (Array.isArray(value) ? object(value) : value);
  }
  if (type.kind === 'records') {
    const object = objectOf(type.record.fields);
    return (value) => (Array.isArray(value) ? value.map((item) => (Array.isArray(item) ? object(item) : item)) : value);
  }
  return (value) => value;
}

function objectOf(fields: readonly FieldDef[]): (values: readonly unknown[]) => Record<string, unknown> {
  const names = fields.map((field) => field.name);
  const values = fields.map(byName);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) out[names[i]!] = values[i]!(row[i] ?? null);
    return out;
  };
}

function layoutOf(entity: EntityName): CompactLayout {
  const fields = entityModels[entity].fields;
  const tuple = tupleOf(fields);
  const object = objectOf(fields);
  return {
    columns: [...fields.map((field) => field.name), RECORD_IMAGE_COLUMN],
    row: (record, imageJson) => {
      const values = JSON.stringify(tuple(record));
      return `${values.slice(0, -1)},${JSON.stringify(imageJson)}]`;
    },
    named: (values) => ({ ...object(values), [RECORD_IMAGE_COLUMN]: values[fields.length] ?? null }),
  };
}

const layouts = new Map<EntityName, CompactLayout>(ENTITY_NAMES.map((entity) => [entity, layoutOf(entity)]));
const layoutsByTable = new Map<string, CompactLayout>(ENTITY_NAMES.map((entity) => [clickhouseTableName(entity), layouts.get(entity)!]));

export function compactLayout(entity: EntityName): CompactLayout {
  return layouts.get(entity)!;
}

/** The layout of an entity table's rows; undefined for the other tables (JSONEachRow objects). */
export function compactLayoutOfTable(table: string): CompactLayout | undefined {
  return layoutsByTable.get(table);
}

/**
 * A row as a JSON object with its column names, for a dead letter of a row ClickHouse refused:
 * an entity row's positional array gets its names back, its nested tuples (order lines,
 * addresses) theirs; any other table's row is already an object and is returned as it is, as is
 * a line that is not JSON.
 */
export function namedRowText(table: string, line: string): string {
  const layout = compactLayoutOfTable(table);
  if (!layout) return line;
  let values: unknown;
  try {
    values = JSON.parse(line);
  } catch {
    return line;
  }
  if (!Array.isArray(values)) return line;
  return JSON.stringify(layout.named(values));
}
