/**
 * The vocabulary every entity of the unified model is written in. A field says what it holds
 * (its kind), what it means (doc), whether it may be null, and whether API writes may set it.
 * Every artefact (zod, TypeScript, Avro, ClickHouse, docs) is derived from these descriptions,
 * so each kind below maps to exactly one representation per target (see docs/model.md).
 */
import type { EnumDef } from './enums.js';

/** Entities a reference may point to: the first wave plus the ones whose ids mappers can already
 *  compute although they are not synced yet (locations, users, maintenance plans). */
export type ReferenceTarget =
  | 'purchase_order'
  | 'work_order'
  | 'inventory_item'
  | 'vendor'
  | 'asset'
  | 'location'
  | 'user'
  | 'maintenance_plan';

export type FieldType =
  /** Free text: names, descriptions, notes. */
  | { kind: 'text' }
  /** A short code from a small set (unit of measure, native status, currency): stored low-cardinality. */
  | { kind: 'code'; pattern?: { regex: RegExp; hint: string } }
  /** A Millrace id (UUID v5, see schemas/ids.ts); `references` names the entity it identifies. */
  | { kind: 'id'; references?: ReferenceTarget }
  /** One of the canonical values of an enum (carried as a string on the wire, see docs). */
  | { kind: 'enum'; enum: EnumDef }
  /** An exact decimal as a string ("12.5"); at most 29 integer and 9 fraction digits. */
  | { kind: 'decimal'; unit: 'money' | 'quantity' | 'rate' | 'hours' | 'number' }
  /** A calendar date, `YYYY-MM-DD`. */
  | { kind: 'date' }
  /** An instant, ISO 8601 in UTC with milliseconds (`2024-05-01T10:00:00.000Z`). */
  | { kind: 'timestamp' }
  | { kind: 'boolean' }
  /** A 32-bit integer (line numbers, sequences). */
  | { kind: 'integer' }
  /** A 64-bit integer, carried in JavaScript as a string of digits (record versions). */
  | { kind: 'long' }
  /** Name → value, both strings (custom fields). */
  | { kind: 'string_map' }
  /** JSON text (the raw source record). */
  | { kind: 'json' }
  /** A list of texts or ids. */
  | { kind: 'list'; of: 'text' | 'id' }
  /** One nested record (an address). */
  | { kind: 'record'; record: RecordDef }
  /** Child records inside the parent (order lines, tasks, stock levels). */
  | { kind: 'records'; record: RecordDef };

export type FieldKind = FieldType['kind'];

/**
 * Whether the API may set a field when it creates or updates a record through a connector.
 * `create`: only on create; `create_update`: on create and update. Absent: read only.
 */
export type WriteAccess = 'create' | 'create_update';

/** Who fills an envelope field: the connector's mapper, or the transformer around it. */
export type EnvelopeOwner = 'mapper' | 'transformer';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** What the field means, for a person who has never seen the code. */
  doc: string;
  /** May hold null (unknown, or not given by the source). Lists, maps and flags never do. */
  nullable: boolean;
  write?: WriteAccess;
  /** Must be given when the API creates a record. */
  requiredOnCreate?: boolean;
  envelope?: EnvelopeOwner;
}

export interface RecordDef {
  /** Avro record name (PascalCase), unique within the model. */
  name: string;
  doc: string;
  fields: FieldDef[];
}

export interface FieldOptions {
  write?: WriteAccess;
  requiredOnCreate?: boolean;
}

type Spec = Omit<FieldDef, 'name'>;

function spec(type: FieldType, doc: string, nullable: boolean, options: FieldOptions = {}): Spec {
  return { type, doc, nullable, ...options };
}

/** Builders for field specs; `fields({...})` turns an object of them into an ordered list. */
export const f = {
  text: (doc: string, options?: FieldOptions) => spec({ kind: 'text' }, doc, true, options),
  code: (doc: string, options?: FieldOptions) => spec({ kind: 'code' }, doc, true, options),
  currency: (doc: string, options?: FieldOptions) =>
    spec({ kind: 'code', pattern: { regex: /^[A-Z]{3}$/, hint: 'an ISO 4217 currency code in capitals, e.g. EUR' } }, doc, true, options),
  country: (doc: string, options?: FieldOptions) =>
    spec({ kind: 'code', pattern: { regex: /^[A-Z]{2}$/, hint: 'an ISO 3166-1 alpha-2 country code in capitals, e.g. DE' } }, doc, true, options),
  id: (doc: string, references?: ReferenceTarget, options?: FieldOptions) =>
    spec(references ? { kind: 'id', references } : { kind: 'id' }, doc, true, options),
  enum: (values: EnumDef, doc: string, options?: FieldOptions) => spec({ kind: 'enum', enum: values }, doc, true, options),
  money: (doc: string, options?: FieldOptions) => spec({ kind: 'decimal', unit: 'money' }, doc, true, options),
  quantity: (doc: string, options?: FieldOptions) => spec({ kind: 'decimal', unit: 'quantity' }, doc, true, options),
  rate: (doc: string, options?: FieldOptions) => spec({ kind: 'decimal', unit: 'rate' }, doc, true, options),
  hours: (doc: string, options?: FieldOptions) => spec({ kind: 'decimal', unit: 'hours' }, doc, true, options),
  number: (doc: string, options?: FieldOptions) => spec({ kind: 'decimal', unit: 'number' }, doc, true, options),
  date: (doc: string, options?: FieldOptions) => spec({ kind: 'date' }, doc, true, options),
  timestamp: (doc: string, options?: FieldOptions) => spec({ kind: 'timestamp' }, doc, true, options),
  /** Flags are never null: false unless the source says true. */
  flag: (doc: string, options?: FieldOptions) => spec({ kind: 'boolean' }, doc, false, options),
  integer: (doc: string, options?: FieldOptions) => spec({ kind: 'integer' }, doc, true, options),
  long: (doc: string, options?: FieldOptions) => spec({ kind: 'long' }, doc, true, options),
  json: (doc: string, options?: FieldOptions) => spec({ kind: 'json' }, doc, true, options),
  texts: (doc: string, options?: FieldOptions) => spec({ kind: 'list', of: 'text' }, doc, false, options),
  ids: (doc: string, options?: FieldOptions) => spec({ kind: 'list', of: 'id' }, doc, false, options),
  stringMap: (doc: string, options?: FieldOptions) => spec({ kind: 'string_map' }, doc, false, options),
  record: (record: RecordDef, doc: string, options?: FieldOptions) => spec({ kind: 'record', record }, doc, true, options),
  records: (record: RecordDef, doc: string, options?: FieldOptions) => spec({ kind: 'records', record }, doc, false, options),
};

/** `{ name: spec }` → ordered field list (object key order is the field order everywhere). */
export function fields(specs: Record<string, Spec>): FieldDef[] {
  return Object.entries(specs).map(([name, value]) => ({ name, ...value }));
}

/**
 * A reference to another record: the Millrace id (computed by the mapper with `recordId`) and the
 * source's own key beside it, so a reference stays readable and joinable even before the target
 * has been synced.
 */
export function reference(
  prefix: string,
  target: ReferenceTarget,
  what: string,
  options?: FieldOptions,
): Record<string, Spec> {
  return {
    [`${prefix}_id`]: f.id(`${what}: its Millrace id (from connection, ${target} and its remote id).`, target, options),
    [`${prefix}_remote_id`]: f.text(`${what}: its key in the source system.`, options),
  };
}

export function record(name: string, doc: string, specs: Record<string, Spec>): RecordDef {
  return { name, doc, fields: fields(specs) };
}
