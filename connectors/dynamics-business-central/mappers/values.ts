import { MappingError } from '../../sdk/errors.js';
import { toDecimal } from '../../../schemas/index.js';
import { EMPTY_GUID } from '../raw-types.js';

/**
 * Reading Business Central values for the unified model. BC writes "no value" as an empty string,
 * the empty GUID, or the blank date `0001-01-01`; all three become null.
 */
export const BLANK_DATE = '0001-01-01';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTEXT = /\$metadata#companies\(([0-9a-fA-F-]{36})\)\/([A-Za-z]+)/;

export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : value;
}

export function guidOrNull(value: unknown, path: string): string | null {
  if (value === undefined || value === null || value === '' || value === EMPTY_GUID) return null;
  if (typeof value !== 'string' || !GUID.test(value)) throw new MappingError(path, `expected a GUID, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

export function requiredGuid(value: unknown, path: string): string {
  const guid = guidOrNull(value, path);
  if (!guid) throw new MappingError(path, `expected a GUID, got ${JSON.stringify(value)}`);
  return guid;
}

export function dateOrNull(value: unknown, path: string): string | null {
  if (value === undefined || value === null || value === '' || value === BLANK_DATE) return null;
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new MappingError(path, `expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** BC datetimes are ISO UTC with milliseconds; any offset is normalised to UTC. */
export function timestamp(value: unknown, path: string): string {
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new MappingError(path, `expected an ISO 8601 datetime, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/** BC decimals are JSON numbers; anything else is a malformed record. */
export function decimal(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MappingError(path, `expected a JSON number, got ${JSON.stringify(value)}`);
  return toDecimal(value);
}

export function requiredString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new MappingError(path, `expected a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** The company and entity set a record belongs to, from the `@odata.context` it carries. */
export function contextOf(raw: { '@odata.context'?: unknown }): { companyId: string; entitySet: string } {
  const context = raw['@odata.context'];
  const match = typeof context === 'string' ? CONTEXT.exec(context) : null;
  if (!match) {
    throw new MappingError('@odata.context', `expected "<api>/$metadata#companies(<company id>)/<entity set>…", got ${JSON.stringify(context)}; the connector copies its page's context onto each record`);
  }
  return { companyId: match[1]!.toLowerCase(), entitySet: match[2]! };
}

/** Remote ids are `<company id>/<record id>`: the API addresses records as companies(c)/set(id), and a copied company keeps its records' ids. */
export function remoteIdOf(companyId: string, id: string): string {
  return `${companyId}/${id.toLowerCase()}`;
}

export function parseRemoteId(remoteId: string): { companyId: string; id: string } {
  const [companyId, id, extra] = remoteId.split('/');
  if (!companyId || !id || extra !== undefined || !GUID.test(companyId) || !GUID.test(id)) {
    throw new Error(`not a Business Central remote id "<company id>/<record id>": ${JSON.stringify(remoteId)}`);
  }
  return { companyId: companyId.toLowerCase(), id: id.toLowerCase() };
}

/** Sums amounts that BC states with at most 5 decimals, without float drift. */
export function sumAmounts(values: number[]): number {
  return Math.round(values.reduce((sum, value) => sum + Math.round(value * 100_000), 0)) / 100_000;
}
