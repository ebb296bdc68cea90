import type { MappedRecord } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import type { BcVendor } from '../raw-types.js';
import { bcAddress } from './address.js';
import { contextOf, remoteIdOf, requiredGuid, requiredString, text, timestamp } from './values.js';

type VendorStatus = NonNullable<MappedRecord<'vendor'>['status']>;

/**
 * `blocked` is BC's only vendor state: " " (not blocked) → active; "Payment" (no payments) and
 * "All" (nothing may be posted) → blocked; anything else → null, with the value in remote_status.
 */
const BLOCKED: Record<string, VendorStatus> = { ' ': 'active', '': 'active', Payment: 'blocked', All: 'blocked' };

export function mapVendor(raw: BcVendor, _ctx: MapContext): MappedRecord<'vendor'> {
  const { companyId } = contextOf(raw);
  const id = requiredGuid(raw.id, 'id');
  const number = requiredString(raw.number, 'number');
  if (typeof raw.blocked !== 'string') throw new MappingError('blocked', `expected " ", "Payment" or "All", got ${JSON.stringify(raw.blocked)}`);
  const address = bcAddress(raw as unknown as Record<string, unknown>, '', null, raw.displayName);
  const email = text(raw.email);
  const phone = text(raw.phoneNumber);
  return {
    remote_id: remoteIdOf(companyId, id),
    display_value: text(raw.displayName) ?? number,
    remote_created_at: null,
    remote_updated_at: timestamp(raw.lastModifiedDateTime, 'lastModifiedDateTime'),
    remote_deleted_at: null,
    is_deleted: false,
    code: number,
    name: text(raw.displayName),
    legal_name: null,
    status: BLOCKED[raw.blocked] ?? null,
    remote_status: raw.blocked,
    category: null,
    tax_id: text(raw.taxRegistrationNumber),
    currency: text(raw.currencyCode),
    payment_terms: null,
    addresses: address ? [address] : [],
    emails: email ? [{ type: 'work', address: email, is_primary: true }] : [],
    phones: phone ? [{ type: 'work', number: phone, is_primary: true }] : [],
    website: text(raw.website),
    contact_name: null,
    subsidiary: null,
    notes: null,
    custom_fields: {},
  };
}
