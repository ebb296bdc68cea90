import { BcHttpError } from './bc-errors.js';
import { SCHEMAS, TYPE_NAMES, type EntitySetName } from './entity-schemas.js';

/**
 * What the service checks on a write body before business logic: known properties, editable
 * properties, JSON types, date and GUID formats, and text lengths (Code[20], Text[100] …).
 */
export const EDITABLE: Partial<Record<EntitySetName, readonly string[]>> = {
  purchaseOrders: [
    'number', 'orderDate', 'postingDate', 'vendorId', 'vendorNumber', 'payToVendorId', 'payToVendorNumber', 'shipToName', 'shipToContact',
    'buyFromAddressLine1', 'buyFromAddressLine2', 'buyFromCity', 'buyFromCountry', 'buyFromState', 'buyFromPostCode',
    'payToAddressLine1', 'payToAddressLine2', 'payToCity', 'payToCountry', 'payToState', 'payToPostCode',
    'shipToAddressLine1', 'shipToAddressLine2', 'shipToCity', 'shipToCountry', 'shipToState', 'shipToPostCode',
    'shortcutDimension1Code', 'shortcutDimension2Code', 'currencyId', 'currencyCode', 'paymentTermsId', 'shipmentMethodId', 'purchaser',
    'requestedReceiptDate', 'discountAmount', 'discountAppliedBeforeTax',
  ],
  purchaseOrderLines: [
    'sequence', 'itemId', 'accountId', 'lineType', 'lineObjectNumber', 'description', 'unitOfMeasureId', 'unitOfMeasureCode', 'quantity',
    'directUnitCost', 'discountAmount', 'discountPercent', 'taxCode', 'expectedReceiptDate', 'invoiceQuantity', 'receiveQuantity',
    'itemVariantId', 'locationId',
  ],
};

const MAX_LENGTH: Record<string, number> = {
  number: 20, vendorNumber: 20, payToVendorNumber: 20, purchaser: 20, currencyCode: 10, lineObjectNumber: 20, unitOfMeasureCode: 10,
  shortcutDimension1Code: 20, shortcutDimension2Code: 20, taxCode: 20, description: 100, shipToName: 100, shipToContact: 100,
  buyFromAddressLine1: 100, buyFromAddressLine2: 50, payToAddressLine1: 100, payToAddressLine2: 50, shipToAddressLine1: 100, shipToAddressLine2: 50,
  buyFromCity: 30, payToCity: 30, shipToCity: 30, buyFromState: 30, payToState: 30, shipToState: 30, buyFromPostCode: 20, payToPostCode: 20, shipToPostCode: 20,
  buyFromCountry: 10, payToCountry: 10, shipToCountry: 10,
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Throws the service's 400 for the first problem in `body` (checked in property order). */
export function checkWriteBody(set: EntitySetName, body: Record<string, unknown>, allowNavigation?: string): void {
  const schema: Record<string, string> = SCHEMAS[set];
  const editable = EDITABLE[set] ?? [];
  const typeName = TYPE_NAMES[set];
  for (const [field, value] of Object.entries(body)) {
    if (field.startsWith('@odata.')) continue;
    if (field === allowNavigation) {
      if (!Array.isArray(value)) throw new BcHttpError(400, 'BadRequest', `An unexpected 'StartObject' node was found for property named '${field}' when reading from the JSON reader. A 'StartArray' node was expected`);
      continue;
    }
    const type = schema[field];
    if (!type) throw new BcHttpError(400, 'BadRequest', `The property '${field}' does not exist on type 'Microsoft.NAV.${typeName}'. Make sure to only use property names that are defined by the type`);
    if (!editable.includes(field)) throw new BcHttpError(400, 'BadRequest_InvalidOperation', `Control '${field}' is read-only`);
    const edm = type === 'number' ? 'Edm.Decimal' : type === 'boolean' ? 'Edm.Boolean' : type === 'guid' ? 'Edm.Guid' : type === 'date' ? 'Edm.Date' : 'Edm.String';
    const jsonType = type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'string';
    if (typeof value !== jsonType) {
      throw new BcHttpError(400, 'BadRequest', `Cannot convert a primitive value to the expected type '${edm}'. See the inner exception for more details`);
    }
    if (type === 'date' && !validDate(value as string)) throw new BcHttpError(400, 'BadRequest', `Cannot convert the literal '${value}' to the expected type 'Edm.Date'`);
    if (type === 'guid' && !GUID.test(value as string)) throw new BcHttpError(400, 'Application_InvalidGUID', 'Invalid format of GUID string. The correct format of the GUID string is: CDEF7890-ABCD-0123-1234-567890ABCDEF where 0-9, A-F symbolizes hexadecimal digits');
    const max = MAX_LENGTH[field];
    if (max !== undefined && typeof value === 'string' && value.length > max) {
      throw new BcHttpError(400, 'Application_StringExceededLength', `The length of the string is ${value.length}, but it must be less than or equal to ${max} characters. Value: ${value}`);
    }
  }
}
