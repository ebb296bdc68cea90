import { mapInventoryItem } from '../mappers/inventory-item.js';
import { INVENTORY_ITEMS } from '../suiteql.js';
import { netsuiteStream } from './netsuite-stream.js';

/**
 * Inventory items with stock per location. Quantities change through transactions (receipts,
 * fulfilments, adjustments) without touching the item's lastModifiedDate, so besides the changed
 * items every item is re-read every `stockRefreshHours`.
 */
export const inventoryItemsStream = netsuiteStream({
  name: 'inventory_items',
  entity: 'inventory_item',
  spec: INVENTORY_ITEMS,
  map: mapInventoryItem,
  fullReadEvery: (client) => client.config.stockRefreshHours * 3600,
});
