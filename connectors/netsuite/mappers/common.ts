import { MappingError } from '../../sdk/errors.js';
import { pickCustomFields, toDecimal, type MappedAddress } from '../../../schemas/index.js';

/**
 * Reading NetSuite REST record bodies. References are `{id, refName, links}`; numbers are JSON
 * numbers; datetimes ISO 8601 UTC (`2025-12-19T15:23:00Z`); dates `YYYY-MM-DD`; fields without a
 * value are left out of the body. Every reader names the raw field path when the value is wrong.
 */
export type Raw = Record<string, unknown>;

export interface Ref {
  id: string;
  refName: string | null;
}

export function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function ref(raw: Raw, field: string, path = field): Ref | null {
  const value = raw[field];
  if (value === undefined || value === null) return null;
  if (!isObject(value) || (typeof value.id !== 'string' && typeof value.id !== 'number')) throw new MappingError(path, `expected a reference {id, refName}, got ${JSON.stringify(value).slice(0, 80)}`);
  return { id: String(value.id), refName: typeof value.refName === 'string' ? value.refName : null };
}

export function text(raw: Raw, field: string, path = field): string | null {
  const value = raw[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new MappingError(path, `expected text, got ${JSON.stringify(value).slice(0, 80)}`);
}

export function flag(raw: Raw, field: string, path = field): boolean {
  const value = raw[field];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  throw new MappingError(path, `expected true or false, got ${JSON.stringify(value).slice(0, 80)}`);
}

export function number(raw: Raw, field: string, path = field): number | null {
  const value = raw[field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new MappingError(path, `expected a number, got ${JSON.stringify(value).slice(0, 80)}`);
}

/** A NetSuite number → decimal string (the float's shortest text, rounded to 9 places). */
export function decimal(raw: Raw, field: string, path = field): string | null {
  const value = number(raw, field, path);
  return value === null ? null : toDecimal(value);
}

export function date(raw: Raw, field: string, path = field): string | null {
  const value = text(raw, field, path);
  if (value === null) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new MappingError(path, `expected a date YYYY-MM-DD, got "${value.slice(0, 40)}"`);
  return value;
}

/** ISO datetime (UTC in REST bodies) → UTC with milliseconds. */
export function timestamp(raw: Raw, field: string, path = field): string | null {
  const value = text(raw, field, path);
  if (value === null) return null;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) throw new MappingError(path, `expected an ISO 8601 datetime, got "${value.slice(0, 40)}"`);
  return new Date(ms).toISOString();
}

/** Items of an expanded sublist (`{links, items: […], totalResults}`); a sublist read without expandSubResources is an error. */
export function sublist(raw: Raw, field: string): Raw[] {
  const value = raw[field];
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw new MappingError(field, 'expected a sublist object {items: [...]}');
  if (value.items === undefined) throw new MappingError(`${field}.items`, 'the sublist was not expanded; read the record with expandSubResources=true');
  if (!Array.isArray(value.items)) throw new MappingError(`${field}.items`, 'expected an array of sublist lines');
  return value.items.map((item, index) => {
    if (!isObject(item)) throw new MappingError(`${field}.items[${index}]`, 'expected a sublist line object');
    return item;
  });
}

/**
 * NetSuite currency records are named per account ("USA", "British pound"); the ISO code is the
 * currency record's `symbol`, which a body's reference does not carry. Known default names map
 * here; a name that is already an ISO code passes; anything else maps to null (remote_data keeps it).
 */
const CURRENCY_NAMES: Record<string, string> = {
  usa: 'USD', 'us dollar': 'USD', 'u.s. dollar': 'USD', 'british pound': 'GBP', 'pound sterling': 'GBP', gbp: 'GBP',
  'canadian dollar': 'CAD', euro: 'EUR', 'australian dollar': 'AUD', 'japanese yen': 'JPY', yen: 'JPY', 'swiss franc': 'CHF',
  'mexican peso': 'MXN', 'chinese yuan': 'CNY', 'indian rupee': 'INR', 'new zealand dollar': 'NZD', 'singapore dollar': 'SGD',
  'swedish krona': 'SEK', 'danish krone': 'DKK', 'norwegian krone': 'NOK', 'hong kong dollar': 'HKD', 'south african rand': 'ZAR',
};

export function currencyCode(currency: Ref | null): string | null {
  if (!currency?.refName) return null;
  const name = currency.refName.trim();
  // The default US dollar record is named "USA", which looks like a code but is not one.
  const known = CURRENCY_NAMES[name.toLowerCase()];
  if (known) return known;
  return /^[A-Z]{3}$/.test(name) ? name : null;
}

/** An address subrecord (`billingAddress`, `addressBookAddress`); null when absent or not expanded. */
export function address(raw: Raw, field: string, type: MappedAddress['type'], isPrimary: boolean): MappedAddress | null {
  const value = raw[field];
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new MappingError(field, 'expected an address subrecord');
  const country = ref(value, 'country', `${field}.country`);
  const mapped: MappedAddress = {
    type,
    name: text(value, 'addressee', `${field}.addressee`),
    line1: text(value, 'addr1', `${field}.addr1`),
    line2: text(value, 'addr2', `${field}.addr2`),
    line3: text(value, 'addr3', `${field}.addr3`),
    city: text(value, 'city', `${field}.city`),
    state: text(value, 'state', `${field}.state`),
    postal_code: text(value, 'zip', `${field}.zip`),
    // NetSuite's country ids are ISO 3166-1 alpha-2 (US, GB).
    country: country && /^[A-Z]{2}$/.test(country.id) ? country.id : null,
    full_address: text(value, 'addrText', `${field}.addrText`),
    is_primary: isPrimary,
  };
  const { type: _type, is_primary: _primary, ...parts } = mapped;
  return Object.values(parts).some((part) => part !== null) ? mapped : null;
}

/** Custom fields by NetSuite's prefixes: custbody (transaction), custcol (line), custentity (entity), custitem (item). */
export function customFields(raw: Raw, prefixes: readonly string[]): Record<string, string> {
  const custom = Object.fromEntries(
    Object.entries(raw)
      .filter(([name]) => prefixes.some((prefix) => name.startsWith(prefix)))
      // A list/record custom field is a reference: keep its id and name, not its links.
      .map(([name, value]) => [name, isObject(value) && 'id' in value ? { id: value.id, refName: value.refName ?? null } : value]),
  );
  return pickCustomFields(custom, () => true);
}
