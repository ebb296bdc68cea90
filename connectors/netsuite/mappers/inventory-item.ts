import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import type { MappedInventoryItem } from '../../../schemas/index.js';
import { currencyCode, customFields, decimal, flag, ref, sublist, text, timestamp, type Raw } from './common.js';

/**
 * NetSuite inventory item (`GET /record/v1/inventoryItem/{id}?expandSubResources=true`) →
 * unified InventoryItem with one stock level per row of the `locations` sublist.
 */
export function mapInventoryItem(raw: Raw, ctx: MapContext): MappedInventoryItem {
  const id = text(raw, 'id');
  if (!id) throw new MappingError('id', 'an inventory item without an internal id');
  const itemId = text(raw, 'itemId');
  const uom = ref(raw, 'stockUnit')?.refName ?? ref(raw, 'baseUnit')?.refName ?? null;
  const inactive = flag(raw, 'isInactive');
  const vendors = sublist(raw, 'itemVendor');
  const preferredIndex = vendors.findIndex((row, index) => flag(row, 'preferredVendor', `itemVendor.items[${index}].preferredVendor`));
  const preferred = preferredIndex >= 0 ? vendors[preferredIndex]! : undefined;
  const preferredVendor = preferred ? ref(preferred, 'vendor', `itemVendor.items[${preferredIndex}].vendor`) : null;
  const stockLevels = sublist(raw, 'locations').map((row, index) => {
    const path = (field: string) => `locations.items[${index}].${field}`;
    const location = ref(row, 'location', path('location'));
    if (!location) throw new MappingError(path('location'), 'a locations row without its location');
    return {
      location_id: ctx.idFor('location', location.id),
      location_remote_id: location.id,
      location_name: location.refName,
      bin: null,
      on_hand: decimal(row, 'quantityOnHand', path('quantityOnHand')) ?? '0',
      available: decimal(row, 'quantityAvailable', path('quantityAvailable')),
      committed: decimal(row, 'quantityCommitted', path('quantityCommitted')),
      on_order: decimal(row, 'quantityOnOrder', path('quantityOnOrder')),
      uom,
      lot: null,
      // NetSuite does not stamp location quantities; their changes come from transactions.
      updated_at: null,
    };
  });
  const itemType = ref(raw, 'itemType')?.id ?? 'InvtPart';
  return {
    remote_id: id,
    display_value: itemId ?? text(raw, 'displayName') ?? `Item ${id}`,
    remote_created_at: timestamp(raw, 'createdDate'),
    remote_updated_at: timestamp(raw, 'lastModifiedDate'),
    is_deleted: false,
    code: itemId,
    name: text(raw, 'displayName') ?? itemId,
    description: text(raw, 'purchaseDescription') ?? text(raw, 'salesDescription'),
    type: 'inventory',
    remote_type: itemType,
    status: inactive ? 'inactive' : 'active',
    remote_status: inactive ? 'isInactive=true' : 'isInactive=false',
    uom,
    unit_cost: decimal(raw, 'cost'),
    average_cost: decimal(raw, 'averageCost'),
    last_purchase_price: decimal(raw, 'lastPurchasePrice'),
    currency: currencyCode(ref(raw, 'currency')),
    preferred_vendor_id: preferredVendor ? ctx.idFor('vendor', preferredVendor.id) : null,
    preferred_vendor_remote_id: preferredVendor?.id ?? null,
    vendor_part_number: preferred ? text(preferred, 'vendorCode', `itemVendor.items[${preferredIndex}].vendorCode`) : text(raw, 'vendorName'),
    manufacturer: text(raw, 'manufacturer'),
    manufacturer_part_number: text(raw, 'mpn'),
    barcode: text(raw, 'upcCode'),
    min_quantity: null,
    max_quantity: null,
    reorder_point: null,
    category: ref(raw, 'class')?.refName ?? null,
    stock_levels: stockLevels,
    custom_fields: customFields(raw, ['custitem']),
  };
}
