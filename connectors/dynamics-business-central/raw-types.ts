/**
 * Business Central API v2.0 payloads as the service sends them (decimals are JSON numbers, dates
 * `YYYY-MM-DD`, datetimes ISO UTC with milliseconds, ids lowercase GUIDs, "no value" GUIDs are
 * `00000000-0000-0000-0000-000000000000`). Field lists follow the v2.0 resource reference.
 */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

export interface BcEntity {
  '@odata.etag'?: string;
  /** Present on a record read alone; the connector copies its collection's context onto each listed record. */
  '@odata.context'?: string;
  id: string;
  lastModifiedDateTime: string;
}

export interface BcCompany {
  id: string;
  systemVersion: string;
  timestamp: number;
  name: string;
  displayName: string;
  businessProfileId: string;
  systemCreatedAt: string;
  systemCreatedBy: string;
  systemModifiedAt: string;
  systemModifiedBy: string;
}

export interface BcAddressFields {
  AddressLine1: string;
  AddressLine2: string;
  City: string;
  Country: string;
  State: string;
  PostCode: string;
}

export interface BcPurchaseOrderLine {
  '@odata.etag'?: string;
  id: string;
  documentId: string;
  sequence: number;
  itemId: string;
  accountId: string;
  lineType: string;
  lineObjectNumber: string;
  description: string;
  unitOfMeasureId: string;
  unitOfMeasureCode: string;
  quantity: number;
  directUnitCost: number;
  discountAmount: number;
  discountPercent: number;
  discountAppliedBeforeTax: boolean;
  amountExcludingTax: number;
  taxCode: string;
  taxPercent: number;
  totalTaxAmount: number;
  amountIncludingTax: number;
  invoiceDiscountAllocation: number;
  netAmount: number;
  netTaxAmount: number;
  netAmountIncludingTax: number;
  expectedReceiptDate: string;
  receivedQuantity: number;
  invoicedQuantity: number;
  invoiceQuantity: number;
  receiveQuantity: number;
  itemVariantId: string;
  locationId: string;
}

export interface BcPurchaseOrder extends BcEntity {
  number: string;
  orderDate: string;
  postingDate: string;
  vendorId: string;
  vendorNumber: string;
  vendorName: string;
  payToName: string;
  payToVendorId: string;
  payToVendorNumber: string;
  shipToName: string;
  shipToContact: string;
  buyFromAddressLine1: string;
  buyFromAddressLine2: string;
  buyFromCity: string;
  buyFromCountry: string;
  buyFromState: string;
  buyFromPostCode: string;
  payToAddressLine1: string;
  payToAddressLine2: string;
  payToCity: string;
  payToCountry: string;
  payToState: string;
  payToPostCode: string;
  shipToAddressLine1: string;
  shipToAddressLine2: string;
  shipToCity: string;
  shipToCountry: string;
  shipToState: string;
  shipToPostCode: string;
  shortcutDimension1Code: string;
  shortcutDimension2Code: string;
  currencyId: string;
  currencyCode: string;
  pricesIncludeTax: boolean;
  paymentTermsId: string;
  shipmentMethodId: string;
  purchaser: string;
  requestedReceiptDate: string;
  discountAmount: number;
  discountAppliedBeforeTax: boolean;
  totalAmountExcludingTax: number;
  totalTaxAmount: number;
  totalAmountIncludingTax: number;
  fullyReceived: boolean;
  status: string;
  purchaseOrderLines?: BcPurchaseOrderLine[];
}

export interface BcPurchaseInvoiceLine {
  '@odata.etag'?: string;
  id: string;
  documentId: string;
  sequence: number;
  itemId: string;
  accountId: string;
  lineType: string;
  lineObjectNumber: string;
  description: string;
  unitOfMeasureId: string;
  unitOfMeasureCode: string;
  quantity: number;
  directUnitCost: number;
  discountAmount: number;
  discountPercent: number;
  discountAppliedBeforeTax: boolean;
  amountExcludingTax: number;
  taxCode: string;
  taxPercent: number;
  totalTaxAmount: number;
  amountIncludingTax: number;
  invoiceDiscountAllocation: number;
  netAmount: number;
  netTaxAmount: number;
  netAmountIncludingTax: number;
  expectedReceiptDate: string;
  itemVariantId: string;
  locationId: string;
}

export interface BcPurchaseInvoice extends BcEntity {
  number: string;
  invoiceDate: string;
  postingDate: string;
  dueDate: string;
  vendorInvoiceNumber: string;
  vendorId: string;
  vendorNumber: string;
  vendorName: string;
  payToName: string;
  payToContact: string;
  payToVendorId: string;
  payToVendorNumber: string;
  shipToName: string;
  shipToContact: string;
  buyFromAddressLine1: string;
  buyFromAddressLine2: string;
  buyFromCity: string;
  buyFromCountry: string;
  buyFromState: string;
  buyFromPostCode: string;
  shipToAddressLine1: string;
  shipToAddressLine2: string;
  shipToCity: string;
  shipToCountry: string;
  shipToState: string;
  shipToPostCode: string;
  payToAddressLine1: string;
  payToAddressLine2: string;
  payToCity: string;
  payToCountry: string;
  payToState: string;
  payToPostCode: string;
  shortcutDimension1Code: string;
  shortcutDimension2Code: string;
  currencyId: string;
  currencyCode: string;
  orderId: string;
  orderNumber: string;
  purchaser: string;
  pricesIncludeTax: boolean;
  discountAmount: number;
  discountAppliedBeforeTax: boolean;
  totalAmountExcludingTax: number;
  totalTaxAmount: number;
  totalAmountIncludingTax: number;
  /** " ", "Draft", "In Review", "Open", "Paid", "Canceled", "Corrective"; Draft/In Review are unposted. */
  status: string;
  purchaseInvoiceLines?: BcPurchaseInvoiceLine[];
}

export interface BcVendor extends BcEntity {
  number: string;
  displayName: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  country: string;
  postalCode: string;
  phoneNumber: string;
  email: string;
  website: string;
  taxRegistrationNumber: string;
  currencyId: string;
  currencyCode: string;
  irs1099Code: string;
  paymentTermsId: string;
  paymentMethodId: string;
  taxLiable: boolean;
  /** " " (not blocked), "Payment", "All". */
  blocked: string;
  balance: number;
}

export interface BcItem extends BcEntity {
  number: string;
  displayName: string;
  /** "Inventory", "Service", "Non-Inventory". */
  type: string;
  itemCategoryId: string;
  itemCategoryCode: string;
  blocked: boolean;
  gtin: string;
  inventory: number;
  unitPrice: number;
  priceIncludesTax: boolean;
  unitCost: number;
  taxGroupId: string;
  taxGroupCode: string;
  baseUnitOfMeasureId: string;
  baseUnitOfMeasureCode: string;
  generalProductPostingGroupId: string;
  generalProductPostingGroupCode: string;
  inventoryPostingGroupId: string;
  inventoryPostingGroupCode: string;
}

export interface BcItemLedgerEntry extends BcEntity {
  entryNumber: number;
  itemNumber: string;
  postingDate: string;
  /** "Purchase", "Sale", "Positive Adjmt.", "Negative Adjmt.", "Transfer", "Consumption", "Output" … */
  entryType: string;
  sourceNumber: string;
  sourceType: string;
  documentNumber: string;
  documentType: string;
  description: string;
  quantity: number;
  salesAmountActual: number;
  costAmountActual: number;
}

/**
 * A purchase order that vanished from `purchaseOrders` after it was fully invoiced, rebuilt by the
 * connector from the posted invoices that reference it (Business Central deletes such orders; the
 * posted invoices keep `orderId`/`orderNumber`). Shaped like an order read alone so the stream's key
 * and cursor fields are where they always are; the invoices are the service's own, untouched.
 */
export interface BcClosedPurchaseOrder {
  '@odata.context': string;
  '@millrace.reconstructedFrom': 'purchaseInvoices';
  id: string;
  number: string;
  lastModifiedDateTime: string;
  purchaseInvoices: BcPurchaseInvoice[];
}

export type BcPurchaseOrderRecord = BcPurchaseOrder | BcClosedPurchaseOrder;

export interface BcCollection<T> {
  '@odata.context': string;
  value: T[];
  '@odata.nextLink'?: string;
}

export interface BcErrorBody {
  error: { code: string; message: string };
}
