import { address } from './common-records.js';
import { purchaseOrderStatus } from './enums.js';
import { entityModel } from './envelope.js';
import { f, fields, record, reference } from './field.js';

const c = { write: 'create' } as const;
const cu = { write: 'create_update' } as const;

export const purchaseOrderLine = record(
  'PurchaseOrderLine',
  'One line of a purchase order: an item or service, its quantity and price. Amounts are in the order\'s currency.',
  {
    remote_id: f.text('The line\'s own key in the source, when it has one (Business Central line id, NetSuite line id); null when line_number is the key.'),
    line_number: f.integer('Line number as the source numbers it (SAP item 10, 20 …; NetSuite line 1, 2 …). On update, lines are matched by it.', cu),
    ...reference('item', 'inventory_item', 'The item ordered (null for free-text and expense lines)', c),
    item_code: f.text('Item number or SKU as the buyer knows it.', c),
    supplier_item_code: f.text('The vendor\'s own part number for the item.', cu),
    description: f.text('Line text (short description of what is ordered).', cu),
    quantity: f.quantity('Ordered quantity, in uom.', { ...cu, requiredOnCreate: true }),
    uom: f.code('Unit of measure of the quantities (EA, KG, H, as the source codes it).', c),
    unit_price: f.money('Net price of one uom (a source price per 100 or 1000 units is divided down).', cu),
    tax_amount: f.money('Tax on the line.'),
    line_total: f.money('Net amount of the line (quantity × unit_price, less discounts).'),
    received_quantity: f.quantity('Quantity received so far, in uom.'),
    billed_quantity: f.quantity('Quantity billed (invoiced) so far, in uom.'),
    open_quantity: f.quantity('Quantity still to be received, in uom.'),
    expected_delivery_date: f.date('When the vendor is expected to deliver this line.', cu),
    ...reference('location', 'location', 'Where the line is delivered (plant, warehouse, storage location)', cu),
    account: f.text('General-ledger account the line is charged to.', cu),
    ...reference('work_order', 'work_order', 'The work order the line is bought for', cu),
    ...reference('asset', 'asset', 'The asset the line is bought for', cu),
    is_closed: f.flag('The line is closed: no further receipts expected (delivery completed, closed by hand).', cu),
    is_deleted: f.flag('The line is deleted or flagged for deletion in the source.'),
    custom_fields: f.stringMap('Custom fields on the line (SAP YY1_*_PDI, NetSuite custcol*), with the same rule as the record\'s custom_fields.', cu),
  },
);

export const purchaseOrderModel = entityModel({
  entity: 'purchase_order',
  name: 'PurchaseOrder',
  label: 'purchase orders',
  doc: 'An order to a vendor for goods or services (SAP purchase order, NetSuite purchase order, Business Central purchase order), with its lines.',
  createRequiresOneOf: [['vendor_id', 'vendor_remote_id']],
  own: fields({
    number: f.text('The document number people use (4500000197, PO45723). Often equal to remote_id.', c),
    external_reference: f.text('A reference from outside the source: the requisition, the vendor\'s order confirmation, another system\'s id.', cu),
    status: f.enum(purchaseOrderStatus, 'Canonical status; null when the native status has no canonical equivalent (see remote_status).'),
    remote_status: f.code('The status exactly as the source states it (SAP processing status 02, NetSuite "Pending Receipt").'),
    ...reference('vendor', 'vendor', 'The vendor ordered from', c),
    buyer: f.text('Who buys: the buyer, purchasing group or employee responsible.', cu),
    company_id: f.code('The source\'s key of the legal company that orders (SAP company code 1710, a Business Central company id). Companies are not entities of their own yet, so this is the source key, not a Millrace id.', c),
    subsidiary: f.text('NetSuite subsidiary (or the equivalent organisational unit: SAP purchasing organisation).', c),
    department: f.text('Department or cost center the order is for.', cu),
    ...reference('ship_to_location', 'location', 'The location goods are delivered to (plant, warehouse)', cu),
    issue_date: f.date('Order date: when the order was issued.', c),
    required_date: f.date('When the goods are needed (requested delivery date).', cu),
    delivery_date: f.date('When delivery is expected or promised (the earliest open line\'s date when the source keeps dates per line).', cu),
    currency: f.currency('Currency of every amount on the order and its lines (ISO 4217).', c),
    exchange_rate: f.rate('Rate from the order currency to the company currency, as the source records it.', c),
    subtotal: f.money('Net total of the lines, before tax.'),
    tax_total: f.money('Total tax.'),
    total: f.money('Gross total: subtotal plus tax (and charges).'),
    payment_terms: f.code('Payment terms code or name (0001, "Net 30").', cu),
    incoterms: f.code('Incoterms rule (FOB, DAP, EXW).', cu),
    incoterms_location: f.text('Place the incoterms rule refers to.', cu),
    ship_to_address: f.record(address, 'Delivery address printed on the order.', cu),
    bill_to_address: f.record(address, 'Billing address printed on the order.', cu),
    memo: f.text('Free-text note or header text.', cu),
    created_by: f.text('Who created the order in the source (user name or id).'),
    lines: f.records(purchaseOrderLine, 'The order lines, in the source\'s order.', { ...cu, requiredOnCreate: true }),
  }),
});
