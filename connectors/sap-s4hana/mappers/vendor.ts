import type { MappedAddress, MappedEmailAddress, MappedPhoneNumber, MappedVendor, VendorStatus } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import { RawReader } from './raw-reader.js';

/**
 * A_Supplier (with `to_SupplierCompany` and `to_SupplierPurchasingOrg` expanded) plus its business
 * partner → unified vendor. The vendors stream attaches the partner under
 * `millrace_business_partner`: A_BusinessPartner as SAP returned it, with `to_BusinessPartnerAddress`
 * (and their `to_EmailAddress`, `to_PhoneNumber`) and `to_BusinessPartnerTax` expanded. Addresses,
 * e-mails, phones, tax numbers and the change time come from there.
 *
 * | SAP                                                                                   | unified  |
 * |---------------------------------------------------------------------------------------|----------|
 * | DeletionIndicator                                                                     | inactive |
 * | PurchasingIsBlocked, PostingIsBlocked, PaymentIsBlockedForSupplier, SupplierProcurementBlock, BusinessPartnerIsBlocked | blocked |
 * | none                                                                                  | active   |
 * remote_status lists the flags that are set (`PurchasingIsBlocked DeletionIndicator`), null when none.
 */
export const BUSINESS_PARTNER_KEY = 'millrace_business_partner';

/** House number before the street where that is the postal convention. */
const NUMBER_FIRST = new Set(['US', 'CA', 'GB', 'AU', 'NZ', 'IE', 'FR', 'IN', 'ZA', 'SG', 'PH']);

function vendorStatus(supplier: RawReader, partner: RawReader | null): { status: VendorStatus; remote: string | null } {
  const flags = ['PurchasingIsBlocked', 'PostingIsBlocked', 'PaymentIsBlockedForSupplier'].filter((flag) => supplier.flag(flag));
  if (supplier.text('SupplierProcurementBlock')) flags.push('SupplierProcurementBlock');
  if (partner?.flag('BusinessPartnerIsBlocked')) flags.push('BusinessPartnerIsBlocked');
  const deleted = supplier.flag('DeletionIndicator');
  const remote = [...flags, ...(deleted ? ['DeletionIndicator'] : [])];
  return { status: deleted ? 'inactive' : flags.length > 0 ? 'blocked' : 'active', remote: remote.length > 0 ? remote.join(' ') : null };
}

function mapAddress(address: RawReader, index: number): MappedAddress {
  const street = address.text('StreetName');
  const house = address.text('HouseNumber');
  const country = address.text('Country');
  const line1 = street && house ? (NUMBER_FIRST.has(country ?? '') ? `${house} ${street}` : `${street} ${house}`) : (street ?? house);
  return {
    type: null,
    name: null,
    line1,
    line2: null,
    line3: null,
    city: address.text('CityName'),
    state: address.text('Region'),
    postal_code: address.text('PostalCode'),
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
    full_address: null,
    is_primary: index === 0,
  };
}

function partnerOf(raw: Record<string, unknown>): RawReader | null {
  const value = raw[BUSINESS_PARTNER_KEY];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new MappingError(BUSINESS_PARTNER_KEY, 'expected the A_BusinessPartner entity');
  return new RawReader(value as Record<string, unknown>, BUSINESS_PARTNER_KEY);
}

export function mapVendor(raw: Record<string, unknown>, _ctx: MapContext): MappedVendor {
  const supplier = new RawReader(raw);
  const code = supplier.requiredText('Supplier');
  const partner = partnerOf(raw);
  const addresses = partner?.children('to_BusinessPartnerAddress') ?? [];
  const emails: MappedEmailAddress[] = addresses.flatMap((address) =>
    address.children('to_EmailAddress').flatMap((email) => {
      const value = email.text('EmailAddress');
      return value ? [{ type: null, address: value, is_primary: email.flag('IsDefaultEmailAddress') }] : [];
    }),
  );
  const phones: MappedPhoneNumber[] = addresses.flatMap((address) =>
    address.children('to_PhoneNumber').flatMap((phone) => {
      const value = phone.text('InternationalPhoneNumber') ?? phone.text('PhoneNumber');
      return value ? [{ type: phone.text('PhoneNumberType') === '3' ? 'mobile' : 'work', number: value, is_primary: phone.flag('IsDefaultPhoneNumber') }] : [];
    }),
  );
  const purchasing = supplier.children('to_SupplierPurchasingOrg')[0];
  const company = supplier.children('to_SupplierCompany')[0];
  const taxNumber = partner?.children('to_BusinessPartnerTax').map((tax) => tax.text('BPTaxNumber') ?? tax.text('BPTaxLongNumber')).find(Boolean) ?? null;
  const { status, remote } = vendorStatus(supplier, partner);
  const deleted = supplier.flag('DeletionIndicator');
  const created = partner?.dateAndTime('CreationDate', 'CreationTime') ?? (supplier.date('CreationDate') ? `${supplier.date('CreationDate')}T00:00:00.000Z` : null);
  const updated = partner?.dateAndTime('LastChangeDate', 'LastChangeTime') ?? created;
  return {
    remote_id: code,
    display_value: supplier.text('SupplierName') ?? `Supplier ${code}`,
    remote_created_at: created,
    remote_updated_at: updated,
    remote_deleted_at: deleted ? updated : null,
    is_deleted: deleted,
    code,
    name: supplier.text('SupplierName') ?? partner?.text('OrganizationBPName1') ?? null,
    legal_name: supplier.text('SupplierFullName') ?? partner?.text('BusinessPartnerFullName') ?? null,
    status,
    remote_status: remote,
    category: supplier.text('SupplierAccountGroup'),
    tax_id: supplier.text('VATRegistration') ?? taxNumber,
    currency: purchasing?.text('PurchaseOrderCurrency') ?? null,
    payment_terms: purchasing?.text('PaymentTerms') ?? company?.text('PaymentTerms') ?? null,
    addresses: addresses.map(mapAddress),
    emails,
    phones,
    website: null,
    contact_name: null,
    subsidiary: company?.text('CompanyCode') ? `Company code ${company.text('CompanyCode')}` : null,
    notes: null,
    custom_fields: supplier.customFields(),
  };
}
