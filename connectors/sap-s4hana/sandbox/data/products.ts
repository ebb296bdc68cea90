import { decimalBetween, intBetween, pick, seededRandom } from '../../../sandbox-kit/seeded.js';
import { dateOnly, MS_PER_DAY } from '../edm.js';
import type { SandboxRecord } from '../model.js';
import { PLANT, productIndex, productNumber, type GeneratorContext } from './catalog.js';

/**
 * Products with descriptions and valuation, and their stock in API_MATERIAL_STOCK_SRV: three rows
 * per product (unrestricted stock in two storage locations, quality-inspection stock in one), in
 * key order, so the stock set's key index is the generation order.
 */
export const STOCK_ROWS_PER_PRODUCT = 3;

const KINDS = [
  { type: 'ERSA', group: 'L004', name: 'Spare part', unit: 'PC' },
  { type: 'ROH', group: 'L001', name: 'Raw material', unit: 'KG' },
  { type: 'HAWA', group: 'L002', name: 'Trading good', unit: 'EA' },
  { type: 'ERSA', group: 'L004', name: 'Seal kit', unit: 'PC' },
  { type: 'FERT', group: 'P001', name: 'Finished assembly', unit: 'PC' },
] as const;

export function productKind(index: number): (typeof KINDS)[number] {
  return KINDS[index % KINDS.length]!;
}

export function generateProduct(context: GeneratorContext, index: number): SandboxRecord {
  const random = seededRandom(context.seed ^ 0x9d, index);
  const number = productNumber(index);
  const kind = productKind(index);
  const createdMs = dateOnly(context.baseMs - intBetween(random, 30, 900) * MS_PER_DAY);
  const changedMs = context.baseMs + index * 20_000;
  const standardPrice = decimalBetween(random, 0.8, 1800, 2);
  const priceUnit = index % 10 === 4 ? '100' : '1';
  return {
    Product: number,
    ProductType: kind.type,
    CrossPlantStatus: index % 37 === 12 ? '01' : '',
    CrossPlantStatusValidityDate: null,
    CreatedByUser: 'CB9980000010',
    LastChangedByUser: 'CB9980000010',
    ProductOldID: '',
    WeightUnit: 'KG',
    ProductGroup: kind.group,
    BaseUnit: kind.unit,
    ItemCategoryGroup: 'NORM',
    Division: '00',
    IndustrySector: 'M',
    ProductStandardID: index % 3 === 0 ? String(4006381333900 + index) : '',
    ProductManufacturerNumber: index % 2 === 0 ? `MFR-${intBetween(random, 10000, 99999)}` : '',
    ManufacturerNumber: index % 2 === 0 ? pick(random, ['17300001', '17300002']) : '',
    PurchaseOrderQuantityUnit: '',
    SizeOrDimensionText: '',
    YY1_StorageBin_PRD: index % 4 === 1 ? `BIN-${String.fromCharCode(65 + (index % 6))}${intBetween(random, 1, 40)}` : '',
    GrossWeight: decimalBetween(random, 0.05, 40, 3),
    NetWeight: decimalBetween(random, 0.05, 35, 3),
    CreationDate: createdMs,
    LastChangeDate: dateOnly(changedMs),
    LastChangeDateTime: changedMs * 1000,
    IsMarkedForDeletion: index % 43 === 20,
    IsBatchManagementRequired: false,
    to_Description: [
      { Product: number, Language: 'EN', ProductDescription: `${kind.name} ${number}` },
      { Product: number, Language: 'DE', ProductDescription: `${kind.name} ${number} (DE)` },
    ],
    to_Valuation: [
      {
        Product: number,
        ValuationArea: PLANT,
        ValuationType: '',
        ValuationClass: '3000',
        PriceDeterminationControl: '2',
        InventoryValuationProcedure: index % 2 === 0 ? 'S' : 'V',
        Currency: 'USD',
        StandardPrice: standardPrice,
        PriceUnitQty: priceUnit,
        MovingAveragePrice: (Number(standardPrice) * 0.98).toFixed(2),
        IsMarkedForDeletion: false,
      },
    ],
  };
}

const STOCK_SLOTS = [
  { storageLocation: '171A', stockType: '01' },
  { storageLocation: '171A', stockType: '02' },
  { storageLocation: '171B', stockType: '01' },
] as const;

export function stockKey(row: SandboxRecord): string {
  return [row.Material, row.Plant, row.StorageLocation, row.Batch, row.InventorySpecialStockType, row.InventoryStockType].join('|');
}

export function generateStockRow(context: GeneratorContext, rowIndex: number): SandboxRecord {
  const productIndex = Math.floor(rowIndex / STOCK_ROWS_PER_PRODUCT);
  const slot = STOCK_SLOTS[rowIndex % STOCK_ROWS_PER_PRODUCT]!;
  const random = seededRandom(context.seed ^ 0x570c, rowIndex);
  const quantity = slot.stockType === '02' ? intBetween(random, 0, 5) : intBetween(random, 0, 900);
  return stockRow(productNumber(productIndex), slot.storageLocation, slot.stockType, productKind(productIndex).unit, `${quantity}.000`);
}

/** The inverse of stockRowKeyAt; undefined for a key no generated row has. */
export function stockRowIndexOf(key: string): number | undefined {
  const [material = '', , storageLocation, , , stockType] = key.split('|');
  const product = productIndex(material);
  const slot = STOCK_SLOTS.findIndex((candidate) => candidate.storageLocation === storageLocation && candidate.stockType === stockType);
  return product === undefined || slot < 0 ? undefined : product * STOCK_ROWS_PER_PRODUCT + slot;
}

export function stockRowKeyAt(rowIndex: number): string {
  const productIndex = Math.floor(rowIndex / STOCK_ROWS_PER_PRODUCT);
  const slot = STOCK_SLOTS[rowIndex % STOCK_ROWS_PER_PRODUCT]!;
  return [productNumber(productIndex), PLANT, slot.storageLocation, '', '', slot.stockType].join('|');
}

export function stockRow(material: string, storageLocation: string, stockType: string, unit: string, quantity: string): SandboxRecord {
  return {
    Material: material,
    Plant: PLANT,
    StorageLocation: storageLocation,
    Batch: '',
    Supplier: '',
    Customer: '',
    WBSElementInternalID: '00000000',
    SDDocument: '',
    SDDocumentItem: '000000',
    InventorySpecialStockType: '',
    InventoryStockType: stockType,
    MaterialBaseUnit: unit,
    MatlWrhsStkQtyInMatlBaseUnit: quantity,
  };
}
