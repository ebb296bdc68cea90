import { decimalBetween, intBetween, pick, seededRandom } from '../../sandbox-kit/seeded.js';
import { EMPTY_GUID, type BcCompany, type BcItem, type BcPurchaseInvoice, type BcPurchaseInvoiceLine, type BcPurchaseOrder, type BcPurchaseOrderLine, type BcVendor } from '../raw-types.js';
import { computeLineAmounts, withInvoiceTotals, withOrderTotals } from './amounts.js';
import { DAY_MS, isoDate } from './clock.js';
import { etagFor, KIND, seededGuid, type Kind } from './ids.js';
import { CITIES, COMPANY_NAMES, ITEM_WORDS, PURCHASERS, STREETS, VENDOR_WORDS, referenceData, type ReferenceData } from './reference-data.js';

/**
 * Seeded records of one company, each a pure function of (seed, company, index). Change times
 * grow with the index (one record a minute from each table's base date, with a random millisecond
 * offset inside the minute), so timestamp-ordered scans can binary-search where to start.
 */
export interface SeedCounts {
  vendors: number;
  items: number;
  orders: number;
  /** Orders fully invoiced (and so gone from purchaseOrders) before the seed's "now"; one posted invoice each. */
  closedOrders: number;
}

const STEP_MS = 60_000;
const BASE_MS: Record<'vendor' | 'item' | 'order' | 'invoice', number> = {
  vendor: Date.UTC(2022, 0, 3),
  item: Date.UTC(2022, 0, 4),
  invoice: Date.UTC(2023, 0, 2),
  order: Date.UTC(2024, 0, 1),
};

/** Order numbers from one series, fixed width so text order (how BC sorts Code fields) is number order. */
export function orderNumber(n: number): string {
  return `PO${String(n).padStart(7, '0')}`;
}

export type OrderRow = BcPurchaseOrder & { purchaseOrderLines: BcPurchaseOrderLine[] };
export type InvoiceRow = BcPurchaseInvoice & { purchaseInvoiceLines: BcPurchaseInvoiceLine[] };

export class SeededCompany {
  readonly ref: ReferenceData;
  readonly company: BcCompany;

  constructor(readonly seed: number, readonly index: number, readonly counts: SeedCounts) {
    this.ref = referenceData(seed, index);
    const created = new Date(BASE_MS.vendor - DAY_MS).toISOString();
    this.company = {
      id: seededGuid(seed, 'company', index, 0),
      systemVersion: '24.0.16410.18056',
      timestamp: 1_000 + index,
      name: COMPANY_NAMES[index % COMPANY_NAMES.length]!,
      displayName: COMPANY_NAMES[index % COMPANY_NAMES.length]!,
      businessProfileId: '',
      systemCreatedAt: created,
      systemCreatedBy: EMPTY_GUID,
      systemModifiedAt: created,
      systemModifiedBy: EMPTY_GUID,
    };
  }

  /** Newest seeded change time in this company, ms. */
  latestSeededMs(): number {
    return Math.max(
      this.timeMs('vendor', this.counts.vendors - 1),
      this.timeMs('item', this.counts.items - 1),
      this.timeMs('order', this.counts.orders - 1),
      this.timeMs('invoice', this.counts.closedOrders - 1),
    );
  }

  timeMs(table: keyof typeof BASE_MS, index: number): number {
    if (index < 0) return 0;
    const jitter = Math.floor(seededRandom(this.seed ^ 0x5bd1e995 ^ (this.index << 8), index + 7_000_000 * Object.keys(BASE_MS).indexOf(table))() * (STEP_MS - 1));
    return BASE_MS[table] + index * STEP_MS + jitter;
  }

  guid(kind: Kind, index: number, sub = 0): string {
    return seededGuid(this.seed, kind, this.index, index, sub);
  }

  private etag(kind: Kind, index: number, sub = 0): string {
    return etagFor(1_000_000_000_000_000_000n + BigInt(KIND[kind]) * 10n ** 15n + BigInt(index) * 64n + BigInt(sub));
  }

  private random(kind: Kind, index: number): () => number {
    return seededRandom(this.seed ^ (KIND[kind] * 0x01000193) ^ (this.index << 16), index);
  }

  vendor(i: number): BcVendor {
    const r = this.random('vendor', i);
    const place = pick(r, CITIES);
    const name = `${pick(r, VENDOR_WORDS.first)} ${pick(r, VENDOR_WORDS.second)} ${pick(r, VENDOR_WORDS.suffix)}`;
    const foreign = r() < 0.15;
    const currencyCode = foreign ? pick(r, ['EUR', 'GBP', 'CAD'] as const) : this.ref.lcy;
    const blockedRoll = r();
    const slug = name.toLowerCase().replace(/[^a-z]+/g, '');
    return {
      '@odata.etag': this.etag('vendor', i),
      id: this.guid('vendor', i),
      number: String(10000 + i * 10),
      displayName: name,
      addressLine1: `${intBetween(r, 1, 999)} ${pick(r, STREETS)}`,
      addressLine2: r() < 0.2 ? `Suite ${intBetween(r, 100, 900)}` : '',
      city: place.city,
      state: place.state,
      country: 'US',
      postalCode: place.postCode,
      phoneNumber: `+1 ${intBetween(r, 200, 989)}-555-0${intBetween(r, 100, 199)}`,
      email: `orders@${slug.slice(0, 24)}.example.com`,
      website: `www.${slug.slice(0, 24)}.example.com`,
      taxRegistrationNumber: r() < 0.7 ? `${intBetween(r, 10, 99)}-${intBetween(r, 1000000, 9999999)}` : '',
      currencyId: foreign ? this.ref.currencies[currencyCode]! : EMPTY_GUID,
      currencyCode,
      irs1099Code: r() < 0.1 ? 'MISC-07' : '',
      paymentTermsId: this.ref.paymentTerms[pick(r, Object.keys(this.ref.paymentTerms))]!,
      paymentMethodId: this.ref.paymentMethods[pick(r, Object.keys(this.ref.paymentMethods))]!,
      taxLiable: r() < 0.5,
      blocked: blockedRoll < 0.9 ? ' ' : blockedRoll < 0.95 ? 'Payment' : 'All',
      balance: Number(decimalBetween(r, 0, 25_000, 2)),
      lastModifiedDateTime: new Date(this.timeMs('vendor', i)).toISOString(),
    };
  }

  item(i: number): BcItem {
    const r = this.random('item', i);
    const typeRoll = r();
    const type = typeRoll < 0.85 ? 'Inventory' : typeRoll < 0.95 ? 'Non-Inventory' : 'Service';
    const unit = type === 'Service' ? 'PCS' : pick(r, ['PCS', 'PCS', 'BOX', 'KG', 'L', 'M'] as const);
    const category = pick(r, Object.keys(this.ref.itemCategories));
    const unitCost = Number(decimalBetween(r, 0.5, 900, 2));
    const taxGroup = r() < 0.8 ? 'TAXABLE' : 'NONTAXABLE';
    const stock = unit === 'KG' || unit === 'L' ? Number(decimalBetween(r, 0, 800, 1)) : intBetween(r, 0, 500);
    return {
      '@odata.etag': this.etag('item', i),
      id: this.guid('item', i),
      number: `${1896 + i}-S`,
      displayName: `${pick(r, ITEM_WORDS.noun)} ${pick(r, ITEM_WORDS.spec)}`,
      type,
      itemCategoryId: this.ref.itemCategories[category]!,
      itemCategoryCode: category,
      blocked: r() < 0.03,
      gtin: r() < 0.6 ? String(intBetween(r, 100000, 999999)) + String(intBetween(r, 1000000, 9999999)) : '',
      inventory: type === 'Inventory' ? stock : 0,
      unitPrice: Number((unitCost * 1.35).toFixed(2)),
      priceIncludesTax: false,
      unitCost,
      taxGroupId: this.ref.taxGroups[taxGroup]!,
      taxGroupCode: taxGroup,
      baseUnitOfMeasureId: this.ref.units[unit]!,
      baseUnitOfMeasureCode: unit,
      generalProductPostingGroupId: this.ref.postingGroups[type === 'Service' ? 'SERVICES' : 'RETAIL']!,
      generalProductPostingGroupCode: type === 'Service' ? 'SERVICES' : 'RETAIL',
      inventoryPostingGroupId: type === 'Inventory' ? this.ref.postingGroups.RESALE! : EMPTY_GUID,
      inventoryPostingGroupCode: type === 'Inventory' ? 'RESALE' : '',
      lastModifiedDateTime: new Date(this.timeMs('item', i)).toISOString(),
    };
  }

  /** Open purchase order i with its lines; the number continues after the closed orders' numbers. */
  order(i: number): OrderRow {
    const r = this.random('order', i);
    const changedMs = this.timeMs('order', i);
    const orderMs = changedMs - intBetween(r, 0, 10) * DAY_MS;
    const vendor = this.vendor(Math.floor(r() * this.counts.vendors));
    const statusRoll = r();
    const status = statusRoll < 0.15 ? 'Draft' : statusRoll < 0.25 ? 'In Review' : 'Open';
    const receiving = status === 'Open' ? r() : 0;
    const requestedMs = orderMs + intBetween(r, 7, 30) * DAY_MS;
    const id = this.guid('order', i);
    const lineCount = intBetween(r, 1, 4);
    const lines: BcPurchaseOrderLine[] = [];
    for (let n = 0; n < lineCount; n++) {
      lines.push(this.orderLine(r, id, i, n, requestedMs, receiving, vendor.currencyCode));
    }
    if (r() < 0.05) lines.push(this.commentLine(id, i, lineCount));
    const order: BcPurchaseOrder = {
      '@odata.etag': this.etag('order', i),
      id,
      number: orderNumber(106001 + this.counts.closedOrders + i),
      orderDate: isoDate(orderMs),
      postingDate: isoDate(orderMs),
      ...this.vendorParties(vendor),
      ...this.shipTo(),
      shortcutDimension1Code: pick(r, ['', 'SALES', 'ADM', 'PROD'] as const),
      shortcutDimension2Code: '',
      currencyId: vendor.currencyId,
      currencyCode: vendor.currencyCode,
      pricesIncludeTax: false,
      paymentTermsId: vendor.paymentTermsId,
      shipmentMethodId: this.ref.shipmentMethods.DEL!,
      purchaser: pick(r, PURCHASERS),
      requestedReceiptDate: isoDate(requestedMs),
      discountAmount: 0,
      discountAppliedBeforeTax: true,
      totalAmountExcludingTax: 0,
      totalTaxAmount: 0,
      totalAmountIncludingTax: 0,
      fullyReceived: false,
      status,
      lastModifiedDateTime: new Date(changedMs).toISOString(),
    };
    return { ...withOrderTotals(order, lines), purchaseOrderLines: lines };
  }

  /** The posted invoice of closed order j (the order itself no longer exists). */
  closedOrderInvoice(j: number): InvoiceRow {
    const r = this.random('invoice', j);
    const changedMs = this.timeMs('invoice', j);
    const postedMs = changedMs - intBetween(r, 0, 20) * DAY_MS;
    const vendor = this.vendor(Math.floor(r() * this.counts.vendors));
    const id = this.guid('invoice', j);
    const lineCount = intBetween(r, 1, 4);
    const lines: BcPurchaseInvoiceLine[] = [];
    for (let n = 0; n < lineCount; n++) {
      const { receivedQuantity: _r, invoicedQuantity: _i, invoiceQuantity: _iq, receiveQuantity: _rq, ...line } = this.orderLine(r, id, j, n, postedMs, 1, vendor.currencyCode, 'invoiceLine');
      lines.push(line);
    }
    const { payToVendorId, ...parties } = this.vendorParties(vendor);
    const invoice: BcPurchaseInvoice = {
      '@odata.etag': this.etag('invoice', j),
      id,
      number: `PPI${String(100001 + j)}`,
      invoiceDate: isoDate(postedMs),
      postingDate: isoDate(postedMs),
      dueDate: isoDate(postedMs + 30 * DAY_MS),
      vendorInvoiceNumber: `VI-${intBetween(r, 10000, 99999)}`,
      ...parties,
      payToVendorId,
      payToContact: '',
      ...this.shipTo(),
      shortcutDimension1Code: '',
      shortcutDimension2Code: '',
      currencyId: vendor.currencyId,
      currencyCode: vendor.currencyCode,
      orderId: this.guid('closedOrder', j),
      orderNumber: orderNumber(106001 + j),
      purchaser: pick(r, PURCHASERS),
      pricesIncludeTax: false,
      discountAmount: 0,
      discountAppliedBeforeTax: true,
      totalAmountExcludingTax: 0,
      totalTaxAmount: 0,
      totalAmountIncludingTax: 0,
      status: r() < 0.7 ? 'Paid' : 'Open',
      lastModifiedDateTime: new Date(changedMs).toISOString(),
    };
    return { ...withInvoiceTotals(invoice, lines), purchaseInvoiceLines: lines };
  }

  private orderLine(r: () => number, documentId: string, docIndex: number, n: number, expectedMs: number, receiving: number, currency: string, kind: 'orderLine' | 'invoiceLine' = 'orderLine'): BcPurchaseOrderLine {
    const item = this.item(Math.floor(r() * this.counts.items));
    const quantity = intBetween(r, 1, 100);
    const received = receiving > 0.75 ? quantity : receiving > 0.5 ? Math.floor(quantity / 2) : 0;
    const invoiced = received > 0 && r() < 0.2 ? Math.floor(received / 2) : 0;
    const rate = currency === this.ref.lcy ? 1 : 0.9;
    const line: BcPurchaseOrderLine = {
      '@odata.etag': this.etag(kind, docIndex, n + 1),
      id: this.guid(kind, docIndex, n + 1),
      documentId,
      sequence: (n + 1) * 10000,
      itemId: item.id,
      accountId: EMPTY_GUID,
      lineType: 'Item',
      lineObjectNumber: item.number,
      description: item.displayName,
      unitOfMeasureId: item.baseUnitOfMeasureId,
      unitOfMeasureCode: item.baseUnitOfMeasureCode,
      quantity,
      directUnitCost: Number((item.unitCost * rate).toFixed(2)),
      discountAmount: 0,
      discountPercent: r() < 0.2 ? 5 : 0,
      discountAppliedBeforeTax: true,
      amountExcludingTax: 0,
      taxCode: item.taxGroupCode,
      taxPercent: item.taxGroupCode === 'TAXABLE' ? pick(r, [0, 5, 8.25] as const) : 0,
      totalTaxAmount: 0,
      amountIncludingTax: 0,
      invoiceDiscountAllocation: 0,
      netAmount: 0,
      netTaxAmount: 0,
      netAmountIncludingTax: 0,
      expectedReceiptDate: isoDate(expectedMs),
      receivedQuantity: received,
      invoicedQuantity: invoiced,
      invoiceQuantity: received - invoiced,
      receiveQuantity: quantity - received,
      itemVariantId: EMPTY_GUID,
      locationId: this.ref.locations[pick(r, ['MAIN', 'MAIN', 'EAST', 'WEST'] as const)]!,
    };
    return computeLineAmounts(line);
  }

  private commentLine(documentId: string, docIndex: number, n: number): BcPurchaseOrderLine {
    return computeLineAmounts({
      '@odata.etag': this.etag('orderLine', docIndex, n + 1),
      id: this.guid('orderLine', docIndex, n + 1),
      documentId, sequence: (n + 1) * 10000, itemId: EMPTY_GUID, accountId: EMPTY_GUID, lineType: 'Comment',
      lineObjectNumber: '', description: 'Deliver to receiving dock 3', unitOfMeasureId: EMPTY_GUID, unitOfMeasureCode: '',
      quantity: 0, directUnitCost: 0, discountAmount: 0, discountPercent: 0, discountAppliedBeforeTax: true, amountExcludingTax: 0,
      taxCode: '', taxPercent: 0, totalTaxAmount: 0, amountIncludingTax: 0, invoiceDiscountAllocation: 0, netAmount: 0, netTaxAmount: 0,
      netAmountIncludingTax: 0, expectedReceiptDate: '0001-01-01', receivedQuantity: 0, invoicedQuantity: 0, invoiceQuantity: 0,
      receiveQuantity: 0, itemVariantId: EMPTY_GUID, locationId: EMPTY_GUID,
    });
  }

  vendorParties(vendor: BcVendor) {
    return {
      vendorId: vendor.id,
      vendorNumber: vendor.number,
      vendorName: vendor.displayName,
      payToName: vendor.displayName,
      payToVendorId: vendor.id,
      payToVendorNumber: vendor.number,
      buyFromAddressLine1: vendor.addressLine1,
      buyFromAddressLine2: vendor.addressLine2,
      buyFromCity: vendor.city,
      buyFromCountry: vendor.country,
      buyFromState: vendor.state,
      buyFromPostCode: vendor.postalCode,
      payToAddressLine1: vendor.addressLine1,
      payToAddressLine2: vendor.addressLine2,
      payToCity: vendor.city,
      payToCountry: vendor.country,
      payToState: vendor.state,
      payToPostCode: vendor.postalCode,
    };
  }

  shipTo() {
    return {
      shipToName: this.company.displayName,
      shipToContact: 'Receiving',
      shipToAddressLine1: '7122 South Ashford Street',
      shipToAddressLine2: 'Westminster',
      shipToCity: 'Atlanta',
      shipToCountry: 'US',
      shipToState: 'GA',
      shipToPostCode: '31772',
    };
  }
}
