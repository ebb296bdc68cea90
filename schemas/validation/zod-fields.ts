/**
 * zod for one field of the model. Validators also canonicalize (decimals, timestamps, empty
 * addresses) with `overwrite`, which keeps the JSON Schema a plain string/object schema: what a
 * record looks like after parsing is exactly what the Avro codec and ClickHouse give back.
 */
import { z } from 'zod';
import type { FieldDef, FieldType, RecordDef } from '../model/field.js';
import { canonicalDecimal, DECIMAL_PATTERN, decimalRangeProblem } from '../values/decimal.js';
import { canonicalTimestamp, dateRangeProblem, timestampRangeProblem } from '../values/time.js';

/** `record`: unified and mapped records (omitted optional fields default to null / [] / {} / false).
 *  `create` / `update`: API write inputs (only writable fields, nothing defaulted). */
export type SchemaMode = 'record' | 'create' | 'update';

const INT64_MAX = 9_223_372_036_854_775_807n;

const decimal = z
  .string()
  .regex(DECIMAL_PATTERN, 'must be a decimal number written as a string, e.g. "12.50" (no exponent, no thousands separator)')
  .overwrite(canonicalDecimal)
  .superRefine((value, ctx) => {
    const problem = decimalRangeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${value} ${problem}` });
  });

const isoTimestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone, e.g. 2024-05-01T10:00:00Z' });
const timestamp = isoTimestamp
  .overwrite(canonicalTimestamp)
  .superRefine((value, ctx) => {
    const problem = timestampRangeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${value} ${problem}` });
  });

const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });
const date = isoDate.superRefine((value, ctx) => {
  const problem = dateRangeProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `${value} ${problem}` });
});

const LONG_PATTERN = /^\d{1,19}$/;
const long = z
  .string()
  .regex(LONG_PATTERN, 'must be a non-negative 64-bit integer written as a string of digits')
  // zod runs every check even after the pattern failed: BigInt('x') would throw, not report.
  .refine((value) => !LONG_PATTERN.test(value) || fitsInt64(value), 'is larger than a 64-bit integer');

const id = () => z.uuid('must be a Millrace id (a UUID, see recordId)');

/**
 * The patterns zod's own string formats check, taken from the schemas above, so the compiled
 * parser (record-parser.ts) accepts exactly what they accept.
 */
export const FORMAT_PATTERNS = {
  timestamp: isoTimestamp.def.pattern!,
  date: isoDate.def.pattern!,
  uuid: id().def.pattern!,
  long: LONG_PATTERN,
} as const;

/** A string of digits that is a non-negative Int64 (long's refinement). */
export function fitsInt64(digits: string): boolean {
  return digits.length < 19 || BigInt(digits) <= INT64_MAX;
}

/** An address with nothing in it is no address: null (ClickHouse keeps no null tuples). */
export function isEmptyRecord(value: Record<string, unknown>): boolean {
  for (const key in value) {
    const item = value[key];
    if (!(item === null || item === false || (Array.isArray(item) && item.length === 0))) return false;
  }
  return true;
}

const jsonText = z.string().refine((value) => {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}, 'must be JSON text');

function scalar(type: Exclude<FieldType, { kind: 'record' | 'records' }>): z.ZodType {
  switch (type.kind) {
    case 'text':
      return z.string();
    case 'code':
      return type.pattern ? z.string().regex(type.pattern.regex, `must be ${type.pattern.hint}`) : z.string();
    case 'id':
      return id();
    case 'enum':
      return z.enum(type.enum.values.map((value) => value.value) as [string, ...string[]], {
        error: `must be one of ${type.enum.values.map((value) => value.value).join(', ')}`,
      });
    case 'decimal':
      return decimal;
    case 'date':
      return date;
    case 'timestamp':
      return timestamp;
    case 'boolean':
      return z.boolean();
    case 'integer':
      return z.int32();
    case 'long':
      return long;
    case 'string_map':
      return z.record(z.string(), z.string('custom field values are strings (see customFieldValue)'));
    case 'json':
      return jsonText;
    case 'list':
      return z.array(type.of === 'id' ? id() : z.string());
  }
}

/** Whether a field takes part in a schema of this mode. */
export function fieldInMode(field: FieldDef, mode: SchemaMode, nested: boolean): boolean {
  if (mode === 'record') return true;
  if (mode === 'create' || nested) return field.write !== undefined;
  return field.write === 'create_update';
}

export function recordObject(record: RecordDef, mode: SchemaMode, nested: boolean): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const field of record.fields) {
    if (fieldInMode(field, mode, nested)) shape[field.name] = fieldSchema(field, mode, nested);
  }
  return z.strictObject(shape);
}

/**
 * In `record` mode, a nullable field defaults to null, a list or map to empty and a flag to false;
 * non-nullable fields without such a default (id, remote_id, version …) are required.
 * In write modes every field is optional except those required on create.
 */
export function fieldSchema(field: FieldDef, mode: SchemaMode, nested = false): z.ZodType {
  const { type } = field;
  let base: z.ZodType;
  if (type.kind === 'record') {
    const object = recordObject(type.record, mode, true);
    base = mode === 'record' ? object.nullable().overwrite((value) => (value && isEmptyRecord(value) ? null : value)) : object;
  } else if (type.kind === 'records') {
    base = z.array(recordObject(type.record, mode, true));
  } else {
    base = scalar(type);
  }
  const described = (schema: z.ZodType) => schema.describe(field.doc);
  if (mode === 'record') {
    if (type.kind === 'record') return described(base.default(null));
    if (field.nullable) return described(base.nullable().default(null));
    if (type.kind === 'boolean') return described(base.default(false));
    if (type.kind === 'list' || type.kind === 'records') return described(base.default([]));
    if (type.kind === 'string_map') return described(base.default({}));
    return described(base);
  }
  if (mode === 'create' && field.requiredOnCreate) return described(base);
  return described(field.nullable ? base.nullable().optional() : base.optional());
}
