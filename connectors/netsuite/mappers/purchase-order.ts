import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import { toDecimal, type MappedPurchaseOrder, type MappedPurchaseOrderLine, type PurchaseOrderStatus } from '../../../schemas/index.js';
import { address, currencyCode, customFields, date, decimal, flag, number, ref, sublist, text, timestamp, type Raw } from './common.js';

/**
 * NetSuite purchase order (`GET /record/v1/purchaseOrder/{id}?expandSubResources=true`) →
 * unified PurchaseOrder. The status comes from `orderStatus` (the letter behind the text in
 * `status`); see the README's status table.
 */
export const PO_STATUS: Record<string, PurchaseOrderStatus> = {
  A: 'pending_approval', // Pending Supervisor Approval
  B: 'approved', // Pending Receipt
  C: 'cancelled', // Rejected by Supervisor
  D: 'partially_received', // Partially Received
  E: 'partially_received', // Pending Billing/Partially Received
  F: 'received', // Pending Bill
  G: 'billed', // Fully Billed
  H: 'closed', // Closed
};

/** An order status letter NetSuite adds later (or an account's own) is not guessed at: null, remote_status kept. */
export function purchaseOrderStatus(letter: string | null): PurchaseOrderStatus | null {
  return letter === null ? null : (PO_STATUS[letter] ?? null);
}

function mapLine(line: Raw, index: number, ctx: MapContext): MappedPurchaseOrderLine {
  const path = (field: string) => `item.items[${index}].${field}`;
  const item = ref(line, 'item', path('item'));
  const location = ref(line, 'location', path('location'));
  const units = line.units;
  const quantity = number(line, 'quantity', path('quantity'));
  const received = number(line, 'quantityReceived', path('quantityReceived'));
  const isClosed = flag(line, 'isClosed', path('isClosed'));
  const lineNumber = number(line, 'line', path('line'));
  if (lineNumber === null || !Number.isInteger(lineNumber)) throw new MappingError(path('line'), 'every item line has an integer line number');
  return {
    remote_id: null,
    line_number: lineNumber,
    item_id: item ? ctx.idFor('inventory_item', item.id) : null,
    item_remote_id: item?.id ?? null,
    item_code: item?.refName ?? null,
    supplier_item_code: text(line, 'vendorName', path('vendorName')),
    description: text(line, 'description', path('description')),
    quantity: quantity === null ? null : toDecimal(quantity),
    // `units` is a reference on unit-of-measure accounts and plain text on others.
    uom: typeof units === 'string' ? units : (ref(line, 'units', path('units'))?.refName ?? null),
    unit_price: decimal(line, 'rate', path('rate')),
    tax_amount: decimal(line, 'tax1Amt', path('tax1Amt')),
    line_total: decimal(line, 'amount', path('amount')),
    received_quantity: received === null ? null : toDecimal(received),
    billed_quantity: decimal(line, 'quantityBilled', path('quantityBilled')),
    open_quantity: quantity === null ? null : toDecimal(isClosed ? 0 : Math.max(0, quantity - (received ?? 0))),
    expected_delivery_date: date(line, 'expectedReceiptDate', path('expectedReceiptDate')),
    location_id: location ? ctx.idFor('location', location.id) : null,
    location_remote_id: location?.id ?? null,
    account: null,
    is_closed: isClosed,
    is_deleted: false,
    custom_fields: customFields(line, ['custcol']),
  };
}

export function mapPurchaseOrder(raw: Raw, ctx: MapContext): MappedPurchaseOrder {
  const id = text(raw, 'id');
  if (!id) throw new MappingError('id', 'a purchase order without an internal id');
  const tranId = text(raw, 'tranId');
  const vendor = ref(raw, 'entity');
  const location = ref(raw, 'location');
  const letter = ref(raw, 'orderStatus')?.id ?? null;
  const lines = sublist(raw, 'item').map((line, index) => mapLine(line, index, ctx));
  const openDates = lines.filter((line) => !line.is_closed && line.expected_delivery_date).map((line) => line.expected_delivery_date!).sort();
  return {
    remote_id: id,
    display_value: tranId ? (/^PO/i.test(tranId) ? tranId : `PO ${tranId}`) : `PO ${id}`,
    remote_created_at: timestamp(raw, 'createdDate'),
    remote_updated_at: timestamp(raw, 'lastModifiedDate'),
    is_deleted: false,
    number: tranId,
    external_reference: text(raw, 'otherRefNum') ?? text(raw, 'externalId'),
    status: purchaseOrderStatus(letter),
    remote_status: ref(raw, 'status')?.refName ?? letter,
    vendor_id: vendor ? ctx.idFor('vendor', vendor.id) : null,
    vendor_remote_id: vendor?.id ?? null,
    buyer: ref(raw, 'employee')?.refName ?? null,
    company_id: ref(raw, 'subsidiary')?.id ?? null,
    subsidiary: ref(raw, 'subsidiary')?.refName ?? null,
    department: ref(raw, 'department')?.refName ?? null,
    ship_to_location_id: location ? ctx.idFor('location', location.id) : null,
    ship_to_location_remote_id: location?.id ?? null,
    issue_date: date(raw, 'tranDate'),
    required_date: date(raw, 'dueDate'),
    delivery_date: openDates[0] ?? null,
    currency: currencyCode(ref(raw, 'currency')),
    exchange_rate: decimal(raw, 'exchangeRate'),
    subtotal: decimal(raw, 'subtotal'),
    tax_total: decimal(raw, 'taxTotal'),
    total: decimal(raw, 'total'),
    payment_terms: ref(raw, 'terms')?.refName ?? null,
    incoterms: ref(raw, 'incoterm')?.refName ?? null,
    incoterms_location: null,
    ship_to_address: address(raw, 'shippingAddress', 'shipping', true),
    bill_to_address: address(raw, 'billingAddress', 'billing', true),
    memo: text(raw, 'memo'),
    created_by: null,
    lines,
    custom_fields: customFields(raw, ['custbody']),
  };
}
