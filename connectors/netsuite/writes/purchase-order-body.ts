import type { ValidationIssue } from '../../sdk/types.js';

/**
 * Unified purchase order input → NetSuite REST body, and the rules NetSuite applies that the
 * unified model cannot express. Pure: no network (the currency's internal id is looked up by
 * the caller and passed in).
 *
 * NetSuite references take internal ids, so the writer needs the `*_remote_id` of the vendor,
 * items and locations; fields NetSuite only accepts as references to lists Millrace does not
 * sync (buyer, department, terms, incoterms, subsidiary) and free-form addresses are refused
 * rather than silently dropped.
 */
type Input = Record<string, unknown>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^\d+$/;
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

const NOT_WRITABLE = ['buyer', 'subsidiary', 'company_id', 'department', 'payment_terms', 'incoterms', 'incoterms_location', 'ship_to_address', 'bill_to_address', 'delivery_date'];
const NOT_WRITABLE_LINE = ['tax_amount', 'line_total', 'received_quantity', 'billed_quantity', 'open_quantity', 'account', 'work_order_id', 'work_order_remote_id', 'asset_id', 'asset_remote_id', 'supplier_item_code', 'uom', 'item_code'];

const given = (value: unknown): boolean => value !== undefined && value !== null;

function checkDate(issues: ValidationIssue[], input: Input, field: string, path = field): void {
  const value = input[field];
  if (given(value) && (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) issues.push({ path, message: 'must be a date YYYY-MM-DD' });
}

function checkId(issues: ValidationIssue[], input: Input, field: string, path: string, what: string, required: boolean): void {
  const value = input[field];
  if (!given(value)) {
    if (required) issues.push({ path, message: `NetSuite needs the ${what}'s internal id (${field}); a Millrace id alone cannot be sent` });
    return;
  }
  if (typeof value !== 'string' || !ID.test(value)) issues.push({ path, message: `must be a NetSuite internal id (digits), got ${JSON.stringify(value)}` });
}

function checkDecimal(issues: ValidationIssue[], input: Input, field: string, path: string, min: number, exclusive: boolean): void {
  const value = input[field];
  if (!given(value)) return;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text) || Number(text) < min || (exclusive && Number(text) === min)) {
    issues.push({ path, message: `must be a decimal ${exclusive ? 'greater than' : 'of at least'} ${min}` });
  }
}

function checkCustomFields(issues: ValidationIssue[], input: Input, prefix: string, path: string): void {
  const value = input.custom_fields;
  if (!given(value)) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ path, message: 'must be an object of field id → value' });
    return;
  }
  for (const key of Object.keys(value as object)) {
    if (!key.startsWith(prefix)) issues.push({ path: `${path}.${key}`, message: `NetSuite ${prefix === 'custbody' ? 'transaction body' : 'line'} custom fields have ids starting with ${prefix}` });
  }
}

function lineIssues(line: unknown, index: number, kind: 'create' | 'update'): ValidationIssue[] {
  const path = `lines[${index}]`;
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return [{ path, message: 'must be an object' }];
  const input = line as Input;
  const issues: ValidationIssue[] = [];
  const isNew = kind === 'create' || !given(input.line_number);
  if (given(input.line_number) && (!Number.isInteger(input.line_number) || (input.line_number as number) < 1)) {
    issues.push({ path: `${path}.line_number`, message: 'must be a line number (1, 2 …)' });
  }
  checkId(issues, input, 'item_remote_id', `${path}.item_remote_id`, 'item', isNew);
  if (isNew && !given(input.quantity)) issues.push({ path: `${path}.quantity`, message: 'a new line needs a quantity' });
  checkDecimal(issues, input, 'quantity', `${path}.quantity`, 0, true);
  checkDecimal(issues, input, 'unit_price', `${path}.unit_price`, 0, false);
  checkId(issues, input, 'location_remote_id', `${path}.location_remote_id`, 'location', false);
  checkDate(issues, input, 'expected_delivery_date', `${path}.expected_delivery_date`);
  checkCustomFields(issues, input, 'custcol', `${path}.custom_fields`);
  for (const field of NOT_WRITABLE_LINE) if (given(input[field])) issues.push({ path: `${path}.${field}`, message: 'NetSuite computes this or the connector cannot write it; leave it out' });
  return issues;
}

export function validatePurchaseOrder(input: Input, kind: 'create' | 'update'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkId(issues, input, 'vendor_remote_id', 'vendor_remote_id', 'vendor', kind === 'create');
  if (kind === 'update' && given(input.vendor_remote_id)) issues.push({ path: 'vendor_remote_id', message: 'the vendor of an existing NetSuite purchase order cannot be changed' });
  checkId(issues, input, 'ship_to_location_remote_id', 'ship_to_location_remote_id', 'location', false);
  checkDate(issues, input, 'issue_date');
  checkDate(issues, input, 'required_date');
  checkDecimal(issues, input, 'exchange_rate', 'exchange_rate', 0, true);
  if (given(input.currency) && (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency))) issues.push({ path: 'currency', message: 'must be an ISO 4217 code such as USD' });
  checkCustomFields(issues, input, 'custbody', 'custom_fields');
  for (const field of NOT_WRITABLE) if (given(input[field])) issues.push({ path: field, message: 'NetSuite takes this only as an internal id of a list Millrace does not sync; set it in NetSuite or leave it out' });
  const lines = input.lines;
  if (kind === 'create' && (!Array.isArray(lines) || lines.length === 0)) issues.push({ path: 'lines', message: 'a NetSuite purchase order needs at least one item line' });
  else if (given(lines) && !Array.isArray(lines)) issues.push({ path: 'lines', message: 'must be a list of lines' });
  else if (Array.isArray(lines)) lines.forEach((line, index) => issues.push(...lineIssues(line, index, kind)));
  return issues;
}

/** Custom field values travel as strings in the unified model; NetSuite check boxes want booleans. */
function customValue(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'null') return null;
  return value;
}

function customEntries(input: Input): [string, unknown][] {
  const custom = input.custom_fields;
  if (!custom || typeof custom !== 'object') return [];
  return Object.entries(custom as Record<string, unknown>).map(([key, value]) => [key, customValue(value)]);
}

function lineBody(line: Input, kind: 'create' | 'update'): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // NetSuite numbers the lines of a new order itself; on update `line` picks the line to change.
  if (kind === 'update' && given(line.line_number)) body.line = line.line_number;
  if (given(line.item_remote_id)) body.item = { id: line.item_remote_id };
  if (given(line.quantity)) body.quantity = Number(line.quantity);
  if (given(line.unit_price)) body.rate = Number(line.unit_price);
  if (line.description !== undefined) body.description = line.description;
  if (given(line.location_remote_id)) body.location = { id: line.location_remote_id };
  if (line.expected_delivery_date !== undefined) body.expectedReceiptDate = line.expected_delivery_date;
  if (given(line.is_closed)) body.isClosed = line.is_closed;
  for (const [key, value] of customEntries(line)) body[key] = value;
  return body;
}

/** The REST body for `POST /record/v1/purchaseOrder` or `PATCH /record/v1/purchaseOrder/{id}`; only fields given are sent. */
export function purchaseOrderBody(input: Input, kind: 'create' | 'update', currencyId: string | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (given(input.vendor_remote_id)) body.entity = { id: input.vendor_remote_id };
  if (given(input.number)) body.tranId = input.number;
  if (given(input.issue_date)) body.tranDate = input.issue_date;
  if (input.required_date !== undefined) body.dueDate = input.required_date;
  if (input.memo !== undefined) body.memo = input.memo;
  if (input.external_reference !== undefined) body.otherRefNum = input.external_reference;
  if (given(input.ship_to_location_remote_id)) body.location = { id: input.ship_to_location_remote_id };
  if (currencyId) body.currency = { id: currencyId };
  if (given(input.exchange_rate)) body.exchangeRate = Number(input.exchange_rate);
  for (const [key, value] of customEntries(input)) body[key] = value;
  if (Array.isArray(input.lines)) body.item = { items: (input.lines as Input[]).map((line) => lineBody(line, kind)) };
  return body;
}
