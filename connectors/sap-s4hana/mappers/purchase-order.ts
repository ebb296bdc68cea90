import type { MappedPurchaseOrder, MappedPurchaseOrderLine } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import { divide, multiply, sum } from '../decimal.js';
import { purchaseOrderStatus, remotePurchaseOrderStatus } from './purchase-order-status.js';
import { dateAsTimestamp, RawReader } from './raw-reader.js';

/**
 * A_PurchaseOrder (with `to_PurchaseOrderItem` and each item's `to_ScheduleLine` expanded) →
 * unified purchase order. This API version has no header net amount, so each line's net value is
 * computed as SAP computes NETWR, exactly (decimal.ts):
 *   line_total = round(OrderQuantity × Nmrtr ÷ Dnmntr × NetPriceAmount ÷ NetPriceQuantity, currency decimals)
 * (Nmrtr/Dnmntr convert the order unit into the order price unit, usually 1/1), and
 * subtotal = total = Σ line_total of the items not flagged for deletion. Tax is not exposed: tax_total is null.
 */
const CURRENCY_DECIMALS: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, HUF: 2, KWD: 3, BHD: 3, OMR: 3, JOD: 3, TND: 3 };

export function currencyDecimals(currency: string | null): number {
  return currency ? (CURRENCY_DECIMALS[currency] ?? 2) : 2;
}

/** SAP writes an indirectly quoted rate as negative; the unified rate is always direct. */
export function directExchangeRate(reader: RawReader): string | null {
  const text = reader.text('ExchangeRate');
  if (text === null) return null;
  const trimmed = text.trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(trimmed)) throw new MappingError(reader.at('ExchangeRate'), `"${trimmed.slice(0, 20)}" is not an exchange rate`);
  if (!trimmed.startsWith('-')) return divide(trimmed, '1', 9);
  return divide('1', trimmed.slice(1), 9);
}

interface ItemMath {
  line: MappedPurchaseOrderLine;
  deleted: boolean;
  delivered: boolean;
  finallyInvoiced: boolean;
  deliveryDate: string | null;
}

function mapItem(item: RawReader, currency: string | null, ctx: MapContext): ItemMath {
  const itemNumber = item.requiredText('PurchaseOrderItem');
  if (!/^\d+$/.test(itemNumber)) throw new MappingError(item.at('PurchaseOrderItem'), `"${itemNumber}" is not an item number`);
  const quantity = item.decimal('OrderQuantity');
  const price = item.decimal('NetPriceAmount');
  const priceUnit = item.decimal('NetPriceQuantity') ?? '1';
  const numerator = item.decimal('OrderPriceUnitToOrderUnitNmrtr') ?? '1';
  const denominator = item.decimal('OrdPriceUnitToOrderUnitDnmntr') ?? '1';
  if (priceUnit === '0' || denominator === '0') {
    throw new MappingError(item.at(priceUnit === '0' ? 'NetPriceQuantity' : 'OrdPriceUnitToOrderUnitDnmntr'), 'is zero; a price unit or unit conversion cannot be zero');
  }
  const perOrderUnit = price === null ? null : divide(multiply(price, numerator), multiply(priceUnit, denominator), 9);
  const lineTotal =
    price === null || quantity === null
      ? null
      : divide(multiply(multiply(quantity, numerator), price), multiply(denominator, priceUnit), currencyDecimals(currency));
  const material = item.text('Material');
  const plant = item.text('Plant');
  const storageLocation = item.text('StorageLocation');
  const location = plant ? (storageLocation ? `${plant}/${storageLocation}` : plant) : null;
  const deliveryDates = item.children('to_ScheduleLine').map((line) => line.date('ScheduleLineDeliveryDate')).filter((date): date is string => date !== null).sort();
  const deleted = item.text('PurchasingDocumentDeletionCode') === 'L';
  const delivered = item.flag('IsCompletelyDelivered');
  const line: MappedPurchaseOrderLine = {
    remote_id: null,
    line_number: Number(itemNumber),
    item_id: material ? ctx.idFor('inventory_item', material) : null,
    item_remote_id: material,
    item_code: material,
    supplier_item_code: item.text('SupplierMaterialNumber'),
    description: item.text('PurchaseOrderItemText'),
    quantity,
    uom: item.text('PurchaseOrderQuantityUnit'),
    unit_price: perOrderUnit,
    tax_amount: null,
    line_total: lineTotal,
    received_quantity: null,
    billed_quantity: null,
    open_quantity: null,
    expected_delivery_date: deliveryDates[0] ?? null,
    location_id: location ? ctx.idFor('location', location) : null,
    location_remote_id: location,
    account: null,
    work_order_id: null,
    work_order_remote_id: null,
    asset_id: null,
    asset_remote_id: null,
    is_closed: delivered,
    is_deleted: deleted,
    custom_fields: item.customFields(),
  };
  return { line, deleted, delivered, finallyInvoiced: item.flag('IsFinallyInvoiced'), deliveryDate: deliveryDates[0] ?? null };
}

export function mapPurchaseOrder(raw: Record<string, unknown>, ctx: MapContext): MappedPurchaseOrder {
  const order = new RawReader(raw);
  const number = order.requiredText('PurchaseOrder');
  const currency = order.text('DocumentCurrency');
  const items = order.children('to_PurchaseOrderItem').map((item) => mapItem(item, currency, ctx));
  const active = items.filter((item) => !item.deleted);
  const lineTotals = active.map((item) => item.line.line_total);
  const subtotal = lineTotals.some((total) => total === null) ? null : sum(lineTotals as string[]);
  const plants = new Set(active.map((item) => item.line.location_remote_id?.split('/')[0]).filter(Boolean));
  const plant = plants.size === 1 ? [...plants][0]! : null;
  const dates = (list: ItemMath[]) => list.map((item) => item.deliveryDate).filter((date): date is string => date !== null).sort()[0] ?? null;
  const deletionCode = order.text('PurchasingDocumentDeletionCode');
  const processingStatus = order.text('PurchasingProcessingStatus');
  const supplier = order.text('Supplier');
  const purchasingGroup = order.text('PurchasingGroup');
  const purchasingOrganization = order.text('PurchasingOrganization');
  const updatedAt = order.timestamp('LastChangeDateTime');
  return {
    remote_id: number,
    display_value: `PO ${number}`,
    remote_created_at: dateAsTimestamp(order.date('CreationDate')),
    remote_updated_at: updatedAt,
    remote_deleted_at: deletionCode === 'L' ? updatedAt : null,
    is_deleted: deletionCode === 'L',
    number,
    external_reference: order.text('CorrespncExternalReference'),
    status: purchaseOrderStatus(processingStatus, deletionCode, items),
    remote_status: remotePurchaseOrderStatus(processingStatus, deletionCode),
    vendor_id: supplier ? ctx.idFor('vendor', supplier) : null,
    vendor_remote_id: supplier,
    buyer: purchasingGroup ? `Purchasing group ${purchasingGroup}` : null,
    company_id: order.text('CompanyCode'),
    subsidiary: purchasingOrganization ? `Purch. org. ${purchasingOrganization}` : null,
    department: null,
    ship_to_location_id: plant ? ctx.idFor('location', plant) : null,
    ship_to_location_remote_id: plant,
    issue_date: order.date('PurchaseOrderDate'),
    required_date: dates(active),
    delivery_date: dates(active.filter((item) => !item.delivered)),
    currency,
    exchange_rate: directExchangeRate(order),
    subtotal,
    tax_total: null,
    total: subtotal,
    payment_terms: order.text('PaymentTerms'),
    incoterms: order.text('IncotermsClassification'),
    incoterms_location: order.text('IncotermsLocation1'),
    ship_to_address: null,
    bill_to_address: null,
    memo: null,
    created_by: order.text('CreatedByUser'),
    lines: items.map((item) => item.line),
    custom_fields: order.customFields(),
  };
}
