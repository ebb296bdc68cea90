import type { ValidationIssue } from '../../sdk/types.js';

/**
 * Unified purchase order input → Business Central API v2.0 bodies, and the rules the service
 * enforces that can be checked without a call (used for dry runs and before every write).
 * Lengths are the table fields' (Code[20], Text[100], Text[50], Text[30]).
 */
type Input = Record<string, unknown>;
type Address = Record<string, unknown> | null | undefined;

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const REMOTE_ID = new RegExp(`^(${GUID})/(${GUID})$`, 'i');
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** Header fields Business Central API v2.0 has no place for: refused rather than dropped silently. */
const UNSUPPORTED_HEADER = ['external_reference', 'payment_terms', 'incoterms', 'incoterms_location', 'memo', 'delivery_date', 'exchange_rate', 'subsidiary', 'ship_to_location_id', 'ship_to_location_remote_id', 'status'];
const UNSUPPORTED_LINE = ['supplier_item_code', 'work_order_id', 'work_order_remote_id', 'asset_id', 'asset_remote_id', 'is_closed', 'location_id'];

const HEADER_LENGTHS: Record<string, number> = { number: 20, buyer: 20, department: 20, currency: 10 };
const ADDRESS_LENGTHS: Record<string, number> = { name: 100, line1: 100, line2: 50, city: 30, state: 30, postal_code: 20, country: 10 };

export function splitRemoteId(value: unknown): { companyId: string; id: string } | null {
  const match = typeof value === 'string' ? REMOTE_ID.exec(value) : null;
  return match ? { companyId: match[1]!.toLowerCase(), id: match[2]!.toLowerCase() } : null;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);
}

/** A decimal string as a JSON number; refused beyond 15 significant digits, which a double cannot carry exactly. */
export function decimalNumber(value: unknown): number | null {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return null;
  if (value.replace(/^[+-]/, '').replace('.', '').replace(/^0+/, '').length > 15) return null;
  return Number(value);
}

export function validatePurchaseOrder(input: Input, kind: 'create' | 'update'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });
  for (const field of UNSUPPORTED_HEADER) {
    if (present(input[field])) issue(field, 'Business Central API v2.0 purchase orders have no field for this; leave it out');
  }
  if (present(input.custom_fields)) issue('custom_fields', 'Business Central API v2.0 purchase orders carry no custom fields');
  for (const [field, max] of Object.entries(HEADER_LENGTHS)) {
    if (typeof input[field] === 'string' && (input[field] as string).length > max) issue(field, `at most ${max} characters in Business Central`);
  }
  for (const field of ['issue_date', 'required_date']) {
    if (present(input[field]) && (typeof input[field] !== 'string' || !DATE.test(input[field] as string))) issue(field, 'a date YYYY-MM-DD');
  }
  for (const field of ['ship_to_address', 'bill_to_address']) {
    const address = input[field] as Address;
    if (!address) continue;
    for (const [part, max] of Object.entries(ADDRESS_LENGTHS)) {
      if (typeof address[part] === 'string' && (address[part] as string).length > max) issue(`${field}.${part}`, `at most ${max} characters in Business Central`);
    }
    if (present(address.line3)) issue(`${field}.line3`, 'Business Central addresses have two street lines');
  }
  const vendor = input.vendor_remote_id;
  if (kind === 'create' && !present(vendor)) issue('vendor_remote_id', 'required: the vendor as "<company id>/<vendor id>" (the API fills it from vendor_id)');
  if (present(vendor) && !splitRemoteId(vendor)) issue('vendor_remote_id', 'a Business Central remote id "<company id>/<vendor id>"');
  if (kind === 'update' && (present(vendor) || present(input.vendor_id))) issue('vendor_remote_id', 'changing the vendor of an order is not supported; create a new order');
  if (present(input.company_id) && !new RegExp(`^${GUID}$`, 'i').test(String(input.company_id))) issue('company_id', 'a Business Central company id (GUID)');
  const vendorCompany = splitRemoteId(vendor)?.companyId;
  if (vendorCompany && present(input.company_id) && String(input.company_id).toLowerCase() !== vendorCompany) issue('company_id', 'the vendor belongs to another company');

  const lines = input.lines;
  if (kind === 'create' && (!Array.isArray(lines) || lines.length === 0)) issue('lines', 'at least one line is required');
  if (lines !== undefined && lines !== null && !Array.isArray(lines)) issue('lines', 'a list of lines');
  if (Array.isArray(lines)) lines.forEach((line: Input, i) => validateLine(line ?? {}, `lines[${i}]`, kind, issue));
  return issues;
}

function validateLine(line: Input, path: string, kind: 'create' | 'update', issue: (path: string, message: string) => void): void {
  for (const field of UNSUPPORTED_LINE) if (present(line[field])) issue(`${path}.${field}`, 'Business Central API v2.0 order lines have no field for this; leave it out');
  if (present(line.custom_fields)) issue(`${path}.custom_fields`, 'Business Central order lines carry no custom fields');
  if (kind === 'update' && typeof line.line_number !== 'number') issue(`${path}.line_number`, 'required on update: lines are matched by their number (a new number adds a line)');
  const what = [present(line.item_remote_id) || present(line.item_code), present(line.account)].filter(Boolean).length;
  if (what > 1) issue(path, 'a line is either an item line or an account line');
  if (present(line.item_remote_id) && !splitRemoteId(line.item_remote_id)) issue(`${path}.item_remote_id`, 'a Business Central remote id "<company id>/<item id>"');
  if (kind === 'create' && what === 0 && !present(line.description)) issue(path, 'give item_remote_id or item_code (an item line), account (an account line) or description (a comment line)');
  if (present(line.quantity) && decimalNumber(line.quantity) === null) issue(`${path}.quantity`, 'a decimal string with at most 15 significant digits');
  if (kind === 'create' && what > 0 && !present(line.quantity)) issue(`${path}.quantity`, 'required');
  if (present(line.unit_price) && decimalNumber(line.unit_price) === null) issue(`${path}.unit_price`, 'a decimal string with at most 15 significant digits');
  if (present(line.expected_delivery_date) && (typeof line.expected_delivery_date !== 'string' || !DATE.test(line.expected_delivery_date))) issue(`${path}.expected_delivery_date`, 'a date YYYY-MM-DD');
  if (present(line.location_remote_id) && !splitRemoteId(line.location_remote_id)) issue(`${path}.location_remote_id`, 'a Business Central remote id "<company id>/<location id>"');
  for (const [field, max] of [['description', 100], ['item_code', 20], ['account', 20], ['uom', 10]] as const) {
    if (typeof line[field] === 'string' && (line[field] as string).length > max) issue(`${path}.${field}`, `at most ${max} characters in Business Central`);
  }
}

function addressFields(prefix: string, address: Address): Record<string, string> {
  if (!address) return {};
  const out: Record<string, string> = {};
  const set = (suffix: string, value: unknown) => { if (typeof value === 'string') out[`${prefix}${suffix}`] = value; };
  if (prefix === 'shipTo') set('Name', address.name);
  set('AddressLine1', address.line1);
  set('AddressLine2', address.line2);
  set('City', address.city);
  set('State', address.state);
  set('PostCode', address.postal_code);
  set('Country', address.country);
  return out;
}

/** Header fields of a create or update body (only the fields the input states). */
export function headerBody(input: Input): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const vendor = splitRemoteId(input.vendor_remote_id);
  if (vendor) body.vendorId = vendor.id;
  if (typeof input.number === 'string') body.number = input.number;
  if (input.issue_date !== undefined) body.orderDate = input.issue_date ?? '0001-01-01';
  if (input.required_date !== undefined) body.requestedReceiptDate = input.required_date ?? '0001-01-01';
  if (input.currency !== undefined) body.currencyCode = input.currency ?? '';
  if (input.buyer !== undefined) body.purchaser = input.buyer ?? '';
  if (input.department !== undefined) body.shortcutDimension1Code = input.department ?? '';
  Object.assign(body, addressFields('shipTo', input.ship_to_address as Address), addressFields('payTo', input.bill_to_address as Address));
  return body;
}

/** A line body (create: every stated field; update: the changed ones). */
export function lineBody(line: Input): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (typeof line.line_number === 'number') body.sequence = line.line_number;
  const item = splitRemoteId(line.item_remote_id);
  if (item) { body.lineType = 'Item'; body.itemId = item.id; }
  else if (typeof line.item_code === 'string') { body.lineType = 'Item'; body.lineObjectNumber = line.item_code; }
  else if (typeof line.account === 'string') { body.lineType = 'Account'; body.lineObjectNumber = line.account; }
  if (typeof line.description === 'string') body.description = line.description;
  if (body.lineType === undefined && typeof line.description === 'string' && !present(line.quantity)) body.lineType = 'Comment';
  const quantity = decimalNumber(line.quantity);
  if (quantity !== null) body.quantity = quantity;
  const price = decimalNumber(line.unit_price);
  if (price !== null) body.directUnitCost = price;
  if (typeof line.uom === 'string') body.unitOfMeasureCode = line.uom;
  if (typeof line.expected_delivery_date === 'string') body.expectedReceiptDate = line.expected_delivery_date;
  const location = splitRemoteId(line.location_remote_id);
  if (location) body.locationId = location.id;
  return body;
}
