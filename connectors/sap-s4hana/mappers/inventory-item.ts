import type { InventoryItemStatus, InventoryItemType, MappedInventoryItem, MappedStockLevel } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import { divide, sum } from '../decimal.js';
import { dateAsTimestamp, RawReader } from './raw-reader.js';

/**
 * A_Product (with `to_Description` and `to_Valuation` expanded) plus its stock → unified inventory
 * item. The inventory stream attaches the product's rows of API_MATERIAL_STOCK_SRV
 * `A_MatlStkInAcctMod` as SAP returned them under `millrace_stock_rows`. One stock level per
 * plant / storage location / batch: on_hand sums every stock type and special stock there,
 * available is the unrestricted-use own stock (InventoryStockType 01, no special stock).
 *
 * | ProductType                            | type          |
 * |----------------------------------------|---------------|
 * | ERSA (spare parts)                     | spare_part    |
 * | DIEN, SERV (services)                  | service       |
 * | NLAG, UNBW, NOF1 (non-stock, non-valuated) | non_inventory |
 * | ROH, HALB, FERT, HAWA, HIBE, VERP, FHMI, … | inventory  |
 * Status: inactive when IsMarkedForDeletion or a cross-plant status (a block) is set; remote_status
 * is the cross-plant status, with DLFL added for the deletion flag.
 */
export const STOCK_ROWS_KEY = 'millrace_stock_rows';

const TYPES: Record<string, InventoryItemType> = {
  ERSA: 'spare_part',
  DIEN: 'service',
  SERV: 'service',
  NLAG: 'non_inventory',
  UNBW: 'non_inventory',
  NOF1: 'non_inventory',
};

export function inventoryItemType(productType: string | null): InventoryItemType | null {
  if (productType === null) return null;
  return TYPES[productType] ?? 'inventory';
}

function stockLevels(raw: Record<string, unknown>, ctx: MapContext): MappedStockLevel[] {
  const rows = raw[STOCK_ROWS_KEY];
  if (rows === undefined || rows === null) return [];
  if (!Array.isArray(rows)) throw new MappingError(STOCK_ROWS_KEY, 'expected the list of A_MatlStkInAcctMod rows');
  const groups = new Map<string, { location: string; batch: string | null; uom: string | null; onHand: string[]; available: string[] }>();
  rows.forEach((row, index) => {
    if (!row || typeof row !== 'object') throw new MappingError(`${STOCK_ROWS_KEY}[${index}]`, 'is not a stock row');
    const reader = new RawReader(row as Record<string, unknown>, `${STOCK_ROWS_KEY}[${index}]`);
    const plant = reader.requiredText('Plant');
    const storageLocation = reader.text('StorageLocation');
    const location = storageLocation ? `${plant}/${storageLocation}` : plant;
    const batch = reader.text('Batch');
    const quantity = reader.decimal('MatlWrhsStkQtyInMatlBaseUnit') ?? '0';
    const key = `${location}|${batch ?? ''}`;
    const group = groups.get(key) ?? { location, batch, uom: reader.text('MaterialBaseUnit'), onHand: [], available: [] };
    group.onHand.push(quantity);
    if (reader.text('InventoryStockType') === '01' && !reader.text('InventorySpecialStockType')) group.available.push(quantity);
    groups.set(key, group);
  });
  return [...groups.values()].map((group) => ({
    location_id: ctx.idFor('location', group.location),
    location_remote_id: group.location,
    location_name: group.location,
    bin: null,
    on_hand: sum(group.onHand),
    available: sum(group.available),
    committed: null,
    on_order: null,
    uom: group.uom,
    lot: group.batch,
    updated_at: null,
  }));
}

function status(product: RawReader): { status: InventoryItemStatus; remote: string | null } {
  const crossPlant = product.text('CrossPlantStatus');
  const deleted = product.flag('IsMarkedForDeletion');
  const remote = [crossPlant, deleted ? 'DLFL' : null].filter(Boolean).join(' ');
  return { status: deleted || crossPlant ? 'inactive' : 'active', remote: remote || null };
}

export function mapInventoryItem(raw: Record<string, unknown>, ctx: MapContext): MappedInventoryItem {
  const product = new RawReader(raw);
  const code = product.requiredText('Product');
  const descriptions = product.children('to_Description');
  const name = (descriptions.find((description) => description.text('Language') === 'EN') ?? descriptions[0])?.text('ProductDescription') ?? null;
  const valuation = product.children('to_Valuation').find((entry) => entry.text('ValuationType') === null) ?? product.children('to_Valuation')[0];
  const priceUnit = valuation?.decimal('PriceUnitQty') ?? '1';
  const perUnit = (value: string | null | undefined) => (value === null || value === undefined || priceUnit === '0' ? null : divide(value, priceUnit, 9));
  const productType = product.text('ProductType');
  const { status: itemStatus, remote } = status(product);
  const deleted = product.flag('IsMarkedForDeletion');
  const updatedAt = product.timestamp('LastChangeDateTime');
  return {
    remote_id: code,
    display_value: name ? `${name} (${code})` : `Product ${code}`,
    remote_created_at: dateAsTimestamp(product.date('CreationDate')),
    remote_updated_at: updatedAt,
    remote_deleted_at: deleted ? updatedAt : null,
    is_deleted: deleted,
    code,
    name,
    description: null,
    type: inventoryItemType(productType),
    remote_type: productType,
    status: itemStatus,
    remote_status: remote,
    uom: product.text('BaseUnit'),
    unit_cost: perUnit(valuation?.decimal('StandardPrice')),
    average_cost: perUnit(valuation?.decimal('MovingAveragePrice')),
    last_purchase_price: null,
    currency: valuation?.text('Currency') ?? null,
    preferred_vendor_id: null,
    preferred_vendor_remote_id: null,
    vendor_part_number: null,
    manufacturer: null,
    manufacturer_part_number: product.text('ProductManufacturerNumber'),
    barcode: product.text('ProductStandardID'),
    min_quantity: null,
    max_quantity: null,
    reorder_point: null,
    category: product.text('ProductGroup'),
    stock_levels: stockLevels(raw, ctx),
    custom_fields: product.customFields(),
  };
}
