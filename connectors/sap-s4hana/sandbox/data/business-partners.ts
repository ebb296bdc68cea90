import { intBetween, pick, seededRandom } from '../../../sandbox-kit/seeded.js';
import { dateOnly, MS_PER_DAY } from '../edm.js';
import type { SandboxRecord } from '../model.js';
import { businessPartnerNumber, CITIES, COMPANY_CODE, isSupplierPartner, SUPPLIER_NAMES, type GeneratorContext } from './catalog.js';

/**
 * Business partners (organizations). Creation date+time increase with the index; a third were
 * never changed after creation, so their LastChangeDate/LastChangeTime are null, as SAP shows an
 * initial change date. The supplier role (A_Supplier) of partner j is generated from the same
 * seed, so both views agree.
 */
export function partnerCreatedMs(context: GeneratorContext, index: number): number {
  return context.baseMs - 400 * MS_PER_DAY + index * 3_600_000 + 7_000;
}

export function partnerChangedMs(context: GeneratorContext, index: number): number | null {
  if (index % 3 === 0) return null;
  return context.baseMs + index * 1_800_000;
}

/** Splits UTC ms into SAP's separate Edm.DateTime date and Edm.Time seconds. */
export function splitDateTime(ms: number): { date: number; time: number } {
  const date = dateOnly(ms);
  return { date, time: Math.floor((ms - date) / 1000) };
}

function nameOf(index: number): string {
  const base = SUPPLIER_NAMES[index % SUPPLIER_NAMES.length]!;
  return index < SUPPLIER_NAMES.length ? base : `${base} ${Math.floor(index / SUPPLIER_NAMES.length) + 1}`;
}

export function generateBusinessPartner(context: GeneratorContext, index: number): SandboxRecord {
  const random = seededRandom(context.seed ^ 0xb9, index);
  const number = businessPartnerNumber(index);
  const created = splitDateTime(partnerCreatedMs(context, index));
  const changedMs = partnerChangedMs(context, index);
  const changed = changedMs === null ? null : splitDateTime(changedMs);
  const supplier = isSupplierPartner(index);
  const place = CITIES[index % CITIES.length]!;
  const name = nameOf(index);
  const addressId = String(30000 + index);
  return {
    BusinessPartner: number,
    Customer: supplier ? '' : number,
    Supplier: supplier ? number : '',
    BusinessPartnerCategory: '2',
    BusinessPartnerFullName: name,
    BusinessPartnerGrouping: supplier ? 'BPEX' : 'BPAB',
    BusinessPartnerName: name,
    BusinessPartnerType: '',
    CorrespondenceLanguage: place.country === 'DE' ? 'DE' : 'EN',
    CreatedByUser: 'CB9980000010',
    LastChangedByUser: changed ? 'CB9980000024' : '',
    Industry: '',
    OrganizationBPName1: name,
    OrganizationBPName2: '',
    SearchTerm1: name.split(' ')[0]!.toUpperCase().slice(0, 20),
    SearchTerm2: '',
    ETag: `CB9980000024${new Date(changedMs ?? partnerCreatedMs(context, index)).toISOString().replace(/\D/g, '').slice(0, 14)}`,
    CreationDate: created.date,
    CreationTime: created.time,
    LastChangeDate: changed?.date ?? null,
    LastChangeTime: changed?.time ?? null,
    BusinessPartnerIsBlocked: index % 29 === 11,
    IsNaturalPerson: false,
    IsMarkedForArchiving: false,
    to_BusinessPartnerAddress: [
      {
        BusinessPartner: number,
        AddressID: addressId,
        StreetName: place.street,
        HouseNumber: String(intBetween(random, 1, 3999)),
        CityName: place.city,
        PostalCode: place.postal,
        Region: place.region,
        Country: place.country,
        Language: 'EN',
        to_EmailAddress: [
          {
            AddressID: addressId,
            Person: '',
            OrdinalNumber: '1',
            EmailAddress: `orders@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
            SearchEmailAddress: '',
            IsDefaultEmailAddress: true,
          },
        ],
        to_PhoneNumber: [
          {
            AddressID: addressId,
            Person: '',
            OrdinalNumber: '1',
            DestinationLocationCountry: place.country,
            PhoneNumber: `${intBetween(random, 200, 999)}-${intBetween(random, 100, 999)}-${intBetween(random, 1000, 9999)}`,
            PhoneNumberExtension: '',
            InternationalPhoneNumber: '',
            PhoneNumberType: '1',
            IsDefaultPhoneNumber: true,
          },
        ],
      },
    ],
    to_BusinessPartnerTax: supplier
      ? [{ BusinessPartner: number, BPTaxType: place.country === 'US' ? 'US01' : 'DE0', BPTaxNumber: `${intBetween(random, 10, 99)}-${intBetween(random, 1000000, 9999999)}`, BPTaxLongNumber: '' }]
      : [],
    // The supplier role, served as A_Supplier; not a navigation of A_BusinessPartner.
    supplierRole: supplier ? generateSupplierRole(random, number, name, created.date, index) : undefined,
  };
}

function generateSupplierRole(random: () => number, number: string, name: string, createdDate: number, index: number): SandboxRecord {
  const deleted = index % 31 === 21;
  const purchasingBlocked = index % 17 === 9;
  return {
    Supplier: number,
    AlternativePayeeAccountNumber: '',
    AuthorizationGroup: '',
    CreatedByUser: 'CB9980000010',
    CreationDate: createdDate,
    Customer: '',
    SupplierAccountGroup: 'SUPL',
    SupplierFullName: name,
    SupplierName: name.slice(0, 35),
    VATRegistration: index % 5 === 3 ? `DE${intBetween(random, 100000000, 999999999)}` : '',
    Industry: '',
    SupplierCorporateGroup: '',
    SupplierProcurementBlock: '',
    YY1_SupplierRating_PDH: pick(random, ['A', 'B', 'C', '']),
    BirthDate: null,
    PaymentIsBlockedForSupplier: false,
    PostingIsBlocked: false,
    PurchasingIsBlocked: purchasingBlocked,
    DeletionIndicator: deleted,
    IsNaturalPerson: false,
    to_SupplierCompany: [
      {
        Supplier: number,
        CompanyCode: COMPANY_CODE,
        PaymentTerms: pick(random, ['0001', '0002', '0004']),
        ReconciliationAccount: '21100000',
        PaymentMethodsList: 'T',
        AccountingClerk: '',
        PaymentIsBlockedForSupplier: false,
        PostingIsBlocked: false,
        DeletionIndicator: deleted,
      },
    ],
    to_SupplierPurchasingOrg: [
      {
        Supplier: number,
        PurchasingOrganization: '1710',
        PurchaseOrderCurrency: index % 5 === 3 ? 'EUR' : 'USD',
        PaymentTerms: pick(random, ['0001', '0002', '0004']),
        IncotermsClassification: pick(random, ['EXW', 'FOB', 'CIF']),
        IncotermsLocation1: '',
        SupplierPhoneNumber: '',
        SupplierRespSalesPersonName: '',
        PurchasingIsBlockedForSupplier: purchasingBlocked,
        DeletionIndicator: deleted,
      },
    ],
  };
}
