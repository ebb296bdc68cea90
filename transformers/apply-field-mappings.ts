import { getPath } from '../connectors/sdk/contract.js';
import { parseTimestamp } from '../connectors/sdk/timestamps.js';
import { customFieldValue, entityModels, toDecimal, type EntityName, type FieldType } from '../schemas/index.js';
import type { EntityMapping } from './field-mapping-config.js';

/**
 * Applies a connection's mapping of one entity to what the connector's mapper returned (see
 * field-mapping-config.ts). Pure; the result is validated like any mapped record, so a raw value
 * that does not fit its field dead-letters the record naming the field and the raw path.
 */
export interface AppliedMapping {
  record: Record<string, unknown>;
  /** unified field → raw path, for the fields this mapping set (to explain a validation failure). */
  mappedFrom: Map<string, string>;
}

export function applyFieldMappings(entity: EntityName, mapped: Record<string, unknown>, raw: unknown, mapping: EntityMapping | undefined): AppliedMapping {
  const mappedFrom = new Map<string, string>();
  if (!mapping) return { record: mapped, mappedFrom };
  const record = { ...mapped };
  const types = fieldTypes(entity);
  for (const [field, path] of Object.entries(mapping.fields ?? {})) {
    record[field] = coerce(types.get(field), getPath(raw, path));
    mappedFrom.set(field, path);
  }
  if (mapping.custom_fields) record.custom_fields = selectCustomFields(mapped.custom_fields, raw, mapping.custom_fields);
  return { record, mappedFrom };
}

function selectCustomFields(found: unknown, raw: unknown, rules: NonNullable<EntityMapping['custom_fields']>): Record<string, unknown> {
  const include = rules.include?.map(globPattern);
  const exclude = rules.exclude?.map(globPattern) ?? [];
  const selected: Record<string, unknown> = {};
  const entries = found && typeof found === 'object' ? Object.entries(found as Record<string, unknown>) : [];
  for (const [name, value] of entries) {
    if (include && !include.some((pattern) => pattern.test(name))) continue;
    if (exclude.some((pattern) => pattern.test(name))) continue;
    selected[name] = value;
  }
  for (const [name, path] of Object.entries(rules.from_raw ?? {})) {
    const value = getPath(raw, path);
    if (value !== undefined) selected[name] = customFieldValue(value);
  }
  return selected;
}

/** `YY1_*` → /^YY1_.*$/; only `*` is special. */
export function globPattern(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

const typeCache = new Map<EntityName, Map<string, FieldType>>();
function fieldTypes(entity: EntityName): Map<string, FieldType> {
  let types = typeCache.get(entity);
  if (!types) {
    types = new Map(entityModels[entity].fields.map((field) => [field.name, field.type]));
    typeCache.set(entity, types);
  }
  return types;
}

/**
 * The raw value in the field's representation where the conversion is unambiguous; otherwise
 * the value as it is, and validation says what is wrong with it.
 */
export function coerce(type: FieldType | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (type?.kind) {
    case 'text':
    case 'code':
    case 'enum':
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    case 'decimal':
      return typeof value === 'number' || typeof value === 'string' ? tryDecimal(value) : value;
    case 'integer':
      return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    case 'boolean':
      if (value === 'true' || value === 1) return true;
      if (value === 'false' || value === 0) return false;
      return value;
    case 'timestamp':
      return toTimestamp(value);
    case 'date':
      return toDate(value);
    default:
      return value;
  }
}

function tryDecimal(value: number | string): unknown {
  try {
    return toDecimal(value);
  } catch {
    return value;
  }
}

function instantMillis(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  if (value === '') return null;
  const instant = parseTimestamp(value);
  return instant ? instant.seconds * 1000 + Math.floor(instant.nanos / 1e6) : null;
}

function toTimestamp(value: unknown): unknown {
  if (value === '') return null;
  const millis = instantMillis(value);
  return millis === null ? value : new Date(millis).toISOString();
}

function toDate(value: unknown): unknown {
  if (value === '') return null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const millis = instantMillis(value);
  return millis === null ? value : new Date(millis).toISOString().slice(0, 10);
}
