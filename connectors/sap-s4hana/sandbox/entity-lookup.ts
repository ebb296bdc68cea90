import { compareValues, type EdmValue } from './edm.js';
import { children, type EntityTypeDef, type SandboxRecord } from './model.js';
import { sameItemNumber } from './resource-path.js';
import type { SapTenant } from './tenant.js';
import { maintenanceOrderOperationType } from './types/maintenance-order-types.js';
import { purchaseOrderItemType } from './types/purchase-order-types.js';

/**
 * Finds one entity by its key values: top-level sets through their collection, and the child
 * sets the connector addresses directly (PO items, maintenance order operations) through their
 * parent, as SAP's services resolve them.
 */
export interface FoundEntity {
  entityType: EntityTypeDef;
  record: SandboxRecord;
  /** The top-level record that owns a child entity (a PO for its item). */
  root: SandboxRecord;
}

export function entityTypeOf(tenant: SapTenant, service: string, entitySet: string): EntityTypeDef | undefined {
  const collection = tenant.collection(service, entitySet);
  if (collection) return collection.entityType;
  for (const child of [purchaseOrderItemType, maintenanceOrderOperationType]) {
    if (child.service === service && child.entitySet === entitySet) return child;
  }
  return undefined;
}

export function findEntity(tenant: SapTenant, service: string, entitySet: string, key: Record<string, EdmValue>): FoundEntity | undefined {
  if (service === purchaseOrderItemType.service && entitySet === purchaseOrderItemType.entitySet) {
    const order = tenant.purchaseOrders.get(String(key.PurchaseOrder));
    const item = order && children(order, 'to_PurchaseOrderItem').find((candidate) => sameItemNumber(candidate.PurchaseOrderItem, key.PurchaseOrderItem));
    return order && item ? { entityType: purchaseOrderItemType, record: item, root: order } : undefined;
  }
  if (service === maintenanceOrderOperationType.service && entitySet === maintenanceOrderOperationType.entitySet) {
    const order = tenant.maintenanceOrders.get(String(key.MaintenanceOrder));
    const operation =
      order &&
      children(order, 'to_MaintenanceOrderOperation').find(
        (candidate) =>
          sameItemNumber(candidate.MaintenanceOrderOperation, key.MaintenanceOrderOperation) &&
          String(candidate.MaintenanceOrderSubOperation ?? '') === String(key.MaintenanceOrderSubOperation ?? ''),
      );
    return order && operation ? { entityType: maintenanceOrderOperationType, record: operation, root: order } : undefined;
  }
  const collection = tenant.collection(service, entitySet);
  if (!collection) return undefined;
  const entityType = collection.entityType;
  const record = collection.get(String(key[entityType.keys[0]!]));
  if (!record) return undefined;
  const allKeysMatch = entityType.keys.every(
    (name) => compareValues(entityType.properties[name]!, (record[name] ?? null) as EdmValue, key[name] ?? null) === 0,
  );
  return allKeysMatch ? { entityType, record, root: record } : undefined;
}
