import { inventoryItemStatus, inventoryItemType } from './enums.js';
import { entityModel } from './envelope.js';
import { f, fields, record, reference } from './field.js';

export const stockLevel = record(
  'StockLevel',
  'Stock of the item at one location (plant + storage location, warehouse, bin), for one lot when the source tracks lots. The item is the parent record, so a stock level carries no item_id of its own.',
  {
    ...reference('location', 'location', 'Where the stock is (plant/storage location, warehouse, storeroom)'),
    location_name: f.text('Name or code of the location as the source shows it (1710/0001, "Main warehouse").'),
    bin: f.text('Bin or shelf within the location.'),
    on_hand: f.quantity('Physically on hand, in uom.'),
    available: f.quantity('Available to use or promise: on hand less committed (as the source computes it).'),
    committed: f.quantity('Reserved or allocated for orders and work orders.'),
    on_order: f.quantity('Ordered from vendors and not yet received.'),
    uom: f.code('Unit of measure of the quantities (the item\'s base unit unless the source says otherwise).'),
    lot: f.text('Lot or batch number; null when the stock is not lot-tracked.'),
    updated_at: f.timestamp('When the source last changed this stock level (UTC); null when it does not say.'),
  },
);

export const inventoryItemModel = entityModel({
  entity: 'inventory_item',
  name: 'InventoryItem',
  label: 'inventory items',
  doc: 'Something bought, stocked or used: material, part, service item (SAP product/material, NetSuite item, Business Central item, Maximo item, a CMMS part), with its stock per location.',
  own: fields({
    code: f.text('Item number or SKU (SAP material number, NetSuite itemId, Business Central number).'),
    name: f.text('Short name.'),
    description: f.text('Longer description.'),
    type: f.enum(inventoryItemType, 'Canonical item type.'),
    remote_type: f.code('The item type as the source states it (SAP product type ERSA, NetSuite InvtPart).'),
    status: f.enum(inventoryItemStatus, 'Canonical status.'),
    remote_status: f.code('The status as the source states it.'),
    uom: f.code('Base unit of measure (EA, KG, M).'),
    unit_cost: f.money('Standard or current cost of one uom, in currency.'),
    average_cost: f.money('Moving average cost of one uom, in currency.'),
    last_purchase_price: f.money('Price of one uom on the last purchase, in currency.'),
    currency: f.currency('Currency of the costs and prices (ISO 4217).'),
    ...reference('preferred_vendor', 'vendor', 'The vendor usually bought from'),
    vendor_part_number: f.text('The preferred vendor\'s part number.'),
    manufacturer: f.text('Manufacturer name.'),
    manufacturer_part_number: f.text('Manufacturer\'s part number.'),
    barcode: f.text('Barcode (EAN/UPC/GTIN) as the source stores it.'),
    min_quantity: f.quantity('Minimum stock to keep, in uom.'),
    max_quantity: f.quantity('Maximum stock to keep, in uom.'),
    reorder_point: f.quantity('Stock level at which to reorder, in uom.'),
    category: f.text('Item group, class or category.'),
    stock_levels: f.records(stockLevel, 'Stock per location (and lot).'),
  }),
});
