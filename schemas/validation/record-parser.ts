/**
 * The unified record validator of the hot path (every record a transformer writes), compiled from
 * the same model as the zod schema (record-schemas.ts) and equivalent to it: the same checks, in
 * the same order, through the same functions and patterns (canonicalDecimal, the range checks,
 * zod's own datetime, date and uuid patterns), the same defaults, and output objects with the
 * model's key order. zod spends about 90 µs on a purchase order with five lines, mostly in its
 * generic machinery (checks pipelines, defaults, issue plumbing); these closures spend a few.
 *
 * A record it cannot accept as it is goes to zod, which then decides and names every problem:
 * a failure here is never reported by this file, so error messages are zod's, always.
 * record-parser.unit.test.ts compares both on the examples and on many broken variants.
 */
import type { z } from 'zod';
import type { EntityName } from '../entities.js';
import { entityModels } from '../model/index.js';
import type { FieldDef, FieldType } from '../model/field.js';
import { canonicalDecimal, DECIMAL_PATTERN, decimalRangeProblem } from '../values/decimal.js';
import { canonicalTimestamp, dateRangeProblem, timestampRangeProblem } from '../values/time.js';
import { FORMAT_PATTERNS, fitsInt64, isEmptyRecord } from './zod-fields.js';

/** Returned by a field parser for a value it does not accept. */
const REFUSED: unique symbol = Symbol('refused');
type Parse = (value: unknown) => unknown;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function scalarParser(type: Exclude<FieldType, { kind: 'record' | 'records' }>): Parse {
  switch (type.kind) {
    case 'text':
      return (value) => (isString(value) ? value : REFUSED);
    case 'code': {
      const regex = type.pattern?.regex;
      if (!regex) return (value) => (isString(value) ? value : REFUSED);
      return (value) => (isString(value) && regex.test(value) ? value : REFUSED);
    }
    case 'id':
      return (value) => (isString(value) && FORMAT_PATTERNS.uuid.test(value) ? value : REFUSED);
    case 'enum': {
      const allowed = new Set(type.enum.values.map((value) => value.value));
      return (value) => (isString(value) && allowed.has(value) ? value : REFUSED);
    }
    case 'decimal':
      return (value) => {
        if (!isString(value) || !DECIMAL_PATTERN.test(value)) return REFUSED;
        const canonical = canonicalDecimal(value);
        return decimalRangeProblem(canonical) === null ? canonical : REFUSED;
      };
    case 'date':
      return (value) => (isString(value) && FORMAT_PATTERNS.date.test(value) && dateRangeProblem(value) === null ? value : REFUSED);
    case 'timestamp':
      return (value) => {
        if (!isString(value) || !FORMAT_PATTERNS.timestamp.test(value)) return REFUSED;
        const canonical = canonicalTimestamp(value);
        return timestampRangeProblem(canonical) === null ? canonical : REFUSED;
      };
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? value : REFUSED);
    case 'integer':
      return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? value : REFUSED);
    case 'long':
      return (value) => (isString(value) && FORMAT_PATTERNS.long.test(value) && fitsInt64(value) ? value : REFUSED);
    case 'string_map':
      return parseStringMap;
    case 'json':
      return (value) => (isString(value) && isJsonText(value) ? value : REFUSED);
    case 'list': {
      const item = type.of === 'id' ? scalarParser({ kind: 'id' }) : scalarParser({ kind: 'text' });
      return (value) => parseArray(value, item);
    }
  }
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Custom fields: names to strings. `__proto__` as a name is left to zod. */
function parseStringMap(value: unknown): unknown {
  if (!isPlainObject(value)) return REFUSED;
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (!isString(item) || key === '__proto__') return REFUSED;
    out[key] = item;
  }
  return out;
}

function parseArray(value: unknown, item: Parse): unknown {
  if (!Array.isArray(value)) return REFUSED;
  const out = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) {
    const parsed = item(value[i]);
    if (parsed === REFUSED) return REFUSED;
    out[i] = parsed;
  }
  return out;
}

/** A strict object: every model field in model order, no other key. */
function objectParser(fields: readonly FieldDef[]): (value: unknown) => unknown {
  const names = fields.map((field) => field.name);
  const known = new Set(names);
  const parsers = fields.map(fieldParser);
  const count = fields.length;
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return REFUSED;
    const input = value as Record<string, unknown>;
    for (const key of Object.keys(input)) if (!known.has(key)) return REFUSED;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const parsed = parsers[i]!(input[names[i]!]);
      if (parsed === REFUSED) return REFUSED;
      out[names[i]!] = parsed;
    }
    return out;
  };
}

/** A field with record mode's defaults: null, [], {} or false when the value is absent. */
function fieldParser(field: FieldDef): Parse {
  const { type } = field;
  if (type.kind === 'record') {
    const object = objectParser(type.record.fields);
    return (value) => {
      if (value === undefined || value === null) return null;
      const parsed = object(value);
      if (parsed === REFUSED) return REFUSED;
      return isEmptyRecord(parsed as Record<string, unknown>) ? null : parsed;
    };
  }
  if (type.kind === 'records') {
    const object = objectParser(type.record.fields);
    return (value) => (value === undefined ? [] : parseArray(value, object));
  }
  const base = scalarParser(type);
  if (field.nullable) return (value) => (value === undefined || value === null ? null : base(value));
  if (type.kind === 'boolean') return (value) => (value === undefined ? false : base(value));
  if (type.kind === 'list') return (value) => (value === undefined ? [] : base(value));
  if (type.kind === 'string_map') return (value) => (value === undefined ? {} : base(value));
  return base;
}

type SafeParse = (value: unknown) => z.ZodSafeParseResult<unknown>;
const parsers = new Map<EntityName, (value: unknown) => unknown>();

function compiled(entity: EntityName): (value: unknown) => unknown {
  let parse = parsers.get(entity);
  if (!parse) {
    parse = objectParser(entityModels[entity].fields);
    parsers.set(entity, parse);
  }
  return parse;
}

/** The compiled parser alone: the parsed record, or null when zod has to decide. */
export function parseCompiled(entity: EntityName, value: unknown): { data: unknown } | null {
  const parsed = compiled(entity)(value);
  return parsed === REFUSED ? null : { data: parsed };
}

/**
 * `schema.safeParse(value)` for the unified record schema of `entity`, through the compiled
 * parser first; zod decides whatever the compiled parser does not accept.
 */
export function safeParseCompiled(entity: EntityName, value: unknown, zodSafeParse: SafeParse): z.ZodSafeParseResult<unknown> {
  const parsed = compiled(entity)(value);
  if (parsed !== REFUSED) return { success: true, data: parsed };
  return zodSafeParse(value);
}
