import type { Address } from '../../../schemas/index.js';
import { text } from './values.js';

type AddressType = Address['type'];

/** A BC address (prefixed fields `<prefix>AddressLine1` … or plain ones) as a unified address; null when every part is blank. */
export function bcAddress(raw: Record<string, unknown>, prefix: string, type: AddressType, name: unknown): Address | null {
  const key = (suffix: string) => (prefix ? `${prefix}${suffix}` : suffix.charAt(0).toLowerCase() + suffix.slice(1));
  const line1 = text(raw[key('AddressLine1')]);
  const line2 = text(raw[key('AddressLine2')]);
  const city = text(raw[key('City')]);
  const state = text(raw[key('State')]);
  const postalCode = text(raw[prefix ? key('PostCode') : 'postalCode']);
  const country = text(raw[key('Country')]);
  if (!line1 && !line2 && !city && !state && !postalCode && !country) return null;
  return {
    type,
    name: text(name),
    line1,
    line2,
    line3: null,
    city,
    state,
    postal_code: postalCode,
    country,
    full_address: null,
    is_primary: true,
  };
}
