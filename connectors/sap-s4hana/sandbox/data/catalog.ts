import { numericKeyIndex } from '../../../sandbox-kit/seeded.js';
/**
 * Numbering and vocabulary the generated SAP tenant shares across entity sets, so references
 * line up: a purchase order's Supplier is a business partner with the supplier role, its items'
 * Material is a product, a maintenance order's Equipment exists in API_EQUIPMENT.
 * Numbers follow the SAP demo tenants' number ranges (POs 45…, maintenance orders 4…,
 * suppliers 173…); they appear without leading zeros, as SAP's ALPHA conversion shows them.
 */
export interface DatasetSizes {
  purchaseOrders: number;
  maintenanceOrders: number;
  equipment: number;
  businessPartners: number;
  products: number;
}

export interface GeneratorContext {
  seed: number;
  /** Change times of generated records start here (UTC ms). */
  baseMs: number;
  sizes: DatasetSizes;
  itemsPerOrder: number;
}

export const purchaseOrderNumber = (index: number): string => String(4500000000 + index);
export const maintenanceOrderNumber = (index: number): string => String(4000000 + index);
export const equipmentNumber = (index: number): string => String(10000000 + index);
export const businessPartnerNumber = (index: number): string => String(17300000 + index);
export const productNumber = (index: number): string => String(21000000 + index);

// The inverses: a lookup by number finds the generated record without a key → index map.
export const purchaseOrderIndex = numericKeyIndex(4500000000);
export const maintenanceOrderIndex = numericKeyIndex(4000000);
export const equipmentIndex = numericKeyIndex(10000000);
export const businessPartnerIndex = numericKeyIndex(17300000);
export const productIndex = numericKeyIndex(21000000);

/** Every fourth business partner is a customer only; the others carry the supplier role. */
export const isSupplierPartner = (index: number): boolean => index % 4 !== 3;
/** Index of the s-th supplier among business partners (skips the customer-only ones). */
export const partnerIndexOfSupplier = (supplierIndex: number): number => supplierIndex + Math.floor(supplierIndex / 3);
export const supplierCount = (partners: number): number => partners - Math.floor(partners / 4);
/** The supplier index of a business partner number; undefined for customer-only partners. */
export function supplierIndexOf(key: string): number | undefined {
  const partner = businessPartnerIndex(key);
  if (partner === undefined || !isSupplierPartner(partner)) return undefined;
  return partner - Math.floor(partner / 4);
}

export const COMPANY_CODE = '1710';
export const PLANT = '1710';
export const STORAGE_LOCATIONS = ['171A', '171B'] as const;

export const ITEM_TEXTS = [
  'Hydraulic pump seal kit',
  'Deep groove ball bearing 6204-2RS',
  'V-belt SPA 1250',
  'Pressure gauge 0-16 bar',
  'Solenoid valve 24V DC',
  'Gear oil ISO VG 220, 20 L',
  'Proximity sensor M18',
  'Mechanical seal 45 mm',
  'Contactor 3-pole 32A',
  'Stainless hex bolt M12x40',
  'Air filter element',
  'Coupling insert 95 ShA',
] as const;

export const CITIES = [
  { city: 'Palo Alto', region: 'CA', postal: '94304', street: 'Hillview Avenue', country: 'US' },
  { city: 'Chicago', region: 'IL', postal: '60601', street: 'Wacker Drive', country: 'US' },
  { city: 'Houston', region: 'TX', postal: '77002', street: 'Main Street', country: 'US' },
  { city: 'Walldorf', region: '08', postal: '69190', street: 'Dietmar-Hopp-Allee', country: 'DE' },
  { city: 'Lyon', region: '69', postal: '69002', street: 'Rue de la République', country: 'FR' },
] as const;

export const SUPPLIER_NAMES = [
  'Domestic US Supplier',
  'Precision Bearings Inc.',
  'Midwest Hydraulics LLC',
  'Gulf Coast Valves Co.',
  'Rheinland Antriebstechnik GmbH',
  'Atlas Industrial Supply',
  'Northern Electric Motors',
  'Lyon Instrumentation SA',
] as const;

export const MANUFACTURERS = ['Grundfos', 'Siemens', 'ABB', 'SKF', 'Flowserve', 'Emerson', 'KSB'] as const;

export const CURRENCY_DECIMALS: Record<string, number> = { JPY: 0, KWD: 3, BHD: 3 };
export const currencyDecimals = (currency: string): number => CURRENCY_DECIMALS[currency] ?? 2;
