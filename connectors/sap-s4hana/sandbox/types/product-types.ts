import { defineEntityType, fields, type EntityTypeDef } from '../model.js';

/** API_PRODUCT_SRV: A_Product with its descriptions and valuation. */
export const productType: EntityTypeDef = defineEntityType({
  service: 'API_PRODUCT_SRV',
  typeName: 'A_ProductType',
  entitySet: 'A_Product',
  keys: ['Product'],
  properties: {
    ...fields(
      'String',
      `Product ProductType CrossPlantStatus CreatedByUser LastChangedByUser ProductOldID WeightUnit ProductGroup BaseUnit
       ItemCategoryGroup Division IndustrySector ProductStandardID ProductManufacturerNumber ManufacturerNumber
       PurchaseOrderQuantityUnit SizeOrDimensionText YY1_StorageBin_PRD`,
    ),
    ...fields('Decimal', 'GrossWeight NetWeight'),
    ...fields('DateTime', 'CreationDate LastChangeDate CrossPlantStatusValidityDate'),
    ...fields('DateTimeOffset', 'LastChangeDateTime'),
    ...fields('Boolean', 'IsMarkedForDeletion IsBatchManagementRequired'),
  },
  readOnly: 'CreatedByUser CreationDate LastChangedByUser LastChangeDate LastChangeDateTime',
  navigations: {
    to_Description: { target: () => productDescriptionType, many: true },
    to_Valuation: { target: () => productValuationType, many: true },
  },
});

export const productDescriptionType: EntityTypeDef = defineEntityType({
  service: 'API_PRODUCT_SRV',
  typeName: 'A_ProductDescriptionType',
  entitySet: 'A_ProductDescription',
  keys: ['Product', 'Language'],
  properties: fields('String', 'Product Language ProductDescription'),
  navigations: {},
});

export const productValuationType: EntityTypeDef = defineEntityType({
  service: 'API_PRODUCT_SRV',
  typeName: 'A_ProductValuationType',
  entitySet: 'A_ProductValuation',
  keys: ['Product', 'ValuationArea', 'ValuationType'],
  properties: {
    ...fields('String', 'Product ValuationArea ValuationType ValuationClass PriceDeterminationControl InventoryValuationProcedure Currency'),
    ...fields('Decimal', 'StandardPrice PriceUnitQty MovingAveragePrice'),
    ...fields('Boolean', 'IsMarkedForDeletion'),
  },
  navigations: {},
});

/**
 * API_MATERIAL_STOCK_SRV: stock per material × plant × storage location × batch × special stock ×
 * stock type. No change timestamp: a snapshot.
 */
export const materialStockType: EntityTypeDef = defineEntityType({
  service: 'API_MATERIAL_STOCK_SRV',
  typeName: 'A_MatlStkInAcctModType',
  entitySet: 'A_MatlStkInAcctMod',
  keys: [
    'Material',
    'Plant',
    'StorageLocation',
    'Batch',
    'Supplier',
    'Customer',
    'WBSElementInternalID',
    'SDDocument',
    'SDDocumentItem',
    'InventorySpecialStockType',
    'InventoryStockType',
  ],
  properties: {
    ...fields(
      'String',
      `Material Plant StorageLocation Batch Supplier Customer WBSElementInternalID SDDocument SDDocumentItem
       InventorySpecialStockType InventoryStockType MaterialBaseUnit`,
    ),
    ...fields('Decimal', 'MatlWrhsStkQtyInMatlBaseUnit'),
  },
  navigations: {},
});
