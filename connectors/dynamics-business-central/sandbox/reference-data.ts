import { seededGuid } from './ids.js';

/**
 * Setup tables every seeded company shares: currencies, units of measure, locations, payment
 * terms, item categories. Ids are deterministic per (seed, company) so POST bodies can use them.
 */
export interface ReferenceData {
  lcy: string;
  currencies: Record<string, string>;
  units: Record<string, string>;
  locations: Record<string, string>;
  paymentTerms: Record<string, string>;
  paymentMethods: Record<string, string>;
  itemCategories: Record<string, string>;
  taxGroups: Record<string, string>;
  postingGroups: Record<string, string>;
  shipmentMethods: Record<string, string>;
}

function ids(seed: number, company: number, base: number, codes: readonly string[]): Record<string, string> {
  return Object.fromEntries(codes.map((code, i) => [code, seededGuid(seed, 'reference', company, base + i)]));
}

export function referenceData(seed: number, company: number): ReferenceData {
  return {
    lcy: 'USD',
    // The local currency has no Currency record: BC answers currencyId = empty GUID, currencyCode = LCY code.
    currencies: ids(seed, company, 0, ['EUR', 'GBP', 'CAD', 'DKK']),
    units: ids(seed, company, 100, ['PCS', 'BOX', 'KG', 'L', 'M']),
    locations: ids(seed, company, 200, ['MAIN', 'EAST', 'WEST']),
    paymentTerms: ids(seed, company, 300, ['14 DAYS', '30 DAYS', '1M(8D)']),
    paymentMethods: ids(seed, company, 400, ['BANK', 'CHECK']),
    itemCategories: ids(seed, company, 500, ['PARTS', 'CONSUMABLE', 'TOOLS', 'SAFETY', 'ELECTRICAL']),
    taxGroups: ids(seed, company, 600, ['TAXABLE', 'NONTAXABLE']),
    postingGroups: ids(seed, company, 700, ['RETAIL', 'RESALE', 'SERVICES']),
    shipmentMethods: ids(seed, company, 800, ['DEL', 'PICKUP']),
  };
}

export const COMPANY_NAMES = ['CRONUS USA, Inc.', 'CRONUS Canada, Inc.', 'CRONUS Mexico S.A.', 'CRONUS UK Ltd.'] as const;

export const VENDOR_WORDS = {
  first: ['Fabrikam', 'Contoso', 'Northwind', 'Litware', 'Proseware', 'Wingtip', 'Tailspin', 'Adatum', 'Woodgrove', 'Lamna'],
  second: ['Industrial', 'Hydraulics', 'Bearings', 'Electric', 'Fasteners', 'Tooling', 'Safety', 'Pneumatics', 'Controls', 'Metals'],
  suffix: ['Supply', 'Inc.', 'Ltd.', 'Corporation', 'GmbH', 'Distribution', '& Sons', 'Group'],
} as const;

export const ITEM_WORDS = {
  noun: ['Ball Bearing', 'Hydraulic Hose', 'V-Belt', 'Proximity Sensor', 'Contactor', 'Gear Oil', 'Filter Cartridge', 'Hex Bolt', 'Safety Gloves', 'Coupling', 'Seal Kit', 'Motor'],
  spec: ['6204-2RS', '1/2 in x 2 m', 'A42', 'M18 PNP', '24V 9A', 'ISO VG 220', '10 micron', 'M12x40 8.8', 'Size L', 'L-100', 'DN50', '1.5 kW'],
} as const;

export const CITIES = [
  { city: 'Chicago', state: 'IL', postCode: '61236' },
  { city: 'Atlanta', state: 'GA', postCode: '31772' },
  { city: 'Miami', state: 'FL', postCode: '37125' },
  { city: 'Houston', state: 'TX', postCode: '77002' },
  { city: 'Detroit', state: 'MI', postCode: '48201' },
  { city: 'Seattle', state: 'WA', postCode: '98101' },
] as const;

export const STREETS = ['Day Drive', 'Industrial Way', 'Harbor Road', 'Main Street', 'Mill Lane', 'Factory Avenue'] as const;
export const PURCHASERS = ['', 'AH', 'JR', 'PS', 'OF'] as const;
