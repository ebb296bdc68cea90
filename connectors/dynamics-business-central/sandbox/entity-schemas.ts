import type { EntitySchema, FieldType } from './odata-filter.js';

/** Field types of each entity set, as its $metadata declares them (used for $filter, $orderby, writes). */
const address = (prefix: string): EntitySchema => Object.fromEntries(
  ['AddressLine1', 'AddressLine2', 'City', 'Country', 'State', 'PostCode'].map((suffix) => [`${prefix}${suffix}`, 'string' as FieldType]),
);

const documentLine: EntitySchema = {
  id: 'guid', documentId: 'guid', sequence: 'number', itemId: 'guid', accountId: 'guid', lineType: 'enum', lineObjectNumber: 'string',
  description: 'string', unitOfMeasureId: 'guid', unitOfMeasureCode: 'string', quantity: 'number', directUnitCost: 'number',
  discountAmount: 'number', discountPercent: 'number', discountAppliedBeforeTax: 'boolean', amountExcludingTax: 'number', taxCode: 'string',
  taxPercent: 'number', totalTaxAmount: 'number', amountIncludingTax: 'number', invoiceDiscountAllocation: 'number', netAmount: 'number',
  netTaxAmount: 'number', netAmountIncludingTax: 'number', expectedReceiptDate: 'date', itemVariantId: 'guid', locationId: 'guid',
};

export const SCHEMAS = {
  companies: { id: 'guid', systemVersion: 'string', timestamp: 'number', name: 'string', displayName: 'string', businessProfileId: 'string', systemCreatedAt: 'datetime', systemCreatedBy: 'guid', systemModifiedAt: 'datetime', systemModifiedBy: 'guid' },
  vendors: {
    id: 'guid', number: 'string', displayName: 'string', addressLine1: 'string', addressLine2: 'string', city: 'string', state: 'string', country: 'string',
    postalCode: 'string', phoneNumber: 'string', email: 'string', website: 'string', taxRegistrationNumber: 'string', currencyId: 'guid', currencyCode: 'string',
    irs1099Code: 'string', paymentTermsId: 'guid', paymentMethodId: 'guid', taxLiable: 'boolean', blocked: 'enum', balance: 'number', lastModifiedDateTime: 'datetime',
  },
  items: {
    id: 'guid', number: 'string', displayName: 'string', type: 'enum', itemCategoryId: 'guid', itemCategoryCode: 'string', blocked: 'boolean', gtin: 'string',
    inventory: 'number', unitPrice: 'number', priceIncludesTax: 'boolean', unitCost: 'number', taxGroupId: 'guid', taxGroupCode: 'string', baseUnitOfMeasureId: 'guid',
    baseUnitOfMeasureCode: 'string', generalProductPostingGroupId: 'guid', generalProductPostingGroupCode: 'string', inventoryPostingGroupId: 'guid',
    inventoryPostingGroupCode: 'string', lastModifiedDateTime: 'datetime',
  },
  purchaseOrders: {
    id: 'guid', number: 'string', orderDate: 'date', postingDate: 'date', vendorId: 'guid', vendorNumber: 'string', vendorName: 'string', payToName: 'string',
    payToVendorId: 'guid', payToVendorNumber: 'string', shipToName: 'string', shipToContact: 'string', ...address('buyFrom'), ...address('payTo'), ...address('shipTo'),
    shortcutDimension1Code: 'string', shortcutDimension2Code: 'string', currencyId: 'guid', currencyCode: 'string', pricesIncludeTax: 'boolean', paymentTermsId: 'guid',
    shipmentMethodId: 'guid', purchaser: 'string', requestedReceiptDate: 'date', discountAmount: 'number', discountAppliedBeforeTax: 'boolean',
    totalAmountExcludingTax: 'number', totalTaxAmount: 'number', totalAmountIncludingTax: 'number', fullyReceived: 'boolean', status: 'enum', lastModifiedDateTime: 'datetime',
  },
  purchaseOrderLines: { ...documentLine, receivedQuantity: 'number', invoicedQuantity: 'number', invoiceQuantity: 'number', receiveQuantity: 'number' },
  purchaseInvoices: {
    id: 'guid', number: 'string', invoiceDate: 'date', postingDate: 'date', dueDate: 'date', vendorInvoiceNumber: 'string', vendorId: 'guid', vendorNumber: 'string',
    vendorName: 'string', payToName: 'string', payToContact: 'string', payToVendorId: 'guid', payToVendorNumber: 'string', shipToName: 'string', shipToContact: 'string',
    ...address('buyFrom'), ...address('shipTo'), ...address('payTo'), shortcutDimension1Code: 'string', shortcutDimension2Code: 'string', currencyId: 'guid',
    currencyCode: 'string', orderId: 'guid', orderNumber: 'string', purchaser: 'string', pricesIncludeTax: 'boolean', discountAmount: 'number',
    discountAppliedBeforeTax: 'boolean', totalAmountExcludingTax: 'number', totalTaxAmount: 'number', totalAmountIncludingTax: 'number', status: 'enum',
    lastModifiedDateTime: 'datetime',
  },
  purchaseInvoiceLines: documentLine,
  itemLedgerEntries: {
    id: 'guid', entryNumber: 'number', itemNumber: 'string', postingDate: 'date', entryType: 'enum', sourceNumber: 'string', sourceType: 'enum',
    documentNumber: 'string', documentType: 'enum', description: 'string', quantity: 'number', salesAmountActual: 'number', costAmountActual: 'number',
    lastModifiedDateTime: 'datetime',
  },
} satisfies Record<string, EntitySchema>;

export type EntitySetName = keyof typeof SCHEMAS;

/** The `Microsoft.NAV.<type>` name the service uses in messages. */
export const TYPE_NAMES: Record<EntitySetName, string> = {
  companies: 'company', vendors: 'vendor', items: 'item', purchaseOrders: 'purchaseOrder', purchaseOrderLines: 'purchaseOrderLine',
  purchaseInvoices: 'purchaseInvoice', purchaseInvoiceLines: 'purchaseInvoiceLine', itemLedgerEntries: 'itemLedgerEntry',
};

/** Navigation properties `$expand` accepts per entity set. */
export const EXPANDABLE: Partial<Record<EntitySetName, string>> = {
  purchaseOrders: 'purchaseOrderLines',
  purchaseInvoices: 'purchaseInvoiceLines',
};
