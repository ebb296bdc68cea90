import { seededRandom } from '../../sandbox-kit/seeded.js';

/**
 * Deterministic GUIDs for seeded records. Business Central SystemIds are SQL-sequential GUIDs, not
 * random v4 ones, so any 8-4-4-4-12 hex string is realistic. Ours encode what made them (entity kind,
 * company, sub-index, index) so the sandbox finds a seeded record from its id without an index map.
 */
export const KIND = {
  company: 0x01,
  vendor: 0x02,
  item: 0x03,
  order: 0x04,
  orderLine: 0x05,
  invoice: 0x06,
  invoiceLine: 0x07,
  closedOrder: 0x08,
  reference: 0x09,
} as const;
export type Kind = keyof typeof KIND;

const CREATED = 0x80;

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0').slice(-width);
}

export function seededGuid(seed: number, kind: Kind, company: number, index: number, sub = 0): string {
  const random = seededRandom(seed ^ (KIND[kind] << 20) ^ (company << 12) ^ sub, index);
  const a = hex(Math.floor(random() * 0xffffffff), 8);
  const b = hex(Math.floor(random() * 0xffff), 4);
  return `${a}-${b}-${hex(KIND[kind], 2)}${hex(company, 2)}-${hex(sub, 4)}-${hex(index, 12)}`;
}

/** The seeded index `id` encodes for (kind, company), or undefined when it is not such an id. */
export function seededIndexOf(id: string, kind: Kind, company: number, count: number): number | undefined {
  const parts = id.toLowerCase().split('-');
  if (parts.length !== 5 || parts[2] !== `${hex(KIND[kind], 2)}${hex(company, 2)}` || parts[3] !== '0000') return undefined;
  const index = Number.parseInt(parts[4]!, 16);
  return Number.isFinite(index) && index < count ? index : undefined;
}

let createdCounter = 0;
/** An id for a record created at run time; never mistaken for a seeded one. */
export function createdGuid(kind: Kind, company: number): string {
  createdCounter++;
  const random = Math.floor(Math.random() * 0xffffffff);
  return `${hex(random, 8)}-${hex(createdCounter >>> 16, 4)}-${hex(KIND[kind] | CREATED, 2)}${hex(company, 2)}-${hex(createdCounter & 0xffff, 4)}-${hex(Date.now(), 12)}`;
}

/**
 * Business Central weak ETags: `W/"<base64 of '<n>;1<row version>;00;'>"` where n is the row
 * version's digit count (as in real responses such as `W/"JzE5OzEyMDYzMDQyMjE5NzcxNDcwNjgxOzAwOyc="`).
 */
export function etagFor(rowVersion: bigint): string {
  const digits = rowVersion.toString();
  return `W/"${Buffer.from(`'${digits.length};1${digits};00;'`).toString('base64')}"`;
}
