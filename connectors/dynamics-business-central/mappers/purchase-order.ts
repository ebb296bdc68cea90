import type { MappedRecord, PurchaseOrderLine } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import type { BcClosedPurchaseOrder, BcPurchaseOrder, BcPurchaseOrderLine, BcPurchaseOrderRecord } from '../raw-types.js';
import { bcAddress } from './address.js';
import { mapClosedPurchaseOrder } from './closed-purchase-order.js';
import { contextOf, dateOrNull, decimal, guidOrNull, remoteIdOf, requiredGuid, requiredString, text, timestamp } from './values.js';

type PurchaseOrderStatus = NonNullable<MappedRecord<'purchase_order'>['status']>;

/**
 * Business Central purchase order → unified purchase order. The API's `status` is the document's
 * approval state ("Draft" = open for editing, "In Review" = pending approval, "Open" = released);
 * receipt and invoicing progress comes from the lines. An unknown status maps to null and keeps
 * `remote_status`. Orders rebuilt from posted invoices (they vanish once fully invoiced) are closed.
 */
export function mapPurchaseOrder(raw: BcPurchaseOrderRecord, ctx: MapContext): MappedRecord<'purchase_order'> {
  if ((raw as BcClosedPurchaseOrder)['@millrace.reconstructedFrom'] === 'purchaseInvoices') return mapClosedPurchaseOrder(raw as BcClosedPurchaseOrder, ctx);
  const order = raw as BcPurchaseOrder;
  const { companyId } = contextOf(order);
  const id = requiredGuid(order.id, 'id');
  if (!Array.isArray(order.purchaseOrderLines)) {
    throw new MappingError('purchaseOrderLines', 'missing: purchase orders are read with $expand=purchaseOrderLines');
  }
  const lines = order.purchaseOrderLines.map((line, i) => mapOrderLine(line, companyId, `purchaseOrderLines[${i}]`, ctx));
  const vendorId = guidOrNull(order.vendorId, 'vendorId');
  const vendorRemoteId = vendorId ? remoteIdOf(companyId, vendorId) : null;
  const number = requiredString(order.number, 'number');
  return {
    remote_id: remoteIdOf(companyId, id),
    display_value: `PO ${number}`,
    remote_created_at: null,
    remote_updated_at: timestamp(order.lastModifiedDateTime, 'lastModifiedDateTime'),
    remote_deleted_at: null,
    is_deleted: false,
    number,
    external_reference: null,
    status: statusOf(order),
    remote_status: typeof order.status === 'string' ? order.status : null,
    vendor_id: vendorRemoteId ? ctx.idFor('vendor', vendorRemoteId) : null,
    vendor_remote_id: vendorRemoteId,
    buyer: text(order.purchaser),
    company_id: companyId,
    subsidiary: null,
    department: text(order.shortcutDimension1Code),
    ship_to_location_id: null,
    ship_to_location_remote_id: null,
    issue_date: dateOrNull(order.orderDate, 'orderDate'),
    required_date: dateOrNull(order.requestedReceiptDate, 'requestedReceiptDate'),
    delivery_date: earliestOpenDate(order.purchaseOrderLines),
    currency: text(order.currencyCode),
    exchange_rate: null,
    subtotal: decimal(order.totalAmountExcludingTax, 'totalAmountExcludingTax'),
    tax_total: decimal(order.totalTaxAmount, 'totalTaxAmount'),
    total: decimal(order.totalAmountIncludingTax, 'totalAmountIncludingTax'),
    payment_terms: null,
    incoterms: null,
    incoterms_location: null,
    ship_to_address: bcAddress(order as unknown as Record<string, unknown>, 'shipTo', 'shipping', order.shipToName),
    bill_to_address: bcAddress(order as unknown as Record<string, unknown>, 'payTo', 'billing', order.payToName),
    memo: null,
    created_by: null,
    lines,
    custom_fields: {},
  };
}

const APPROVAL_STATUS: Record<string, PurchaseOrderStatus> = { Draft: 'draft', 'In Review': 'pending_approval' };

function statusOf(order: BcPurchaseOrder): PurchaseOrderStatus | null {
  if (typeof order.status !== 'string') throw new MappingError('status', `expected a string, got ${JSON.stringify(order.status)}`);
  const approval = APPROVAL_STATUS[order.status];
  if (approval) return approval;
  if (order.status !== 'Open') return null;
  const quantityLines = (order.purchaseOrderLines ?? []).filter((line) => line.lineType !== 'Comment' && line.quantity > 0);
  if (quantityLines.length === 0) return 'approved';
  if (quantityLines.every((line) => line.invoicedQuantity >= line.quantity)) return 'billed';
  if (order.fullyReceived || quantityLines.every((line) => line.receivedQuantity >= line.quantity)) return 'received';
  if (quantityLines.some((line) => line.receivedQuantity > 0)) return 'partially_received';
  return 'approved';
}

function earliestOpenDate(lines: BcPurchaseOrderLine[]): string | null {
  const dates = lines
    .filter((line) => line.lineType !== 'Comment' && line.receivedQuantity < line.quantity)
    .map((line, i) => dateOrNull(line.expectedReceiptDate, `purchaseOrderLines[${i}].expectedReceiptDate`))
    .filter((date): date is string => date !== null)
    .sort();
  return dates[0] ?? null;
}

function mapOrderLine(line: BcPurchaseOrderLine, companyId: string, path: string, ctx: MapContext): PurchaseOrderLine {
  const comment = line.lineType === 'Comment';
  const itemId = line.lineType === 'Item' ? guidOrNull(line.itemId, `${path}.itemId`) : null;
  const itemRemoteId = itemId ? remoteIdOf(companyId, itemId) : null;
  const locationId = guidOrNull(line.locationId, `${path}.locationId`);
  const amount = (field: keyof BcPurchaseOrderLine) => (comment ? null : decimal(line[field], `${path}.${field}`));
  const open = comment ? null : decimal(Math.max(0, Math.round((line.quantity - line.receivedQuantity) * 100_000) / 100_000), `${path}.quantity`);
  return {
    remote_id: remoteIdOf(companyId, requiredGuid(line.id, `${path}.id`)),
    line_number: typeof line.sequence === 'number' ? line.sequence : null,
    item_id: itemRemoteId ? ctx.idFor('inventory_item', itemRemoteId) : null,
    item_remote_id: itemRemoteId,
    item_code: line.lineType === 'Item' ? text(line.lineObjectNumber) : null,
    supplier_item_code: null,
    description: text(line.description),
    quantity: amount('quantity'),
    uom: text(line.unitOfMeasureCode),
    unit_price: amount('directUnitCost'),
    tax_amount: amount('netTaxAmount'),
    line_total: amount('netAmount'),
    received_quantity: amount('receivedQuantity'),
    billed_quantity: amount('invoicedQuantity'),
    open_quantity: open,
    expected_delivery_date: dateOrNull(line.expectedReceiptDate, `${path}.expectedReceiptDate`),
    location_id: null,
    location_remote_id: locationId ? remoteIdOf(companyId, locationId) : null,
    account: line.lineType === 'Account' ? text(line.lineObjectNumber) : null,
    work_order_id: null,
    work_order_remote_id: null,
    asset_id: null,
    asset_remote_id: null,
    is_closed: !comment && line.quantity > 0 && line.receivedQuantity >= line.quantity,
    is_deleted: false,
    custom_fields: {},
  };
}
