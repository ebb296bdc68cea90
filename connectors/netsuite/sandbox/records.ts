/**
 * How the sandbox keeps NetSuite records: the REST body's own field names, with references as
 * `{id, refName}` (links are added when rendered, since they depend on the host the client used)
 * and sublists as plain arrays. Times are epoch ms, already truncated to the minute as NetSuite does.
 */
export interface Ref {
  id: string;
  refName: string;
}

export interface Address {
  addressee: string;
  addr1: string;
  city: string;
  state: string;
  zip: string;
  country: Ref;
}

export type RecordType = 'purchaseorder' | 'vendor' | 'inventoryitem';
export const RECORD_TYPES: readonly RecordType[] = ['purchaseorder', 'vendor', 'inventoryitem'];

/** Path segment → record type; NetSuite treats the record type in a URL case-insensitively. */
export function recordTypeOf(segment: string): RecordType | undefined {
  const lower = segment.toLowerCase();
  return (RECORD_TYPES as readonly string[]).includes(lower) ? (lower as RecordType) : undefined;
}

export interface PurchaseOrderLine {
  line: number;
  item: Ref;
  itemType: string;
  description: string;
  quantity: number;
  rate: number;
  units: Ref;
  quantityReceived: number;
  quantityBilled: number;
  isClosed: boolean;
  location: Ref;
  expectedReceiptDate: string | null;
  custom: Record<string, unknown>;
}

export interface PurchaseOrder {
  id: string;
  tranId: string;
  tranDate: string;
  createdMs: number;
  modifiedMs: number;
  entity: Ref;
  /** Letter A–H (`orderStatus`); `status` is derived from it. */
  orderStatus: string;
  approvalStatus: Ref;
  currency: Ref;
  exchangeRate: number;
  subsidiary: Ref;
  location: Ref;
  department: Ref | null;
  employee: Ref | null;
  terms: Ref | null;
  incoterm: Ref | null;
  memo: string | null;
  otherRefNum: string | null;
  dueDate: string | null;
  shipDate: string | null;
  taxRate: number;
  billingAddress: Address;
  shippingAddress: Address;
  externalId: string | null;
  lines: PurchaseOrderLine[];
  custom: Record<string, unknown>;
}

export interface VendorAddress {
  label: string;
  defaultBilling: boolean;
  defaultShipping: boolean;
  address: Address;
}

export interface Vendor {
  id: string;
  entityId: string;
  companyName: string;
  legalName: string;
  isPerson: boolean;
  isInactive: boolean;
  email: string | null;
  phone: string | null;
  url: string | null;
  accountNumber: string | null;
  taxIdNum: string | null;
  balance: number;
  currency: Ref;
  subsidiary: Ref;
  terms: Ref | null;
  category: Ref | null;
  comments: string | null;
  createdMs: number;
  modifiedMs: number;
  externalId: string | null;
  addresses: VendorAddress[];
  custom: Record<string, unknown>;
}

export interface ItemLocation {
  location: Ref;
  quantityOnHand: number;
  quantityAvailable: number;
  quantityCommitted: number;
  quantityOnOrder: number;
  reorderPoint: number | null;
  preferredStockLevel: number | null;
}

export interface ItemVendor {
  vendor: Ref;
  preferredVendor: boolean;
  purchasePrice: number;
  vendorCode: string | null;
}

export interface InventoryItem {
  id: string;
  itemId: string;
  displayName: string;
  purchaseDescription: string | null;
  salesDescription: string | null;
  isInactive: boolean;
  upcCode: string | null;
  manufacturer: string | null;
  mpn: string | null;
  cost: number;
  averageCost: number;
  lastPurchasePrice: number;
  currency: Ref;
  stockUnit: Ref;
  purchaseUnit: Ref;
  class: Ref | null;
  createdMs: number;
  modifiedMs: number;
  externalId: string | null;
  locations: ItemLocation[];
  vendors: ItemVendor[];
  custom: Record<string, unknown>;
}

export interface StoredByType {
  purchaseorder: PurchaseOrder;
  vendor: Vendor;
  inventoryitem: InventoryItem;
}

export type AnyRecord = StoredByType[RecordType];

export const PO_STATUS_TEXT: Record<string, string> = {
  A: 'Pending Supervisor Approval',
  B: 'Pending Receipt',
  C: 'Rejected by Supervisor',
  D: 'Partially Received',
  E: 'Pending Billing/Partially Received',
  F: 'Pending Bill',
  G: 'Fully Billed',
  H: 'Closed',
};

/** Reference lists of the sandbox account (internal id → name). */
export const LOCATIONS: readonly Ref[] = [
  { id: '1', refName: 'Main Warehouse' },
  { id: '2', refName: 'East Distribution Center' },
  { id: '3', refName: 'Plant 7 Stores' },
];
export const SUBSIDIARIES: readonly Ref[] = [{ id: '1', refName: 'Honeycomb Mfg.' }];
export const DEPARTMENTS: readonly Ref[] = [
  { id: '1', refName: 'Maintenance' },
  { id: '2', refName: 'Production' },
  { id: '3', refName: 'Facilities' },
];
/** NetSuite currency records: the name is what refName shows; the ISO code is the record's `symbol`. */
export const CURRENCIES: readonly (Ref & { symbol: string })[] = [
  { id: '1', refName: 'USA', symbol: 'USD' },
  { id: '2', refName: 'British pound', symbol: 'GBP' },
  { id: '3', refName: 'Canadian Dollar', symbol: 'CAD' },
  { id: '4', refName: 'Euro', symbol: 'EUR' },
];
export const TERMS: readonly Ref[] = [
  { id: '1', refName: 'Net 15' },
  { id: '2', refName: 'Net 30' },
  { id: '3', refName: 'Net 60' },
];
export const EMPLOYEES: readonly Ref[] = [
  { id: '7', refName: 'Dana Whitfield' },
  { id: '8', refName: 'Luis Ortega' },
];
export const VENDOR_CATEGORIES: readonly Ref[] = [
  { id: '1', refName: 'Supplies' },
  { id: '2', refName: 'Spare Parts' },
  { id: '3', refName: 'Services' },
];
export const UNITS: readonly Ref[] = [
  { id: '1', refName: 'Each' },
  { id: '2', refName: 'Box' },
  { id: '3', refName: 'Meter' },
];
export const INCOTERMS: readonly Ref[] = [
  { id: '1', refName: 'FOB' },
  { id: '2', refName: 'DAP' },
];
export const APPROVAL_STATUSES: readonly Ref[] = [
  { id: '1', refName: 'Pending Approval' },
  { id: '2', refName: 'Approved' },
  { id: '3', refName: 'Rejected' },
];
export const COUNTRIES: readonly Ref[] = [
  { id: 'US', refName: 'United States' },
  { id: 'CA', refName: 'Canada' },
  { id: 'GB', refName: 'United Kingdom' },
];

/** Reference fields → the record type their links point at (for rendering `links`). */
export const REF_TARGETS: Record<string, string> = {
  entity: 'vendor',
  vendor: 'vendor',
  item: 'inventoryitem',
  location: 'location',
  subsidiary: 'subsidiary',
  department: 'department',
  currency: 'currency',
  terms: 'term',
  employee: 'employee',
  category: 'vendorcategory',
  class: 'classification',
  units: 'unitstype',
  stockUnit: 'unitstype',
  purchaseUnit: 'unitstype',
  incoterm: 'incoterm',
};
