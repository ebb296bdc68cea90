import { EMPTY_GUID, type BcItem, type BcPurchaseOrderLine, type BcVendor } from '../raw-types.js';
import { BcHttpError, CONCURRENCY_TOKEN_MESSAGE, ENTITY_CHANGED_MESSAGE } from './bc-errors.js';
import type { SandboxClock } from './clock.js';
import { isoDate } from './clock.js';
import type { CompanyStore } from './company-store.js';
import type { OrderRow } from './generate.js';
import { checkWriteBody } from './write-checks.js';

/**
 * Purchase order writes with Business Central's rules: deep insert of lines on POST, `If-Match`
 * required on PATCH/DELETE (missing → 400 BadRequest_InvalidToken, stale → 409 Request_EntityChanged),
 * changes only while the document is open for editing (API status "Draft"; "In Review" is Pending
 * Approval and "Open" is Released in the document), referenced vendor, item, currency and unit must exist.
 */
export const BLANK_DATE = '0001-01-01';

const DOCUMENT_STATUS: Record<string, string> = { Draft: 'Open', 'In Review': 'Pending Approval', Open: 'Released' };

export function checkIfMatch(ifMatch: string | undefined, currentEtag: string | undefined): void {
  if (!ifMatch) throw new BcHttpError(400, 'BadRequest_InvalidToken', CONCURRENCY_TOKEN_MESSAGE);
  if (ifMatch.trim() !== '*' && ifMatch.trim() !== currentEtag) throw new BcHttpError(409, 'Request_EntityChanged', ENTITY_CHANGED_MESSAGE);
}

function requireEditable(order: OrderRow): void {
  if (order.status === 'Draft') return;
  throw new BcHttpError(400, 'Application_FieldValidationException',
    `Status must be equal to 'Open'  in Purchase Header: Document Type=Order, No.=${order.number}. Current value is '${DOCUMENT_STATUS[order.status] ?? order.status}'`);
}

function notFound(table: string, field: string, value: string): BcHttpError {
  return new BcHttpError(404, 'Internal_RecordNotFound', `The ${table} does not exist. Identification fields and values: ${field}='${value}'`);
}

/** Seeded item numbers are `<1896 + index>-S`; created items are looked up among the changes. */
function findItemByNumber(store: CompanyStore, number: string): BcItem | undefined {
  const seeded = /^(\d+)-S$/.exec(number);
  if (seeded) {
    const index = Number(seeded[1]) - 1896;
    if (index >= 0 && index < store.items.count) {
      const item = store.items.get(store.seed.guid('item', index));
      if (item?.number === number) return item;
    }
  }
  for (const id of store.items.changedIds()) {
    const item = store.items.get(id);
    if (item?.number === number) return item;
  }
  return undefined;
}

function findVendor(store: CompanyStore, body: Record<string, unknown>): BcVendor {
  if (typeof body.vendorId === 'string' && body.vendorId !== EMPTY_GUID) {
    const vendor = store.vendors.get(body.vendorId);
    if (!vendor) throw notFound('Vendor', 'Id', body.vendorId);
    return vendor;
  }
  if (typeof body.vendorNumber === 'string' && body.vendorNumber !== '') {
    const match = /^\d+$/.exec(body.vendorNumber) ? (Number(body.vendorNumber) - 10000) / 10 : -1;
    const vendor = Number.isInteger(match) && match >= 0 && match < store.vendors.count ? store.vendors.get(store.seed.guid('vendor', match)) : undefined;
    if (!vendor || vendor.number !== body.vendorNumber) throw notFound('Vendor', 'No.', body.vendorNumber);
    return vendor;
  }
  throw new BcHttpError(400, 'Application_DialogException', 'A vendorNumber or a vendorId must be provided');
}

function currencyOf(store: CompanyStore, code: string): string {
  if (code === '' || code === store.seed.ref.lcy) return EMPTY_GUID;
  const id = store.seed.ref.currencies[code];
  if (!id) throw notFound('Currency', 'Code', code);
  return id;
}

/** A new or changed line, validated and completed from its item the way the page's OnValidate triggers do. */
export function buildLine(store: CompanyStore, orderId: string, body: Record<string, unknown>, base: BcPurchaseOrderLine | undefined, sequence: number): BcPurchaseOrderLine {
  checkWriteBody('purchaseOrderLines', body);
  const lineType = (body.lineType as string | undefined) ?? base?.lineType ?? 'Item';
  if (!['Item', 'Account', 'Comment', 'Resource', 'Fixed Asset', 'Charge'].includes(lineType)) {
    throw new BcHttpError(400, 'Application_EvaluateException', `The value "${lineType}" cannot be evaluated into type Option`);
  }
  let line: BcPurchaseOrderLine = base ?? {
    id: store.newId('orderLine'), documentId: orderId, sequence, itemId: EMPTY_GUID, accountId: EMPTY_GUID, lineType, lineObjectNumber: '',
    description: '', unitOfMeasureId: EMPTY_GUID, unitOfMeasureCode: '', quantity: 0, directUnitCost: 0, discountAmount: 0, discountPercent: 0,
    discountAppliedBeforeTax: true, amountExcludingTax: 0, taxCode: '', taxPercent: 0, totalTaxAmount: 0, amountIncludingTax: 0,
    invoiceDiscountAllocation: 0, netAmount: 0, netTaxAmount: 0, netAmountIncludingTax: 0, expectedReceiptDate: BLANK_DATE, receivedQuantity: 0,
    invoicedQuantity: 0, invoiceQuantity: 0, receiveQuantity: 0, itemVariantId: EMPTY_GUID, locationId: store.seed.ref.locations.MAIN!,
  };
  line = { ...line, ...(body as Partial<BcPurchaseOrderLine>), lineType };
  if (lineType === 'Item' && (body.itemId !== undefined || body.lineObjectNumber !== undefined || !base)) {
    const item = typeof body.itemId === 'string' ? store.items.get(body.itemId) : typeof body.lineObjectNumber === 'string' ? findItemByNumber(store, body.lineObjectNumber) : undefined;
    if (!item) {
      if (typeof body.itemId === 'string') throw notFound('Item', 'Id', body.itemId);
      if (typeof body.lineObjectNumber === 'string') throw notFound('Item', 'No.', body.lineObjectNumber);
      throw new BcHttpError(400, 'BadRequest_RequiredParamNotProvided', "Field 'lineObjectNumber' must not be blank or empty");
    }
    if (item.blocked) throw new BcHttpError(400, 'Application_FieldValidationException', `Blocked must be equal to 'No'  in Item: No.=${item.number}. Current value is 'Yes'`);
    line = {
      ...line, itemId: item.id, lineObjectNumber: item.number,
      description: (body.description as string | undefined) ?? item.displayName,
      unitOfMeasureCode: (body.unitOfMeasureCode as string | undefined) ?? item.baseUnitOfMeasureCode,
      directUnitCost: (body.directUnitCost as number | undefined) ?? item.unitCost,
      taxCode: (body.taxCode as string | undefined) ?? item.taxGroupCode,
    };
  }
  if (lineType === 'Account' && !base) line = { ...line, accountId: store.newId('orderLine') };
  if (line.unitOfMeasureCode) {
    const unitId = store.seed.ref.units[line.unitOfMeasureCode];
    if (!unitId) throw notFound('Unit of Measure', 'Code', line.unitOfMeasureCode);
    line = { ...line, unitOfMeasureId: unitId };
  }
  const quantity = line.quantity;
  return { ...line, receiveQuantity: quantity - line.receivedQuantity, invoiceQuantity: line.receivedQuantity - line.invoicedQuantity };
}

export function createOrder(store: CompanyStore, clock: SandboxClock, body: Record<string, unknown>): OrderRow {
  checkWriteBody('purchaseOrders', body, 'purchaseOrderLines');
  const vendor = findVendor(store, body);
  if (vendor.blocked === 'All') {
    throw new BcHttpError(400, 'Application_DialogException', `You cannot create this type of document when Vendor ${vendor.number} is blocked with type All`);
  }
  if (typeof body.number === 'string' && [...store.orders.changedIds()].some((id) => store.orders.get(id)?.number === body.number)) {
    throw new BcHttpError(400, 'Internal_EntityWithSameKeyExists', `The record in table Purchase Header already exists. Identification fields and values: Document Type='Order',No.='${body.number}'`);
  }
  const currencyCode = (body.currencyCode as string | undefined) ?? vendor.currencyCode;
  const today = isoDate(clock.nowMs());
  const id = store.newId('order');
  const { purchaseOrderLines: lineBodies = [], ...header } = body as Record<string, unknown> & { purchaseOrderLines?: Record<string, unknown>[] };
  const lines = lineBodies.map((lineBody, n) => buildLine(store, id, lineBody, undefined, (n + 1) * 10000));
  return store.saveOrder({
    id, number: store.nextOrderNumber(), orderDate: today, postingDate: today,
    ...store.seed.vendorParties(vendor), ...store.seed.shipTo(),
    shortcutDimension1Code: '', shortcutDimension2Code: '', currencyCode, pricesIncludeTax: false,
    paymentTermsId: vendor.paymentTermsId, shipmentMethodId: EMPTY_GUID, purchaser: '', requestedReceiptDate: BLANK_DATE,
    discountAmount: 0, discountAppliedBeforeTax: true, totalAmountExcludingTax: 0, totalTaxAmount: 0, totalAmountIncludingTax: 0,
    fullyReceived: false, status: 'Draft', lastModifiedDateTime: '',
    ...(header as Partial<OrderRow>),
    currencyId: currencyOf(store, currencyCode),
    purchaseOrderLines: lines,
  });
}

export function patchOrder(store: CompanyStore, order: OrderRow, ifMatch: string | undefined, body: Record<string, unknown>): OrderRow {
  checkIfMatch(ifMatch, order['@odata.etag']);
  if ('purchaseOrderLines' in body) throw new BcHttpError(400, 'BadRequest', 'Deep update is not supported for navigation property \'purchaseOrderLines\'');
  checkWriteBody('purchaseOrders', body);
  requireEditable(order);
  let patch: Partial<OrderRow> = body as Partial<OrderRow>;
  if (body.vendorId !== undefined || body.vendorNumber !== undefined) patch = { ...patch, ...store.seed.vendorParties(findVendor(store, body)) };
  if (typeof body.currencyCode === 'string') patch = { ...patch, currencyId: currencyOf(store, body.currencyCode) };
  return store.updateOrder(order.id, patch)!;
}

export function patchLine(store: CompanyStore, order: OrderRow, line: BcPurchaseOrderLine, ifMatch: string | undefined, body: Record<string, unknown>): BcPurchaseOrderLine {
  checkIfMatch(ifMatch, line['@odata.etag']);
  requireEditable(order);
  return store.saveLine(order.id, buildLine(store, order.id, body, line, line.sequence))!.line;
}

export function addLine(store: CompanyStore, order: OrderRow, body: Record<string, unknown>): BcPurchaseOrderLine {
  requireEditable(order);
  const sequence = (typeof body.sequence === 'number' ? body.sequence : undefined) ?? Math.max(0, ...order.purchaseOrderLines.map((line) => line.sequence)) + 10000;
  return store.saveLine(order.id, buildLine(store, order.id, body, undefined, sequence))!.line;
}

export function deleteOrderLine(store: CompanyStore, order: OrderRow, line: BcPurchaseOrderLine, ifMatch: string | undefined): void {
  checkIfMatch(ifMatch, line['@odata.etag']);
  requireEditable(order);
  store.deleteLine(order.id, line.id);
}
