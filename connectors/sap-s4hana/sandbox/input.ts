import { parseDuration, parseIsoMicros, type EdmType, type EdmValue } from './edm.js';
import type { EntityTypeDef, SandboxRecord } from './model.js';
import type { SapErrorDetail } from './sap-errors.js';

/**
 * Request bodies of creates and updates → internal values, with the checks SAP Gateway makes
 * before the application sees the data: unknown properties, read-only properties, and values of
 * the wrong JSON shape (an Edm.Decimal must be a JSON string, `"12.50"`, never a number).
 * Dates are accepted as `"/Date(ms)/"` or ISO text, as Gateway's JSON parser accepts both.
 */
export interface ParsedInput {
  values: SandboxRecord;
  /** Nested navigation payloads (`to_PurchaseOrderItem: {results: [...]}` or a plain array). */
  navigations: Record<string, Record<string, unknown>[]>;
  errors: SapErrorDetail[];
}

function parseDate(value: string): number | undefined {
  const wrapped = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  if (wrapped) return Number(wrapped[1]) * 1000;
  return parseIsoMicros(value.replace(/Z$/, ''), false) ?? parseIsoMicros(value, true);
}

export function parseInputValue(type: EdmType, value: unknown): EdmValue | undefined {
  if (value === null) return null;
  switch (type) {
    case 'String':
    case 'Guid':
      return typeof value === 'string' ? value : undefined;
    case 'Decimal':
    case 'Int64':
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? value.trim() : undefined;
    case 'Int32':
    case 'Int16':
    case 'Byte':
      return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
    case 'Boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'DateTime': {
      const micros = typeof value === 'string' ? parseDate(value) : undefined;
      return micros === undefined ? undefined : Math.floor(micros / 1000);
    }
    case 'DateTimeOffset':
      return typeof value === 'string' ? parseDate(value) : undefined;
    case 'Time':
      return typeof value === 'string' ? parseDuration(value) : undefined;
  }
}

/** Unwraps `{"d": {...}}` bodies, which some clients send. */
export function bodyObject(body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const object = body as Record<string, unknown>;
  const inner = object.d;
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : object;
}

export function parseInput(entityType: EntityTypeDef, body: Record<string, unknown>, mode: 'create' | 'update', targetPrefix = ''): ParsedInput {
  const values: SandboxRecord = {};
  const navigations: Record<string, Record<string, unknown>[]> = {};
  const errors: SapErrorDetail[] = [];
  for (const [name, raw] of Object.entries(body)) {
    if (name === '__metadata') continue;
    if (name in entityType.navigations) {
      const list = Array.isArray(raw) ? raw : Array.isArray((raw as { results?: unknown })?.results) ? (raw as { results: unknown[] }).results : undefined;
      if (!list || list.some((entry) => !entry || typeof entry !== 'object')) {
        errors.push({ code: '/IWBEP/CM_MGW_RT/004', message: `Invalid value for navigation property ${name}`, target: `${targetPrefix}${name}` });
      } else {
        navigations[name] = list as Record<string, unknown>[];
      }
      continue;
    }
    const type = entityType.properties[name];
    if (!type) {
      errors.push({ code: '/IWBEP/CM_MGW_RT/022', message: `Property ${name} not found in type ${entityType.typeName}`, target: `${targetPrefix}${name}` });
      continue;
    }
    if (entityType.readOnly.has(name) || (mode === 'update' && entityType.keys.includes(name))) {
      errors.push({ code: '/IWBEP/CM_MGW_RT/059', message: `Property ${name} is read-only`, propertyref: name, target: `${targetPrefix}${name}` });
      continue;
    }
    const value = parseInputValue(type, raw);
    if (value === undefined) {
      errors.push({
        code: '/IWBEP/CM_MGW_RT/004',
        message: `Invalid value ${JSON.stringify(raw)} for property ${name} of type Edm.${type}`,
        propertyref: name,
        target: `${targetPrefix}${name}`,
      });
      continue;
    }
    values[name] = value;
  }
  return { values, navigations, errors };
}

/** A record with every property of the type at its initial value (blank CHAR = ''). */
export function blankRecord(entityType: EntityTypeDef): SandboxRecord {
  const record: SandboxRecord = {};
  for (const [name, type] of Object.entries(entityType.properties)) {
    record[name] = type === 'String' ? '' : type === 'Boolean' ? false : type === 'Decimal' || type === 'Int64' ? '0' : null;
  }
  for (const [name, navigation] of Object.entries(entityType.navigations)) {
    if (navigation.many) record[name] = [];
  }
  return record;
}
