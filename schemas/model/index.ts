/**
 * Every entity of the unified model, by name. This is the one definition the validators, types,
 * Avro schemas, ClickHouse tables and reference docs are derived from.
 */
import type { EntityName } from '../entities.js';
import { assetModel } from './asset.js';
import type { EntityModel } from './envelope.js';
import { inventoryItemModel } from './inventory-item.js';
import { purchaseOrderModel } from './purchase-order.js';
import { vendorModel } from './vendor.js';
import { workOrderModel } from './work-order.js';

export const entityModels: Record<EntityName, EntityModel> = {
  purchase_order: purchaseOrderModel,
  work_order: workOrderModel,
  inventory_item: inventoryItemModel,
  vendor: vendorModel,
  asset: assetModel,
};

export type { EntityModel } from './envelope.js';
export { TRANSFORMER_FIELDS } from './envelope.js';
export type { FieldDef, FieldType, RecordDef, ReferenceTarget, WriteAccess } from './field.js';
export { ENUMS, type EnumDef } from './enums.js';
