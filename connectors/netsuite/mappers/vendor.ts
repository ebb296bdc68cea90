import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import type { MappedAddress, MappedVendor } from '../../../schemas/index.js';
import { address, currencyCode, customFields, flag, ref, sublist, text, timestamp, type Raw } from './common.js';

/**
 * NetSuite vendor (`GET /record/v1/vendor/{id}?expandSubResources=true`) → unified Vendor.
 * NetSuite has no "blocked" vendor state, only `isInactive`.
 */
export function mapVendor(raw: Raw, _ctx: MapContext): MappedVendor {
  const id = text(raw, 'id');
  if (!id) throw new MappingError('id', 'a vendor without an internal id');
  const isPerson = flag(raw, 'isPerson');
  const personName = [text(raw, 'firstName'), text(raw, 'lastName')].filter(Boolean).join(' ') || null;
  const name = (isPerson ? personName : text(raw, 'companyName')) ?? text(raw, 'companyName') ?? text(raw, 'entityId');
  const inactive = flag(raw, 'isInactive');
  const addresses = sublist(raw, 'addressBook').flatMap((entry, index): MappedAddress[] => {
    const billing = flag(entry, 'defaultBilling', `addressBook.items[${index}].defaultBilling`);
    const shipping = flag(entry, 'defaultShipping', `addressBook.items[${index}].defaultShipping`);
    const label = text(entry, 'label', `addressBook.items[${index}].label`);
    const type: MappedAddress['type'] = billing ? 'billing' : shipping ? 'shipping' : label && /remit/i.test(label) ? 'remit_to' : null;
    const mapped = address(entry, 'addressBookAddress', type, billing || shipping);
    return mapped ? [mapped] : [];
  });
  const email = text(raw, 'email');
  const phone = text(raw, 'phone');
  const fax = text(raw, 'fax');
  return {
    remote_id: id,
    display_value: name ?? `Vendor ${id}`,
    remote_created_at: timestamp(raw, 'dateCreated'),
    remote_updated_at: timestamp(raw, 'lastModifiedDate'),
    is_deleted: false,
    code: text(raw, 'entityId'),
    name,
    legal_name: text(raw, 'legalName'),
    status: inactive ? 'inactive' : 'active',
    remote_status: inactive ? 'isInactive=true' : 'isInactive=false',
    category: ref(raw, 'category')?.refName ?? null,
    tax_id: text(raw, 'taxIdNum'),
    currency: currencyCode(ref(raw, 'currency')),
    payment_terms: ref(raw, 'terms')?.refName ?? null,
    addresses,
    emails: email ? [{ type: 'work', address: email, is_primary: true }] : [],
    phones: [
      ...(phone ? [{ type: 'work' as const, number: phone, is_primary: true }] : []),
      ...(fax ? [{ type: 'fax' as const, number: fax, is_primary: false }] : []),
    ],
    website: text(raw, 'url'),
    contact_name: isPerson ? personName : null,
    subsidiary: ref(raw, 'subsidiary')?.refName ?? null,
    notes: text(raw, 'comments'),
    custom_fields: customFields(raw, ['custentity']),
  };
}
