import { truncateToMinute } from './clock.js';
import { invalidContent, userError, type NetSuiteErrorDetail } from './errors.js';
import {
  APPROVAL_STATUSES, COUNTRIES, CURRENCIES, DEPARTMENTS, EMPLOYEES, INCOTERMS, LOCATIONS, SUBSIDIARIES, TERMS, UNITS,
  type PurchaseOrder, type PurchaseOrderLine, type Ref,
} from './records.js';
import type { NetSuiteStore } from './store.js';

/**
 * Purchase order writes as the record service applies them: a create needs a vendor (`entity`)
 * and at least one item line with an existing item and a positive quantity; references must
 * point at existing records; unknown fields are refused. PATCH changes only the fields sent;
 * sublist lines with a `line` number update that line, lines without one are added, and
 * `?replace=item` replaces the whole sublist. Each failure is one NetSuite error detail.
 */
export type WriteOutcome = { ok: true; record: PurchaseOrder } | { ok: false; error: NetSuiteErrorDetail };

type Json = Record<string, unknown>;

const HEADER_FIELDS = new Set([
  'entity', 'tranDate', 'tranId', 'currency', 'exchangeRate', 'subsidiary', 'location', 'department', 'employee', 'terms',
  'incoterm', 'memo', 'otherRefNum', 'dueDate', 'shipDate', 'approvalStatus', 'externalId', 'item', 'customForm',
]);
const LINE_FIELDS = new Set(['line', 'item', 'description', 'quantity', 'rate', 'location', 'expectedReceiptDate', 'isClosed', 'units', 'amount']);
const READ_ONLY = new Set(['id', 'lastModifiedDate', 'createdDate', 'total', 'subtotal', 'taxTotal', 'status', 'orderStatus', 'links']);

class WriteError extends Error {
  constructor(readonly detail: NetSuiteErrorDetail) {
    super(detail.detail);
  }
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function invalidValue(value: unknown, path: string): WriteError {
  return new WriteError(userError(`You have entered an Invalid Field Value ${typeof value === 'object' ? JSON.stringify(value) : String(value)} for the following field: ${path}`, path));
}

function refFrom(value: unknown, path: string, list: readonly Ref[] | ((id: string) => string | undefined)): Ref {
  if (!isObject(value) || (typeof value.id !== 'string' && typeof value.id !== 'number')) throw new WriteError(invalidContent(`Invalid value for the reference field ${path}: expected an object with an id.`, path));
  const id = String(value.id);
  const name = typeof list === 'function' ? list(id) : list.find((entry) => entry.id === id)?.refName;
  if (name === undefined) throw invalidValue(id, path);
  return { id, refName: name };
}

function dateFrom(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw invalidValue(value, path);
  return value;
}

function numberFrom(value: unknown, path: string, min: number, exclusive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (exclusive && value === min)) throw invalidValue(value, path);
  return value;
}

function textFrom(value: unknown, path: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalidValue(value, path);
  return value;
}

function checkFields(body: Json, allowed: Set<string>, prefix: string, customPrefix: string): void {
  for (const key of Object.keys(body)) {
    if (allowed.has(key) || key.startsWith(customPrefix) || READ_ONLY.has(key)) continue;
    throw new WriteError(invalidContent(`Invalid content in the request body. The field ${prefix}${key} does not exist on this record.`, `${prefix}${key}`));
  }
}

function applyLine(store: NetSuiteStore, base: PurchaseOrderLine | null, body: Json, path: string, lineNumber: number, fallbackLocation: Ref): PurchaseOrderLine {
  checkFields(body, LINE_FIELDS, `${path}.`, 'custcol');
  if (!base && body.item === undefined) throw new WriteError(userError('Please enter value(s) for: Item.', `${path}.item`));
  const item = body.item !== undefined ? refFrom(body.item, `${path}.item`, (id) => store.get('inventoryitem', id)?.itemId) : base!.item;
  const custom = { ...(base?.custom ?? {}) };
  for (const [key, value] of Object.entries(body)) if (key.startsWith('custcol')) custom[key] = value;
  return {
    line: lineNumber,
    item,
    itemType: 'InvtPart',
    description: body.description !== undefined ? textFrom(body.description, `${path}.description`) ?? '' : base?.description ?? store.get('inventoryitem', item.id)?.purchaseDescription ?? '',
    quantity: body.quantity !== undefined ? numberFrom(body.quantity, `${path}.quantity`, 0, true) : base?.quantity ?? 1,
    rate: body.rate !== undefined ? numberFrom(body.rate, `${path}.rate`, 0) : base?.rate ?? store.get('inventoryitem', item.id)?.cost ?? 0,
    units: body.units !== undefined ? refFrom(body.units, `${path}.units`, UNITS) : base?.units ?? UNITS[0]!,
    quantityReceived: base?.quantityReceived ?? 0,
    quantityBilled: base?.quantityBilled ?? 0,
    isClosed: body.isClosed !== undefined ? body.isClosed === true : base?.isClosed ?? false,
    location: body.location !== undefined ? refFrom(body.location, `${path}.location`, LOCATIONS) : base?.location ?? fallbackLocation,
    expectedReceiptDate: body.expectedReceiptDate !== undefined ? dateFrom(body.expectedReceiptDate, `${path}.expectedReceiptDate`) : base?.expectedReceiptDate ?? null,
    custom,
  };
}

function applyLines(store: NetSuiteStore, existing: PurchaseOrderLine[], value: unknown, replace: boolean, location: Ref): PurchaseOrderLine[] {
  if (!isObject(value) || !Array.isArray(value.items)) throw new WriteError(invalidContent('Invalid content for the sublist item: expected {"items": [...]}.', 'item'));
  const lines = replace ? [] : existing.map((line) => ({ ...line }));
  let next = Math.max(0, ...existing.map((line) => line.line)) + 1;
  value.items.forEach((raw, index) => {
    const path = `item.items[${index}]`;
    if (!isObject(raw)) throw new WriteError(invalidContent('Invalid content for a sublist line: expected an object.', path));
    const at = !replace && typeof raw.line === 'number' ? lines.findIndex((line) => line.line === raw.line) : -1;
    if (!replace && typeof raw.line === 'number' && at < 0) throw invalidValue(raw.line, `${path}.line`);
    if (at >= 0) lines[at] = applyLine(store, lines[at]!, raw, path, lines[at]!.line, location);
    else lines.push(applyLine(store, null, raw, path, next++, location));
  });
  if (lines.length === 0) throw new WriteError(userError('You must enter at least one line item for this transaction.', 'item'));
  return lines;
}

function applyHeader(store: NetSuiteStore, base: PurchaseOrder, body: Json, replaceLines: boolean): PurchaseOrder {
  checkFields(body, HEADER_FIELDS, '', 'custbody');
  const next: PurchaseOrder = { ...base, custom: { ...base.custom } };
  const has = (field: string): boolean => body[field] !== undefined;
  if (has('entity')) next.entity = refFrom(body.entity, 'entity', (id) => store.get('vendor', id)?.companyName);
  if (has('tranDate')) next.tranDate = dateFrom(body.tranDate, 'tranDate');
  if (has('tranId')) next.tranId = textFrom(body.tranId, 'tranId') ?? base.tranId;
  if (has('currency')) next.currency = refFrom(body.currency, 'currency', CURRENCIES);
  if (has('exchangeRate')) next.exchangeRate = numberFrom(body.exchangeRate, 'exchangeRate', 0, true);
  if (has('subsidiary')) next.subsidiary = refFrom(body.subsidiary, 'subsidiary', SUBSIDIARIES);
  if (has('location')) next.location = refFrom(body.location, 'location', LOCATIONS);
  if (has('department')) next.department = refFrom(body.department, 'department', DEPARTMENTS);
  if (has('employee')) next.employee = refFrom(body.employee, 'employee', EMPLOYEES);
  if (has('terms')) next.terms = refFrom(body.terms, 'terms', TERMS);
  if (has('incoterm')) next.incoterm = refFrom(body.incoterm, 'incoterm', INCOTERMS);
  if (has('approvalStatus')) next.approvalStatus = refFrom(body.approvalStatus, 'approvalStatus', APPROVAL_STATUSES);
  if (has('memo')) next.memo = textFrom(body.memo, 'memo');
  if (has('otherRefNum')) next.otherRefNum = textFrom(body.otherRefNum, 'otherRefNum');
  if (has('externalId')) next.externalId = textFrom(body.externalId, 'externalId');
  if (has('dueDate')) next.dueDate = body.dueDate === null ? null : dateFrom(body.dueDate, 'dueDate');
  if (has('shipDate')) next.shipDate = body.shipDate === null ? null : dateFrom(body.shipDate, 'shipDate');
  for (const [key, value] of Object.entries(body)) if (key.startsWith('custbody')) next.custom[key] = value;
  if (has('item')) next.lines = applyLines(store, base.lines, body.item, replaceLines, next.location);
  // Approval moves the order between A (pending approval), B (pending receipt) and C (rejected).
  if (has('approvalStatus') && ['A', 'B', 'C'].includes(base.orderStatus)) next.orderStatus = next.approvalStatus.id === '1' ? 'A' : next.approvalStatus.id === '3' ? 'C' : 'B';
  return next;
}

export function createPurchaseOrder(store: NetSuiteStore, body: unknown): WriteOutcome {
  try {
    if (!isObject(body)) throw new WriteError(invalidContent('Invalid content in the request body: expected a JSON object.'));
    if (body.entity === undefined) throw new WriteError(userError('Please enter value(s) for: Vendor.', 'entity'));
    if (body.item === undefined) throw new WriteError(userError('You must enter at least one line item for this transaction.', 'item'));
    const now = store.now();
    const id = store.allocateId('purchaseorder');
    const blank: PurchaseOrder = {
      id,
      tranId: `PO${10000 + Number(id) - 1000}`,
      tranDate: new Date(now).toISOString().slice(0, 10),
      createdMs: truncateToMinute(now),
      modifiedMs: now,
      entity: { id: '', refName: '' },
      orderStatus: 'B',
      approvalStatus: APPROVAL_STATUSES[1]!,
      currency: CURRENCIES[0]!,
      exchangeRate: 1,
      subsidiary: SUBSIDIARIES[0]!,
      location: LOCATIONS[0]!,
      department: null,
      employee: null,
      terms: null,
      incoterm: null,
      memo: null,
      otherRefNum: null,
      dueDate: null,
      shipDate: null,
      taxRate: 0,
      billingAddress: { addressee: 'Honeycomb Mfg.', addr1: '100 Foundry Way', city: 'Cleveland', state: 'OH', zip: '44114', country: COUNTRIES[0]! },
      shippingAddress: { addressee: LOCATIONS[0]!.refName, addr1: '1 Warehouse Rd', city: 'Cleveland', state: 'OH', zip: '44114', country: COUNTRIES[0]! },
      externalId: null,
      lines: [],
      custom: {},
    };
    const record = applyHeader(store, blank, body, true);
    return { ok: true, record: store.save('purchaseorder', record) };
  } catch (error) {
    if (error instanceof WriteError) return { ok: false, error: error.detail };
    throw error;
  }
}

export function updatePurchaseOrder(store: NetSuiteStore, existing: PurchaseOrder, body: unknown, replace: string[]): WriteOutcome {
  try {
    if (!isObject(body)) throw new WriteError(invalidContent('Invalid content in the request body: expected a JSON object.'));
    const record = applyHeader(store, existing, body, replace.includes('item'));
    return { ok: true, record: store.save('purchaseorder', record) };
  } catch (error) {
    if (error instanceof WriteError) return { ok: false, error: error.detail };
    throw error;
  }
}
