import { parseIsoMicros, type EdmValue } from './edm.js';
import type { EntityTypeDef } from './model.js';

/**
 * The resource part of an OData V2 URL after the service root:
 * `A_PurchaseOrder`, `A_PurchaseOrder('4500000001')`,
 * `A_PurchaseOrderItem(PurchaseOrder='4500000001',PurchaseOrderItem='10')`,
 * `Equipment(Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00:00:00')`,
 * `A_PurchaseOrder('4500000001')/to_PurchaseOrderItem`.
 */
export interface ResourcePath {
  entitySet: string;
  key?: string;
  navigation?: string;
}

export class ResourcePathError extends Error {}

export function parseResourcePath(path: string): ResourcePath {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?(?:\/([A-Za-z_][A-Za-z0-9_]*))?$/.exec(path);
  if (!match) throw new ResourcePathError(`Resource not found for segment '${path}'`);
  const result: ResourcePath = { entitySet: match[1]! };
  if (match[2] !== undefined) result.key = match[2];
  if (match[3] !== undefined) result.navigation = match[3];
  return result;
}

function parseKeyValue(text: string): EdmValue {
  if (text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  const datetime = /^datetime'(.*)'$/.exec(text);
  if (datetime) {
    const micros = parseIsoMicros(datetime[1]!, false);
    if (micros === undefined) throw new ResourcePathError(`Invalid key value ${text}`);
    return Math.floor(micros / 1000);
  }
  if (/^-?\d+$/.test(text)) return Number(text);
  throw new ResourcePathError(`Invalid key value ${text}`);
}

/** Splits `A='x',B=datetime'…'` on commas outside quotes. */
function splitKeyParts(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

export function parseKeyPredicate(text: string, entityType: EntityTypeDef): Record<string, EdmValue> {
  const parts = splitKeyParts(text);
  if (parts.length === 1 && !parts[0]!.includes('=') && entityType.keys.length === 1) {
    return { [entityType.keys[0]!]: parseKeyValue(parts[0]!.trim()) };
  }
  const values: Record<string, EdmValue> = {};
  for (const part of parts) {
    const separator = part.indexOf('=');
    const name = part.slice(0, separator).trim();
    if (separator <= 0 || !entityType.keys.includes(name)) {
      throw new ResourcePathError(`Invalid key predicate for ${entityType.typeName}: ${text}`);
    }
    values[name] = parseKeyValue(part.slice(separator + 1).trim());
  }
  for (const key of entityType.keys) {
    if (!(key in values)) throw new ResourcePathError(`Key property ${key} missing for ${entityType.typeName}`);
  }
  return values;
}

/** SAP accepts NUMC item numbers with or without leading zeros ('10' = '00010'). */
export function sameItemNumber(a: unknown, b: unknown): boolean {
  const normalize = (value: unknown) => String(value ?? '').replace(/^0+(?=.)/, '');
  return normalize(a) === normalize(b);
}
