import { intBetween, pick, seededRandom } from '../../sandbox-kit/seeded.js';
import { MINUTE_MS, restDate } from './clock.js';
import {
  APPROVAL_STATUSES, COUNTRIES, CURRENCIES, DEPARTMENTS, EMPLOYEES, INCOTERMS, LOCATIONS, SUBSIDIARIES, TERMS, UNITS,
  VENDOR_CATEGORIES, type Address, type InventoryItem, type PurchaseOrder, type RecordType, type Vendor,
} from './records.js';

/**
 * Seeded records: record i of each type is a pure function of (seed, i). Generated records are
 * ordered by (lastModifiedDate, id) in index order: two records per minute from 2024-01-01 UTC,
 * so several records share a minute (NetSuite's timestamps have minute precision) and a stream
 * must break ties on the id.
 */
export const BASE_MS = Date.UTC(2024, 0, 1);
export const RECORDS_PER_MINUTE = 2;

export interface DatasetShape {
  purchaseorder: number;
  vendor: number;
  inventoryitem: number;
}

/** `size` is the number of purchase orders; vendors and items scale with it. */
export function shapeFor(size: number): DatasetShape {
  return { purchaseorder: size, vendor: Math.max(3, Math.ceil(size / 10)), inventoryitem: Math.max(5, Math.ceil(size / 5)) };
}

/** First internal id of each type's generated records (NetSuite numbers each family on its own). */
export const FIRST_ID: Record<RecordType, number> = { purchaseorder: 1000, vendor: 100, inventoryitem: 500 };

/** Salt per type so vendor i and item i do not share a random stream. */
const SALT: Record<RecordType, number> = { purchaseorder: 0x51ed, vendor: 0x7e4d, inventoryitem: 0x17e3 };

export function generatedId(type: RecordType, index: number): string {
  return String(FIRST_ID[type] + index);
}

export function generatedIndex(type: RecordType, id: string, count: number): number | undefined {
  if (!/^\d+$/.test(id)) return undefined;
  const index = Number(id) - FIRST_ID[type];
  return index >= 0 && index < count ? index : undefined;
}

export function generatedModifiedMs(index: number): number {
  return BASE_MS + Math.floor(index / RECORDS_PER_MINUTE) * MINUTE_MS;
}

const COMPANY_WORDS = ['Acme', 'Northwind', 'Summit', 'Keystone', 'Bluewater', 'Ironclad', 'Pioneer', 'Harbor', 'Granite', 'Redwood'];
const COMPANY_KINDS = ['Industrial Supply', 'Bearings', 'Fasteners', 'Hydraulics', 'Electric', 'Tooling', 'Safety Products', 'Pumps'];
const CITIES: readonly [string, string, string, string][] = [
  ['Cleveland', 'OH', '44114', 'US'],
  ['Milwaukee', 'WI', '53202', 'US'],
  ['Hamilton', 'ON', 'L8P 4R5', 'CA'],
  ['Sheffield', 'ENG', 'S1 2HE', 'GB'],
  ['Houston', 'TX', '77002', 'US'],
];
const PARTS = ['Ball Bearing 6204-2RS', 'Hex Bolt M12x40', 'Hydraulic Hose 1/2in', 'V-Belt B48', 'Proximity Sensor M18', 'Gear Oil ISO 220', 'Filter Cartridge 10um', 'Safety Gloves L', 'Contactor 3P 40A', 'Pump Seal Kit'];

function address(random: () => number, addressee: string): Address {
  const [city, state, zip, country] = pick(random, CITIES);
  return {
    addressee,
    addr1: `${intBetween(random, 10, 9999)} ${pick(random, ['Industrial Pkwy', 'Main St', 'Harbor Rd', 'Mill Ln'])}`,
    city,
    state,
    zip,
    country: COUNTRIES.find((c) => c.id === country)!,
  };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

export function generateVendor(seed: number, index: number): Vendor {
  const random = seededRandom(seed ^ SALT.vendor, index);
  const companyName = `${pick(random, COMPANY_WORDS)} ${pick(random, COMPANY_KINDS)} ${index + 1}`;
  const modifiedMs = generatedModifiedMs(index);
  const billing = address(random, companyName);
  return {
    id: generatedId('vendor', index),
    entityId: `V${String(index + 1).padStart(5, '0')}`,
    companyName,
    legalName: `${companyName} LLC`,
    isPerson: false,
    isInactive: random() < 0.1,
    email: `ap@vendor${index + 1}.example.com`,
    phone: `+1 216 555 ${String(1000 + (index % 9000)).padStart(4, '0')}`,
    url: `https://vendor${index + 1}.example.com`,
    accountNumber: `ACCT-${10000 + index}`,
    taxIdNum: `${intBetween(random, 10, 99)}-${intBetween(random, 1000000, 9999999)}`,
    balance: round2(random() * 25_000),
    currency: CURRENCIES[0]!,
    subsidiary: SUBSIDIARIES[0]!,
    terms: pick(random, TERMS),
    category: pick(random, VENDOR_CATEGORIES),
    comments: random() < 0.3 ? 'Preferred supplier for spare parts.' : null,
    createdMs: modifiedMs - intBetween(random, 30, 900) * 24 * 60 * MINUTE_MS,
    modifiedMs,
    externalId: random() < 0.5 ? `LEGACY-V-${index + 1}` : null,
    addresses: [{ label: 'Remit To', defaultBilling: true, defaultShipping: true, address: billing }],
    custom: { custentity_mr_supplier_tier: pick(random, ['Gold', 'Silver', 'Bronze']), custentity_mr_1099_eligible: random() < 0.2 },
  };
}

export function generateInventoryItem(seed: number, index: number, vendorCount: number, vendorName: (id: string) => string): InventoryItem {
  const random = seededRandom(seed ^ SALT.inventoryitem, index);
  const part = pick(random, PARTS);
  const cost = round2(intBetween(random, 100, 50_000) / 100);
  const modifiedMs = generatedModifiedMs(index);
  const vendorIndex = intBetween(random, 0, vendorCount - 1);
  const locations = LOCATIONS.filter((_, i) => i === 0 || random() < 0.6).map((location) => {
    const onHand = intBetween(random, 0, 400);
    const committed = Math.min(onHand, intBetween(random, 0, 40));
    return {
      location,
      quantityOnHand: onHand,
      quantityAvailable: onHand - committed,
      quantityCommitted: committed,
      quantityOnOrder: intBetween(random, 0, 100),
      reorderPoint: random() < 0.8 ? intBetween(random, 5, 50) : null,
      preferredStockLevel: random() < 0.8 ? intBetween(random, 60, 300) : null,
    };
  });
  return {
    id: generatedId('inventoryitem', index),
    itemId: `ITM-${String(index + 1).padStart(6, '0')}`,
    displayName: `${part} (${index + 1})`,
    purchaseDescription: `${part}, purchase spec rev ${intBetween(random, 1, 9)}`,
    salesDescription: null,
    isInactive: random() < 0.05,
    upcCode: random() < 0.7 ? String(intBetween(random, 100000000, 999999999)) + String(intBetween(random, 100, 999)) : null,
    manufacturer: pick(random, ['SKF', 'Parker', 'Gates', 'Siemens', 'Timken']),
    mpn: `MPN-${intBetween(random, 10000, 99999)}`,
    cost,
    averageCost: round2(cost * (0.9 + random() * 0.2)),
    lastPurchasePrice: round2(cost * (0.95 + random() * 0.1)),
    currency: CURRENCIES[0]!,
    stockUnit: UNITS[0]!,
    purchaseUnit: pick(random, UNITS),
    class: null,
    createdMs: modifiedMs - intBetween(random, 30, 900) * 24 * 60 * MINUTE_MS,
    modifiedMs,
    externalId: null,
    locations,
    vendors: [{ vendor: { id: generatedId('vendor', vendorIndex), refName: vendorName(generatedId('vendor', vendorIndex)) }, preferredVendor: true, purchasePrice: cost, vendorCode: `VP-${intBetween(random, 1000, 9999)}` }],
    custom: { custitem_mr_criticality: pick(random, ['A', 'B', 'C']) },
  };
}

/** Letters weighted towards open orders, as in a live account. */
const STATUS_WEIGHTS: readonly [string, number][] = [['A', 0.08], ['B', 0.3], ['C', 0.02], ['D', 0.1], ['E', 0.1], ['F', 0.12], ['G', 0.2], ['H', 0.08]];

function statusLetter(random: () => number): string {
  let roll = random();
  for (const [letter, weight] of STATUS_WEIGHTS) {
    roll -= weight;
    if (roll <= 0) return letter;
  }
  return 'B';
}

export function generatePurchaseOrder(seed: number, index: number, shape: DatasetShape, vendorName: (id: string) => string, itemName: (id: string) => string): PurchaseOrder {
  const random = seededRandom(seed ^ SALT.purchaseorder, index);
  const modifiedMs = generatedModifiedMs(index);
  const createdMs = modifiedMs - intBetween(random, 0, 60) * 24 * 60 * MINUTE_MS;
  const vendorId = generatedId('vendor', intBetween(random, 0, shape.vendor - 1));
  const letter = statusLetter(random);
  const location = pick(random, LOCATIONS);
  const lineCount = intBetween(random, 1, 4);
  const received = (quantity: number): number => (['D', 'E'].includes(letter) ? Math.floor(quantity / 2) : ['F', 'G', 'H'].includes(letter) ? quantity : 0);
  const lines = Array.from({ length: lineCount }, (_, line) => {
    const itemId = generatedId('inventoryitem', intBetween(random, 0, shape.inventoryitem - 1));
    const quantity = intBetween(random, 1, 50);
    return {
      line: line + 1,
      item: { id: itemId, refName: itemName(itemId) },
      itemType: 'InvtPart',
      description: `Replenishment for ${location.refName}`,
      quantity,
      rate: round2(intBetween(random, 50, 90_000) / 100),
      units: UNITS[0]!,
      quantityReceived: received(quantity),
      quantityBilled: letter === 'G' || letter === 'H' ? quantity : 0,
      isClosed: letter === 'H',
      location,
      expectedReceiptDate: restDate(createdMs + intBetween(random, 7, 45) * 24 * 60 * MINUTE_MS),
      custom: { custcol_mr_cost_center: `CC-${intBetween(random, 100, 140)}` },
    };
  });
  const shipTo = address(random, location.refName);
  return {
    id: generatedId('purchaseorder', index),
    tranId: `PO${10000 + index}`,
    tranDate: restDate(createdMs),
    createdMs,
    modifiedMs,
    entity: { id: vendorId, refName: vendorName(vendorId) },
    orderStatus: letter,
    approvalStatus: letter === 'A' ? APPROVAL_STATUSES[0]! : letter === 'C' ? APPROVAL_STATUSES[2]! : APPROVAL_STATUSES[1]!,
    currency: CURRENCIES[0]!,
    exchangeRate: 1,
    subsidiary: SUBSIDIARIES[0]!,
    location,
    department: pick(random, DEPARTMENTS),
    employee: pick(random, EMPLOYEES),
    terms: pick(random, TERMS),
    incoterm: random() < 0.5 ? pick(random, INCOTERMS) : null,
    memo: random() < 0.4 ? 'Deliver to dock 3, 7am-3pm.' : null,
    otherRefNum: random() < 0.3 ? `REQ-${intBetween(random, 1000, 9999)}` : null,
    dueDate: restDate(createdMs + 30 * 24 * 60 * MINUTE_MS),
    shipDate: random() < 0.5 ? restDate(createdMs + 5 * 24 * 60 * MINUTE_MS) : null,
    taxRate: pick(random, [0, 0, 0.0725]),
    billingAddress: { addressee: 'Honeycomb Mfg.', addr1: '100 Foundry Way', city: 'Cleveland', state: 'OH', zip: '44114', country: COUNTRIES[0]! },
    shippingAddress: shipTo,
    externalId: null,
    lines,
    custom: {
      custbody_mr_project_code: random() < 0.5 ? `PRJ-${intBetween(random, 100, 999)}` : null,
      custbody_mr_rush_order: random() < 0.15,
      custbody_mr_work_order_ref: random() < 0.2 ? `WO-${intBetween(random, 10000, 99999)}` : null,
    },
  };
}
