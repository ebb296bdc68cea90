import { restDateTime } from './clock.js';
import {
  PO_STATUS_TEXT, REF_TARGETS, type Address, type InventoryItem, type PurchaseOrder, type RecordType, type Ref, type Vendor,
} from './records.js';

/**
 * Stored record → REST body as `GET /record/v1/{type}/{id}` returns it: links on the record, its
 * references and sublists (hrefs in lowercase, as NetSuite writes them), empty fields left out,
 * numbers as JSON numbers, datetimes ISO UTC with minute precision. Without `expandSubResources`
 * sublists and subrecords are only `{links}`.
 */
export interface RenderContext {
  /** `https://1234567-sb1.suitetalk.api.netsuite.com` or the loopback URL the client called. */
  origin: string;
  expand: boolean;
}

type Json = Record<string, unknown>;

const self = (href: string): { rel: string; href: string }[] => [{ rel: 'self', href }];

export function recordHref(origin: string, type: string, id: string): string {
  return `${origin}/services/rest/record/v1/${type.toLowerCase()}/${id}`;
}

function ref(ctx: RenderContext, field: string, value: Ref | null | undefined): Json | undefined {
  if (!value) return undefined;
  const target = REF_TARGETS[field];
  return target ? { links: self(recordHref(ctx.origin, target, value.id)), id: value.id, refName: value.refName } : { id: value.id, refName: value.refName };
}

/** Drops null/undefined fields: NetSuite does not send fields without a value. */
function compact(body: Json): Json {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null && value !== undefined));
}

function addressText(address: Address): string {
  return [address.addressee, address.addr1, `${address.city} ${address.state} ${address.zip}`, address.country.refName].join('\n');
}

function subrecord(ctx: RenderContext, href: string, address: Address): Json {
  if (!ctx.expand) return { links: self(href) };
  return compact({ links: self(href), addr1: address.addr1, addressee: address.addressee, addrText: addressText(address), city: address.city, country: { id: address.country.id, refName: address.country.refName }, state: address.state, zip: address.zip });
}

function sublist(ctx: RenderContext, href: string, rows: Json[]): Json {
  if (!ctx.expand) return { links: self(href) };
  return { links: self(href), items: rows, totalResults: rows.length };
}

const money = (value: number): number => Math.round(value * 100) / 100;

export function poTotals(po: PurchaseOrder): { subtotal: number; taxTotal: number; total: number } {
  const subtotal = money(po.lines.reduce((sum, line) => sum + line.quantity * line.rate, 0));
  const taxTotal = money(subtotal * po.taxRate);
  return { subtotal, taxTotal, total: money(subtotal + taxTotal) };
}

export function renderPurchaseOrder(ctx: RenderContext, po: PurchaseOrder): Json {
  const href = recordHref(ctx.origin, 'purchaseorder', po.id);
  const statusText = PO_STATUS_TEXT[po.orderStatus] ?? po.orderStatus;
  const lines = po.lines.map((line) =>
    compact({
      links: self(`${href}/item/${line.line}`),
      amount: money(line.quantity * line.rate),
      description: line.description,
      expectedReceiptDate: line.expectedReceiptDate,
      isClosed: line.isClosed,
      item: ref(ctx, 'item', line.item),
      itemType: { id: line.itemType, refName: line.itemType },
      line: line.line,
      location: ref(ctx, 'location', line.location),
      quantity: line.quantity,
      quantityBilled: line.quantityBilled,
      quantityReceived: line.quantityReceived,
      rate: line.rate,
      units: { id: line.units.id, refName: line.units.refName },
      ...line.custom,
    }),
  );
  return compact({
    links: self(href),
    approvalStatus: { id: po.approvalStatus.id, refName: po.approvalStatus.refName },
    billingAddress: subrecord(ctx, `${href}/billingAddress`, po.billingAddress),
    createdDate: restDateTime(po.createdMs),
    currency: ref(ctx, 'currency', po.currency),
    customForm: { id: '98', refName: 'Standard Purchase Order' },
    department: ref(ctx, 'department', po.department),
    dueDate: po.dueDate,
    employee: ref(ctx, 'employee', po.employee),
    entity: ref(ctx, 'entity', po.entity),
    exchangeRate: po.exchangeRate,
    externalId: po.externalId,
    id: po.id,
    incoterm: ref(ctx, 'incoterm', po.incoterm),
    item: sublist(ctx, `${href}/item`, lines),
    lastModifiedDate: restDateTime(po.modifiedMs),
    location: ref(ctx, 'location', po.location),
    memo: po.memo,
    orderStatus: { id: po.orderStatus, refName: po.orderStatus },
    otherRefNum: po.otherRefNum,
    shipDate: po.shipDate,
    shippingAddress: subrecord(ctx, `${href}/shippingAddress`, po.shippingAddress),
    status: { id: statusText, refName: statusText },
    subsidiary: ref(ctx, 'subsidiary', po.subsidiary),
    ...poTotals(po),
    terms: ref(ctx, 'terms', po.terms),
    tranDate: po.tranDate,
    tranId: po.tranId,
    ...po.custom,
  });
}

export function renderVendor(ctx: RenderContext, vendor: Vendor): Json {
  const href = recordHref(ctx.origin, 'vendor', vendor.id);
  const book = vendor.addresses.map((entry, index) =>
    compact({
      links: self(`${href}/addressBook/${index + 1}`),
      addressBookAddress: subrecord({ ...ctx, expand: true }, `${href}/addressBook/${index + 1}/addressBookAddress`, entry.address),
      defaultBilling: entry.defaultBilling,
      defaultShipping: entry.defaultShipping,
      id: index + 1,
      label: entry.label,
    }),
  );
  const primary = vendor.addresses.find((entry) => entry.defaultBilling) ?? vendor.addresses[0];
  return compact({
    links: self(href),
    accountNumber: vendor.accountNumber,
    addressBook: sublist(ctx, `${href}/addressBook`, book),
    balance: vendor.balance,
    category: ref(ctx, 'category', vendor.category),
    comments: vendor.comments,
    companyName: vendor.companyName,
    currency: ref(ctx, 'currency', vendor.currency),
    dateCreated: restDateTime(vendor.createdMs),
    defaultAddress: primary ? addressText(primary.address) : null,
    email: vendor.email,
    entityId: vendor.entityId,
    externalId: vendor.externalId,
    id: vendor.id,
    isInactive: vendor.isInactive,
    isPerson: vendor.isPerson,
    lastModifiedDate: restDateTime(vendor.modifiedMs),
    legalName: vendor.legalName,
    phone: vendor.phone,
    subsidiary: ref(ctx, 'subsidiary', vendor.subsidiary),
    taxIdNum: vendor.taxIdNum,
    terms: ref(ctx, 'terms', vendor.terms),
    url: vendor.url,
    ...vendor.custom,
  });
}

export function renderInventoryItem(ctx: RenderContext, item: InventoryItem): Json {
  const href = recordHref(ctx.origin, 'inventoryitem', item.id);
  const locations = item.locations.map((row, index) =>
    compact({
      links: self(`${href}/locations/${index + 1}`),
      location: ref(ctx, 'location', row.location),
      preferredStockLevel: row.preferredStockLevel,
      quantityAvailable: row.quantityAvailable,
      quantityCommitted: row.quantityCommitted,
      quantityOnHand: row.quantityOnHand,
      quantityOnOrder: row.quantityOnOrder,
      reorderPoint: row.reorderPoint,
    }),
  );
  const vendors = item.vendors.map((row, index) =>
    compact({ links: self(`${href}/itemVendor/${index + 1}`), preferredVendor: row.preferredVendor, purchasePrice: row.purchasePrice, vendor: ref(ctx, 'vendor', row.vendor), vendorCode: row.vendorCode }),
  );
  return compact({
    links: self(href),
    averageCost: item.averageCost,
    class: ref(ctx, 'class', item.class),
    cost: item.cost,
    createdDate: restDateTime(item.createdMs),
    currency: ref(ctx, 'currency', item.currency),
    displayName: item.displayName,
    externalId: item.externalId,
    id: item.id,
    isInactive: item.isInactive,
    itemId: item.itemId,
    itemType: { id: 'InvtPart', refName: 'InvtPart' },
    itemVendor: sublist(ctx, `${href}/itemVendor`, vendors),
    lastModifiedDate: restDateTime(item.modifiedMs),
    lastPurchasePrice: item.lastPurchasePrice,
    locations: sublist(ctx, `${href}/locations`, locations),
    manufacturer: item.manufacturer,
    mpn: item.mpn,
    purchaseDescription: item.purchaseDescription,
    purchaseUnit: ref(ctx, 'purchaseUnit', item.purchaseUnit),
    salesDescription: item.salesDescription,
    stockUnit: ref(ctx, 'stockUnit', item.stockUnit),
    totalQuantityOnHand: item.locations.reduce((sum, row) => sum + row.quantityOnHand, 0),
    upcCode: item.upcCode,
    ...item.custom,
  });
}

export function renderRecord(ctx: RenderContext, type: RecordType, record: PurchaseOrder | Vendor | InventoryItem): Json {
  if (type === 'purchaseorder') return renderPurchaseOrder(ctx, record as PurchaseOrder);
  if (type === 'vendor') return renderVendor(ctx, record as Vendor);
  return renderInventoryItem(ctx, record as InventoryItem);
}
