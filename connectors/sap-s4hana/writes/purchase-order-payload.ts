import type { ValidationIssue } from '../../sdk/types.js';
import { divide, multiply } from '../decimal.js';
import { currencyDecimals } from '../mappers/purchase-order.js';

/**
 * Unified purchase order → API_PURCHASEORDER_PROCESS_SRV request bodies, and the rules SAP will
 * enforce that can be checked without a call (`validate`, used for dry runs and before writes).
 * SAP decimals are sent as strings, dates as `/Date(ms)/`. Fields the API cannot take in this
 * shape are refused with an issue rather than dropped silently.
 */
type Input = Record<string, any>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^\d+(\.\d+)?$/;

export function sapDate(date: string): string {
  return `/Date(${Date.parse(`${date}T00:00:00Z`)})/`;
}

/** "Purchasing group 001" (as mapped) or "001" → "001"; same for "Purch. org. 1710". */
export function codeFrom(value: unknown, prefix: string): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  return text.startsWith(prefix) ? text.slice(prefix.length).trim() : text;
}

/** `1710/171A` → Plant 1710, StorageLocation 171A; `1710` → Plant only. */
export function plantAndStorageLocation(location: unknown): { Plant?: string; StorageLocation?: string } {
  if (typeof location !== 'string' || location === '') return {};
  const [plant, storageLocation] = location.split('/');
  return { ...(plant ? { Plant: plant } : {}), ...(storageLocation ? { StorageLocation: storageLocation } : {}) };
}

/**
 * A unit price → SAP's price per price unit. SAP keeps a price with the currency's decimals,
 * so 0.4599 USD per piece is sent as 45.99 per 100 pieces (price unit up to 10 000).
 */
export function sapPrice(unitPrice: string, currency: string | null): { NetPriceAmount: string; NetPriceQuantity: string } | null {
  const decimals = currencyDecimals(currency);
  for (const priceUnit of ['1', '10', '100', '1000', '10000']) {
    const amount = multiply(unitPrice, priceUnit);
    if (divide(amount, '1', decimals) === amount) return { NetPriceAmount: amount, NetPriceQuantity: priceUnit };
  }
  return null;
}

const CUSTOM = /^(YY1|ZZ1)_[A-Za-z0-9_]+$/;

function customIssues(fields: unknown, path: string): ValidationIssue[] {
  if (fields === undefined || fields === null) return [];
  return Object.keys(fields as object)
    .filter((name) => !CUSTOM.test(name))
    .map((name) => ({ path: `${path}.${name}`, message: 'SAP custom fields are named YY1_… (Cloud) or ZZ1_… (on-premise); this one does not exist in SAP' }));
}

/** Unified fields SAP's PO API does not take on this connector's writes, with what to do instead. */
const UNSUPPORTED_HEADER: Record<string, string> = {
  department: 'SAP keeps cost centers per line in account assignments, which this connector does not write yet',
  required_date: 'SAP keeps dates per line: set lines[].expected_delivery_date',
  delivery_date: 'SAP keeps dates per line: set lines[].expected_delivery_date',
  ship_to_address: 'SAP keeps delivery addresses per line; not written by this connector yet',
  bill_to_address: 'SAP takes no bill-to address on a purchase order',
  memo: 'header texts are notes (to_PurchaseOrderNote), not written by this connector yet',
  ship_to_location_id: 'give ship_to_location_remote_id (the SAP plant)',
  vendor_id: 'give vendor_remote_id (the SAP supplier number)',
};

const UNSUPPORTED_LINE: Record<string, string> = {
  account: 'G/L accounts go into account assignments, which this connector does not write yet',
  work_order_remote_id: 'account assignment to a maintenance order is not written by this connector yet',
  asset_remote_id: 'account assignment to an asset is not written by this connector yet',
  item_id: 'give item_code or item_remote_id (the SAP material number)',
  location_id: 'give location_remote_id (plant or plant/storage location)',
};

function given(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

export function validatePurchaseOrder(input: Input, kind: 'create' | 'update'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [field, why] of Object.entries(UNSUPPORTED_HEADER)) {
    if (given(input[field]) && !(field === 'vendor_id' && given(input.vendor_remote_id)) && !(field === 'ship_to_location_id' && given(input.ship_to_location_remote_id))) {
      issues.push({ path: field, message: why });
    }
  }
  if (kind === 'create') {
    if (!given(input.vendor_remote_id)) issues.push({ path: 'vendor_remote_id', message: 'SAP needs the supplier number of the vendor' });
    if (!given(input.company_id)) issues.push({ path: 'company_id', message: 'SAP needs the company code that orders, e.g. 1710' });
    if (!given(codeFrom(input.subsidiary, 'Purch. org.'))) issues.push({ path: 'subsidiary', message: 'SAP needs the purchasing organization, e.g. "1710"' });
    if (!given(codeFrom(input.buyer, 'Purchasing group'))) issues.push({ path: 'buyer', message: 'SAP needs the purchasing group, e.g. "001"' });
    if (!Array.isArray(input.lines) || input.lines.length === 0) issues.push({ path: 'lines', message: 'SAP needs at least one item' });
  }
  if (given(input.currency) && !/^[A-Z]{3}$/.test(input.currency)) issues.push({ path: 'currency', message: 'must be an ISO 4217 code such as EUR' });
  if (given(input.issue_date) && !DATE.test(input.issue_date)) issues.push({ path: 'issue_date', message: 'must be a date YYYY-MM-DD' });
  if (given(input.exchange_rate) && !DECIMAL.test(input.exchange_rate)) issues.push({ path: 'exchange_rate', message: 'must be a positive decimal' });
  issues.push(...customIssues(input.custom_fields, 'custom_fields'));
  const lineNumbers = new Set<number>();
  (Array.isArray(input.lines) ? input.lines : []).forEach((line: Input, index: number) => {
    const path = `lines[${index}]`;
    for (const [field, why] of Object.entries(UNSUPPORTED_LINE)) {
      const alternative = field === 'item_id' ? line.item_code ?? line.item_remote_id : field === 'location_id' ? line.location_remote_id : undefined;
      if (given(line[field]) && !given(alternative)) issues.push({ path: `${path}.${field}`, message: why });
    }
    const number = line.line_number;
    if (given(number)) {
      if (!Number.isInteger(number) || number <= 0 || number > 99999) issues.push({ path: `${path}.line_number`, message: 'SAP item numbers are 1 … 99999' });
      else if (lineNumbers.has(number)) issues.push({ path: `${path}.line_number`, message: `item ${number} appears twice` });
      else lineNumbers.add(number);
    } else if (kind === 'update') {
      issues.push({ path: `${path}.line_number`, message: 'lines are matched by line_number on update; adding items is not supported yet' });
    }
    if (given(line.quantity) && (!DECIMAL.test(line.quantity) || Number(line.quantity) <= 0)) issues.push({ path: `${path}.quantity`, message: 'SAP needs a quantity greater than zero' });
    if (given(line.unit_price)) {
      if (!DECIMAL.test(line.unit_price)) issues.push({ path: `${path}.unit_price`, message: 'must be a non-negative decimal' });
      else if (!sapPrice(line.unit_price, input.currency ?? null)) issues.push({ path: `${path}.unit_price`, message: 'has more decimals than SAP can hold for this currency, even per 10 000 units' });
    }
    if (given(line.expected_delivery_date) && !DATE.test(line.expected_delivery_date)) issues.push({ path: `${path}.expected_delivery_date`, message: 'must be a date YYYY-MM-DD' });
    if (kind === 'update' && given(line.expected_delivery_date)) issues.push({ path: `${path}.expected_delivery_date`, message: 'delivery dates live in schedule lines, which this connector does not change yet' });
    if (kind === 'create') {
      if (!given(line.quantity)) issues.push({ path: `${path}.quantity`, message: 'SAP needs a quantity' });
      if (!given(line.item_code ?? line.item_remote_id)) issues.push({ path: `${path}.item_code`, message: 'SAP needs the material number (a text item would need a material group, which the unified model does not carry)' });
      if (!given(line.unit_price)) issues.push({ path: `${path}.unit_price`, message: 'SAP needs a net price (no info record is assumed)' });
      if (!given(plantAndStorageLocation(line.location_remote_id ?? input.ship_to_location_remote_id).Plant)) {
        issues.push({ path: `${path}.location_remote_id`, message: 'SAP needs the plant: set location_remote_id ("1710" or "1710/171A") or ship_to_location_remote_id' });
      }
    }
    issues.push(...customIssues(line.custom_fields, `${path}.custom_fields`));
  });
  return issues;
}

function headerFields(input: Input): Input {
  const body: Input = {};
  const set = (name: string, value: unknown) => {
    if (value !== undefined) body[name] = value ?? '';
  };
  set('CorrespncExternalReference', input.external_reference);
  set('PaymentTerms', input.payment_terms);
  set('IncotermsClassification', input.incoterms);
  set('IncotermsLocation1', input.incoterms_location);
  if (input.buyer !== undefined) body.PurchasingGroup = codeFrom(input.buyer, 'Purchasing group') ?? '';
  Object.assign(body, input.custom_fields ?? {});
  return body;
}

function itemFields(line: Input, currency: string | null, fallbackLocation: unknown): Input {
  const body: Input = {};
  if (line.description !== undefined) body.PurchaseOrderItemText = line.description ?? '';
  if (line.supplier_item_code !== undefined) body.SupplierMaterialNumber = line.supplier_item_code ?? '';
  if (line.quantity !== undefined && line.quantity !== null) body.OrderQuantity = line.quantity;
  if (line.unit_price !== undefined && line.unit_price !== null) Object.assign(body, sapPrice(line.unit_price, currency));
  if (line.is_closed !== undefined) body.IsCompletelyDelivered = line.is_closed;
  Object.assign(body, plantAndStorageLocation(line.location_remote_id ?? fallbackLocation));
  Object.assign(body, line.custom_fields ?? {});
  return body;
}

export function purchaseOrderCreateBody(input: Input, documentType: string): Input {
  const currency = input.currency ?? null;
  return {
    CompanyCode: input.company_id,
    PurchaseOrderType: documentType,
    Supplier: input.vendor_remote_id,
    PurchasingOrganization: codeFrom(input.subsidiary, 'Purch. org.'),
    PurchasingGroup: codeFrom(input.buyer, 'Purchasing group'),
    ...(currency ? { DocumentCurrency: currency } : {}),
    ...(input.exchange_rate ? { ExchangeRate: input.exchange_rate } : {}),
    ...(input.issue_date ? { PurchaseOrderDate: sapDate(input.issue_date) } : {}),
    ...headerFields(input),
    to_PurchaseOrderItem: {
      results: (input.lines as Input[]).map((line, index) => ({
        PurchaseOrderItem: String(line.line_number ?? (index + 1) * 10),
        Material: line.item_code ?? line.item_remote_id,
        ...(line.uom ? { PurchaseOrderQuantityUnit: line.uom } : {}),
        ...itemFields(line, currency, input.ship_to_location_remote_id),
        ...(line.expected_delivery_date ? { to_ScheduleLine: { results: [{ ScheduleLineDeliveryDate: sapDate(line.expected_delivery_date) }] } } : {}),
      })),
    },
  };
}

export function purchaseOrderHeaderPatch(input: Input): Input {
  return headerFields(input);
}

export function purchaseOrderItemPatch(line: Input, currency: string | null): Input {
  const { line_number: _number, ...rest } = line;
  return itemFields(rest, currency, undefined);
}
