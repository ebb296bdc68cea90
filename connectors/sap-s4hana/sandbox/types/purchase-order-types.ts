import { defineEntityType, fields, type EntityTypeDef } from '../model.js';

/** API_PURCHASEORDER_PROCESS_SRV, after its EDMX (A_PurchaseOrderType, A_PurchaseOrderItemType …). */
const SERVICE = 'API_PURCHASEORDER_PROCESS_SRV';

export const purchaseOrderType: EntityTypeDef = defineEntityType({
  service: SERVICE,
  typeName: 'A_PurchaseOrderType',
  entitySet: 'A_PurchaseOrder',
  keys: ['PurchaseOrder'],
  properties: {
    ...fields(
      'String',
      `PurchaseOrder CompanyCode PurchaseOrderType PurchasingDocumentDeletionCode PurchasingProcessingStatus
       CreatedByUser Supplier PurchaseOrderSubtype Language PaymentTerms PurchasingOrganization
       PurchasingDocumentOrigin PurchasingGroup DocumentCurrency ExchangeRate SupplierQuotationExternalID
       PurchasingCollectiveNumber SupplierRespSalesPersonName SupplierPhoneNumber SupplyingSupplier SupplyingPlant
       IncotermsClassification CorrespncExternalReference CorrespncInternalReference InvoicingParty IncotermsVersion
       IncotermsLocation1 IncotermsLocation2 ManualSupplierAddressID IsEndOfPurposeBlocked AddressCityName
       AddressFaxNumber AddressHouseNumber AddressName AddressPostalCode AddressStreetName AddressPhoneNumber
       AddressRegion AddressCountry AddressCorrespondenceLanguage YY1_ProjectCode_PDH`,
    ),
    ...fields('Decimal', 'CashDiscount1Days CashDiscount2Days NetPaymentDays CashDiscount1Percent CashDiscount2Percent'),
    ...fields('DateTime', 'CreationDate PurchaseOrderDate ValidityStartDate ValidityEndDate'),
    ...fields('DateTimeOffset', 'LastChangeDateTime'),
    ...fields('Boolean', 'ExchangeRateIsFixed ReleaseIsNotCompleted PurchasingCompletenessStatus'),
  },
  readOnly: `PurchasingDocumentDeletionCode PurchasingProcessingStatus CreatedByUser CreationDate LastChangeDateTime
    PurchaseOrderSubtype PurchasingDocumentOrigin ReleaseIsNotCompleted ManualSupplierAddressID IsEndOfPurposeBlocked`,
  navigations: {
    to_PurchaseOrderItem: { target: () => purchaseOrderItemType, many: true },
    to_PurchaseOrderNote: { target: () => purchaseOrderNoteType, many: true },
  },
});

export const purchaseOrderItemType: EntityTypeDef = defineEntityType({
  service: SERVICE,
  typeName: 'A_PurchaseOrderItemType',
  entitySet: 'A_PurchaseOrderItem',
  keys: ['PurchaseOrder', 'PurchaseOrderItem'],
  properties: {
    ...fields(
      'String',
      `PurchaseOrder PurchaseOrderItem PurchasingDocumentDeletionCode PurchaseOrderItemText Plant StorageLocation
       MaterialGroup PurchasingInfoRecord SupplierMaterialNumber PurchaseOrderQuantityUnit OrderPriceUnit
       DocumentCurrency TaxCode TaxCountry PurchaseOrderItemCategory AccountAssignmentCategory PurchaseContract
       PurchaseContractItem PurchaseRequisition PurchaseRequisitionItem RequisitionerName Material
       ManufacturerMaterial ProductType Batch YY1_CostObject_PDI`,
    ),
    ...fields('Decimal', 'OrderQuantity OrderPriceUnitToOrderUnitNmrtr OrdPriceUnitToOrderUnitDnmntr NetPriceAmount NetPriceQuantity'),
    ...fields('DateTime', 'TaxDeterminationDate'),
    ...fields(
      'Boolean',
      'IsCompletelyDelivered IsFinallyInvoiced GoodsReceiptIsExpected InvoiceIsExpected InvoiceIsGoodsReceiptBased IsReturnsItem',
    ),
  },
  readOnly: 'PurchasingDocumentDeletionCode DocumentCurrency',
  navigations: {
    to_PurchaseOrder: { target: () => purchaseOrderType, many: false },
    to_ScheduleLine: { target: () => scheduleLineType, many: true },
  },
});

export const scheduleLineType: EntityTypeDef = defineEntityType({
  service: SERVICE,
  typeName: 'A_PurchaseOrderScheduleLineType',
  entitySet: 'A_PurchaseOrderScheduleLine',
  keys: ['PurchasingDocument', 'PurchasingDocumentItem', 'ScheduleLine'],
  properties: {
    ...fields('String', 'PurchasingDocument PurchasingDocumentItem ScheduleLine DelivDateCategory PurchaseOrderQuantityUnit'),
    ...fields('DateTime', 'ScheduleLineDeliveryDate SchedLineStscDeliveryDate'),
    ...fields('Time', 'ScheduleLineDeliveryTime'),
    ...fields('Decimal', 'ScheduleLineOrderQuantity ScheduleLineCommittedQuantity'),
  },
  navigations: {},
});

export const purchaseOrderNoteType: EntityTypeDef = defineEntityType({
  service: SERVICE,
  typeName: 'A_PurchaseOrderNoteType',
  entitySet: 'A_PurchaseOrderNote',
  keys: ['PurchaseOrder', 'TextObjectType', 'Language'],
  properties: fields('String', 'PurchaseOrder TextObjectType Language PlainLongText'),
  navigations: {},
});
