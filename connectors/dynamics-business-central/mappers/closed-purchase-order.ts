import type { MappedRecord, PurchaseOrderLine } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import type { BcClosedPurchaseOrder, BcPurchaseInvoice, BcPurchaseInvoiceLine } from '../raw-types.js';
import { bcAddress } from './address.js';
import { contextOf, decimal, guidOrNull, remoteIdOf, requiredGuid, requiredString, sumAmounts, text, timestamp } from './values.js';

/**
 * An order Business Central deleted after it was fully invoiced, rebuilt from its posted invoices:
 * status `closed`, totals and lines summed over every invoice of the order (an order invoiced in
 * parts has several). Order-only facts the invoices do not carry (order date, requested date,
 * receipt progress) are null; the invoices themselves stay in remote_data.
 */
export function mapClosedPurchaseOrder(raw: BcClosedPurchaseOrder, ctx: MapContext): MappedRecord<'purchase_order'> {
  const { companyId } = contextOf(raw);
  const id = requiredGuid(raw.id, 'id');
  const number = requiredString(raw.number, 'number');
  if (!Array.isArray(raw.purchaseInvoices) || raw.purchaseInvoices.length === 0) {
    throw new MappingError('purchaseInvoices', 'a rebuilt closed order needs at least one posted invoice');
  }
  const invoices = [...raw.purchaseInvoices].sort((a, b) => (a.postingDate === b.postingDate ? (a.number < b.number ? -1 : 1) : a.postingDate < b.postingDate ? -1 : 1));
  const last = invoices[invoices.length - 1]!;
  const total = (field: 'totalAmountExcludingTax' | 'totalTaxAmount' | 'totalAmountIncludingTax') =>
    decimal(sumAmounts(invoices.map((invoice, i) => numberAt(invoice[field], `purchaseInvoices[${i}].${field}`))), `purchaseInvoices[*].${field}`);
  const vendorId = guidOrNull(last.vendorId, 'purchaseInvoices[-1].vendorId');
  const vendorRemoteId = vendorId ? remoteIdOf(companyId, vendorId) : null;
  return {
    remote_id: remoteIdOf(companyId, id),
    display_value: `PO ${number}`,
    remote_created_at: null,
    remote_updated_at: timestamp(raw.lastModifiedDateTime, 'lastModifiedDateTime'),
    remote_deleted_at: null,
    is_deleted: false,
    number,
    external_reference: null,
    status: 'closed',
    remote_status: null,
    vendor_id: vendorRemoteId ? ctx.idFor('vendor', vendorRemoteId) : null,
    vendor_remote_id: vendorRemoteId,
    buyer: text(last.purchaser),
    company_id: companyId,
    subsidiary: null,
    department: text(last.shortcutDimension1Code),
    ship_to_location_id: null,
    ship_to_location_remote_id: null,
    issue_date: null,
    required_date: null,
    delivery_date: null,
    currency: text(last.currencyCode),
    exchange_rate: null,
    subtotal: total('totalAmountExcludingTax'),
    tax_total: total('totalTaxAmount'),
    total: total('totalAmountIncludingTax'),
    payment_terms: null,
    incoterms: null,
    incoterms_location: null,
    ship_to_address: bcAddress(last as unknown as Record<string, unknown>, 'shipTo', 'shipping', last.shipToName),
    bill_to_address: bcAddress(last as unknown as Record<string, unknown>, 'payTo', 'billing', last.payToName),
    memo: null,
    created_by: null,
    lines: aggregateLines(invoices, companyId, ctx),
    custom_fields: {},
  };
}

function numberAt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MappingError(path, `expected a JSON number, got ${JSON.stringify(value)}`);
  return value;
}

/** Invoice lines of the same thing at the same price are one order line invoiced in parts. */
function aggregateLines(invoices: BcPurchaseInvoice[], companyId: string, ctx: MapContext): PurchaseOrderLine[] {
  const groups = new Map<string, { path: string; lines: BcPurchaseInvoiceLine[] }>();
  invoices.forEach((invoice, i) => {
    if (!Array.isArray(invoice.purchaseInvoiceLines)) throw new MappingError(`purchaseInvoices[${i}].purchaseInvoiceLines`, 'missing: invoices are read with $expand=purchaseInvoiceLines');
    invoice.purchaseInvoiceLines.forEach((line, j) => {
      if (line.lineType === 'Comment') return;
      const key = [line.lineType, line.itemId, line.accountId, line.lineObjectNumber, line.unitOfMeasureCode, line.directUnitCost, line.description].join('|');
      const group = groups.get(key) ?? { path: `purchaseInvoices[${i}].purchaseInvoiceLines[${j}]`, lines: [] };
      group.lines.push(line);
      groups.set(key, group);
    });
  });
  return [...groups.values()].map(({ path, lines }, k) => {
    const first = lines[0]!;
    const sum = (field: 'quantity' | 'netAmount' | 'netTaxAmount') => decimal(sumAmounts(lines.map((line) => numberAt(line[field], `${path}.${field}`))), `${path}.${field}`);
    const quantity = sum('quantity');
    const itemId = first.lineType === 'Item' ? guidOrNull(first.itemId, `${path}.itemId`) : null;
    const itemRemoteId = itemId ? remoteIdOf(companyId, itemId) : null;
    const locationId = guidOrNull(first.locationId, `${path}.locationId`);
    return {
      remote_id: null,
      line_number: (k + 1) * 10000,
      item_id: itemRemoteId ? ctx.idFor('inventory_item', itemRemoteId) : null,
      item_remote_id: itemRemoteId,
      item_code: first.lineType === 'Item' ? text(first.lineObjectNumber) : null,
      supplier_item_code: null,
      description: text(first.description),
      quantity,
      uom: text(first.unitOfMeasureCode),
      unit_price: decimal(first.directUnitCost, `${path}.directUnitCost`),
      tax_amount: sum('netTaxAmount'),
      line_total: sum('netAmount'),
      received_quantity: quantity,
      billed_quantity: quantity,
      open_quantity: '0',
      expected_delivery_date: null,
      location_id: null,
      location_remote_id: locationId ? remoteIdOf(companyId, locationId) : null,
      account: first.lineType === 'Account' ? text(first.lineObjectNumber) : null,
      work_order_id: null,
      work_order_remote_id: null,
      asset_id: null,
      asset_remote_id: null,
      is_closed: true,
      is_deleted: false,
      custom_fields: {},
    };
  });
}
