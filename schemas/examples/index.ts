/**
 * One complete, realistic record per entity, every field filled where the entity allows it.
 * The reference docs print them; tests use them to prove every field survives zod, Avro,
 * the schema registry and ClickHouse unchanged. Other parts may use them as fixtures.
 */
import type { EntityName } from '../entities.js';
import type { UnifiedRecordMap } from '../generated/types.js';
import { exampleAsset } from './asset.js';
import { exampleInventoryItem } from './inventory-item.js';
import { examplePurchaseOrder } from './purchase-order.js';
import { exampleVendor } from './vendor.js';
import { exampleWorkOrder } from './work-order.js';

const EXAMPLES: UnifiedRecordMap = {
  purchase_order: examplePurchaseOrder,
  work_order: exampleWorkOrder,
  inventory_item: exampleInventoryItem,
  vendor: exampleVendor,
  asset: exampleAsset,
};

/** A deep copy of the example record of an entity (tests may change it freely). */
export function exampleRecord<E extends EntityName>(entity: E): UnifiedRecordMap[E] {
  return structuredClone(EXAMPLES[entity]);
}

export { EXAMPLE_CONNECTION } from './envelope.js';
