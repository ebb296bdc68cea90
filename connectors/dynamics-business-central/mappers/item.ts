import type { MappedRecord } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import type { BcItem } from '../raw-types.js';
import { contextOf, decimal, remoteIdOf, requiredGuid, requiredString, text, timestamp } from './values.js';

type ItemType = NonNullable<MappedRecord<'inventory_item'>['type']>;

const TYPES: Record<string, ItemType> = { Inventory: 'inventory', 'Non-Inventory': 'non_inventory', Service: 'service' };

/**
 * Business Central item → unified inventory item. API v2.0 states one stock figure, `inventory`
 * (all locations together), so an inventory item gets one stock level with no location; service
 * and non-inventory items get none. Costs are in the company's local currency, which the item
 * does not state, so `currency` is null.
 */
export function mapItem(raw: BcItem, _ctx: MapContext): MappedRecord<'inventory_item'> {
  const { companyId } = contextOf(raw);
  const id = requiredGuid(raw.id, 'id');
  const number = requiredString(raw.number, 'number');
  if (typeof raw.blocked !== 'boolean') throw new MappingError('blocked', `expected true or false, got ${JSON.stringify(raw.blocked)}`);
  const uom = text(raw.baseUnitOfMeasureCode);
  return {
    remote_id: remoteIdOf(companyId, id),
    display_value: text(raw.displayName) ? `${number} ${raw.displayName}` : number,
    remote_created_at: null,
    remote_updated_at: timestamp(raw.lastModifiedDateTime, 'lastModifiedDateTime'),
    remote_deleted_at: null,
    is_deleted: false,
    code: number,
    name: text(raw.displayName),
    description: null,
    type: TYPES[raw.type] ?? null,
    remote_type: text(raw.type),
    status: raw.blocked ? 'inactive' : 'active',
    remote_status: raw.blocked ? 'blocked' : null,
    uom,
    unit_cost: decimal(raw.unitCost, 'unitCost'),
    average_cost: null,
    last_purchase_price: null,
    currency: null,
    preferred_vendor_id: null,
    preferred_vendor_remote_id: null,
    vendor_part_number: null,
    manufacturer: null,
    manufacturer_part_number: null,
    barcode: text(raw.gtin),
    min_quantity: null,
    max_quantity: null,
    reorder_point: null,
    category: text(raw.itemCategoryCode),
    stock_levels: raw.type === 'Inventory'
      ? [{
          location_id: null, location_remote_id: null, location_name: null, bin: null,
          on_hand: decimal(raw.inventory, 'inventory'), available: null, committed: null, on_order: null,
          uom, lot: null, updated_at: null,
        }]
      : [],
    custom_fields: {},
  };
}
