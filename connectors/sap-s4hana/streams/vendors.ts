import { dateAndTimeAxis } from '../change-axes.js';
import type { SapClient } from '../client.js';
import { BUSINESS_PARTNER_KEY, mapVendor } from '../mappers/vendor.js';
import type { ODataRecord } from '../odata/page.js';
import { keyPredicate } from '../odata/values.js';
import { SERVICES } from '../services.js';
import { defineChangeStream } from './change-stream.js';
import { readByKeys } from './fetching.js';

/**
 * Suppliers, found through their business partners: A_Supplier has no change time, but
 * A_BusinessPartner has CreationDate/CreationTime and LastChangeDate/LastChangeTime (a date and
 * an Edm.Time each). Each sync reads partners with the supplier role created since the last
 * creation cursor, then those changed since the last change cursor (a never-changed partner has
 * an initial change date, so creation must be followed on its own), then reads A_Supplier for
 * them and captures supplier + partner (`millrace_business_partner`) as one raw record.
 * A change to supplier-only data (company code, purchasing organization) that does not touch
 * the partner's change date is seen by the next full pass.
 */
const PARTNER_EXPAND =
  'to_BusinessPartnerAddress,to_BusinessPartnerAddress/to_EmailAddress,to_BusinessPartnerAddress/to_PhoneNumber,to_BusinessPartnerTax';
const SUPPLIER_EXPAND = 'to_SupplierCompany,to_SupplierPurchasingOrg';

async function withSuppliers(client: SapClient, partners: ODataRecord[], signal?: AbortSignal): Promise<ODataRecord[]> {
  const numbers = partners.map((partner) => String(partner.Supplier ?? '')).filter(Boolean);
  const suppliers = await readByKeys(client, SERVICES.businessPartner, 'A_Supplier', 'Supplier', numbers, { $expand: SUPPLIER_EXPAND }, signal);
  const bySupplier = new Map(suppliers.map((supplier) => [String(supplier.Supplier), supplier]));
  const records: ODataRecord[] = [];
  const missing: string[] = [];
  for (const partner of partners) {
    const supplier = bySupplier.get(String(partner.Supplier ?? ''));
    if (supplier) records.push({ ...supplier, [BUSINESS_PARTNER_KEY]: partner });
    else missing.push(String(partner.BusinessPartner));
  }
  if (missing.length > 0) {
    client.logger.warn({ business_partners: missing.slice(0, 20), count: missing.length }, 'business partners name a supplier that A_Supplier does not return; they are not vendors and were skipped');
  }
  return records;
}

export const vendorsStream = defineChangeStream({
  name: 'vendors',
  entity: 'vendor',
  service: SERVICES.businessPartner,
  entitySet: 'A_BusinessPartner',
  keyField: 'BusinessPartner',
  axes: [dateAndTimeAxis('CreationDate', 'CreationTime'), dateAndTimeAxis('LastChangeDate', 'LastChangeTime')],
  expand: PARTNER_EXPAND,
  baseFilter: "Supplier ne ''",
  primaryKey: 'Supplier',
  // The cursor advances on creation date+time, then on change date+time; every partner has the first.
  cursorField: `${BUSINESS_PARTNER_KEY}.CreationDate`,
  defaultIntervalSeconds: 900,
  enrich: (client, partners, _state, signal) => withSuppliers(client, partners, signal),
  driverOf: (raw) => (raw[BUSINESS_PARTNER_KEY] as ODataRecord | undefined) ?? {},
  map: mapVendor,
  async fetchOne(client, remoteId) {
    const partners = await readByKeys(client, SERVICES.businessPartner, 'A_BusinessPartner', 'Supplier', [remoteId], { $expand: PARTNER_EXPAND });
    if (partners.length === 0) {
      const supplier = await client.entity(SERVICES.businessPartner, `A_Supplier${keyPredicate({ Supplier: remoteId })}`, { $expand: SUPPLIER_EXPAND });
      return supplier;
    }
    const [record] = await withSuppliers(client, partners);
    return record ?? null;
  },
});
