import type { FastifyInstance } from 'fastify';
import type { FaultState } from '../../sandbox-kit/faults.js';
import { splitDateTime } from './data/business-partners.js';
import { stockKey, stockRow } from './data/products.js';
import { dateOnly } from './edm.js';
import { children, type SandboxRecord } from './model.js';
import type { OrderedCollection } from './ordered-collection.js';
import type { SapSandboxState } from './state.js';

/**
 * The sandbox's control API: change data the way users of the real system would (each change
 * moves the record's change time exactly as SAP does for that entity), and switch faults. Tests
 * call the methods; the demo and external tools use the `/__sandbox/*` routes.
 */
export interface ChangeOptions {
  /** Change time to stamp (µs), instead of "now"; lets a test place records in one millisecond. */
  changedAtMicros?: number;
}

function requireRecord(collection: OrderedCollection, key: string): SandboxRecord {
  const record = collection.get(key);
  if (!record) throw new Error(`${collection.entityType.entitySet} ${key} does not exist in the sandbox`);
  return structuredClone(record);
}

export class SapSandboxControl {
  constructor(readonly state: SapSandboxState) {}

  private get tenant() {
    return this.state.tenant;
  }

  private micros(options: ChangeOptions): number {
    return options.changedAtMicros ?? this.tenant.nowMicros();
  }

  // ---- faults -------------------------------------------------------------------------------
  setFaults(patch: Partial<FaultState>): void {
    Object.assign(this.state.faults, patch);
  }

  revokeCredentials(): void {
    this.state.security.revoked = true;
  }

  restoreCredentials(): void {
    this.state.security.revoked = false;
  }

  denyService(service: string): void {
    this.state.security.deniedServices.add(service);
  }

  allowService(service: string): void {
    this.state.security.deniedServices.delete(service);
  }

  expireTokens(): void {
    this.state.security.expireTokens();
  }

  expireCsrfSessions(): void {
    this.state.security.expireCsrfSessions();
  }

  changeWhilePaging(entitySet: string | null, recordsPerPage = 2): void {
    this.state.changeWhilePaging = entitySet === null ? null : { entitySet, recordsPerPage };
  }

  lockPurchaseOrder(purchaseOrder: string, user = 'BUYER_02'): void {
    this.state.locks.set(purchaseOrder, user);
  }

  unlockPurchaseOrder(purchaseOrder: string): void {
    this.state.locks.delete(purchaseOrder);
  }

  // ---- data ---------------------------------------------------------------------------------
  purchaseOrder(number: string): SandboxRecord | undefined {
    return this.tenant.purchaseOrders.get(number);
  }

  updatePurchaseOrder(number: string, patch: SandboxRecord, options: ChangeOptions = {}): SandboxRecord {
    const order = { ...requireRecord(this.tenant.purchaseOrders, number), ...patch };
    order.LastChangeDateTime = this.micros(options);
    this.tenant.purchaseOrders.put(order);
    return order;
  }

  updatePurchaseOrderItem(number: string, item: string, patch: SandboxRecord, options: ChangeOptions = {}): SandboxRecord {
    const order = requireRecord(this.tenant.purchaseOrders, number);
    const target = children(order, 'to_PurchaseOrderItem').find((candidate) => candidate.PurchaseOrderItem === item);
    if (!target) throw new Error(`purchase order ${number} has no item ${item}`);
    Object.assign(target, patch);
    order.LastChangeDateTime = this.micros(options);
    this.tenant.purchaseOrders.put(order);
    return order;
  }

  /** Deletion flag L on the order and all its items (what "delete" does to a PO in SAP). */
  flagPurchaseOrderDeleted(number: string, options: ChangeOptions = {}): SandboxRecord {
    const order = requireRecord(this.tenant.purchaseOrders, number);
    order.PurchasingDocumentDeletionCode = 'L';
    for (const item of children(order, 'to_PurchaseOrderItem')) item.PurchasingDocumentDeletionCode = 'L';
    order.LastChangeDateTime = this.micros(options);
    this.tenant.purchaseOrders.put(order);
    return order;
  }

  /** Removes a record entirely (archiving): the API stops returning it, with no trace. */
  archive(entitySet: 'A_PurchaseOrder' | 'MaintenanceOrder' | 'Equipment' | 'A_Product', key: string): boolean {
    const collection = this.collectionOf(entitySet);
    const existed = collection.delete(key);
    if (entitySet === 'A_Product') {
      for (const row of [...this.tenant.stock.scan('key', false, { lower: key, upper: key })]) this.tenant.stock.delete(stockKey(row));
    }
    return existed;
  }

  updateMaintenanceOrder(number: string, patch: SandboxRecord): SandboxRecord {
    const order = { ...requireRecord(this.tenant.maintenanceOrders, number), ...patch };
    order.LastChangeDateTime = Math.floor(this.tenant.nowMicros() / 1_000_000) * 1000;
    this.tenant.maintenanceOrders.put(order);
    return order;
  }

  updateEquipment(number: string, patch: SandboxRecord): SandboxRecord {
    const equipment = { ...requireRecord(this.tenant.equipment, number), ...patch };
    equipment.LastChangeDateTime = Math.floor(this.tenant.nowMicros() / 1_000_000) * 1000;
    this.tenant.equipment.put(equipment);
    return equipment;
  }

  /** Changes a business partner (and optionally its supplier role); moves LastChangeDate/Time. */
  updateBusinessPartner(number: string, patch: SandboxRecord, supplierPatch?: SandboxRecord): SandboxRecord {
    const partner = { ...requireRecord(this.tenant.businessPartners, number), ...patch };
    const changed = splitDateTime(Math.floor(this.tenant.nowMicros() / 1000));
    partner.LastChangeDate = changed.date;
    partner.LastChangeTime = changed.time;
    if (supplierPatch) {
      const role = { ...requireRecord(this.tenant.suppliers, number), ...supplierPatch };
      partner.supplierRole = role;
      this.tenant.suppliers.put(role);
    }
    this.tenant.businessPartners.put(partner);
    return partner;
  }

  updateProduct(number: string, patch: SandboxRecord): SandboxRecord {
    const product = { ...requireRecord(this.tenant.products, number), ...patch };
    const micros = this.tenant.nowMicros();
    product.LastChangeDateTime = micros;
    product.LastChangeDate = dateOnly(Math.floor(micros / 1000));
    this.tenant.products.put(product);
    return product;
  }

  /** Sets (or creates) one stock row's quantity; stock has no change time in SAP. */
  setStock(material: string, storageLocation: string, stockType: string, quantity: string): void {
    const product = this.tenant.products.get(material);
    if (!product) throw new Error(`product ${material} does not exist in the sandbox`);
    this.tenant.stock.put(stockRow(material, storageLocation, stockType, String(product.BaseUnit), quantity));
  }

  private collectionOf(entitySet: string): OrderedCollection {
    const map: Record<string, OrderedCollection> = {
      A_PurchaseOrder: this.tenant.purchaseOrders,
      MaintenanceOrder: this.tenant.maintenanceOrders,
      Equipment: this.tenant.equipment,
      A_Product: this.tenant.products,
    };
    const collection = map[entitySet];
    if (!collection) throw new Error(`unknown entity set ${entitySet}`);
    return collection;
  }

  /** Touches a record: a change with no visible field difference, just a new change time. */
  touch(entitySet: string, key: string): void {
    if (entitySet === 'A_PurchaseOrder') this.updatePurchaseOrder(key, {});
    else if (entitySet === 'MaintenanceOrder') this.updateMaintenanceOrder(key, {});
    else if (entitySet === 'Equipment') this.updateEquipment(key, {});
    else if (entitySet === 'A_BusinessPartner') this.updateBusinessPartner(key, {});
    else if (entitySet === 'A_Product') this.updateProduct(key, {});
    else throw new Error(`unknown entity set ${entitySet}`);
  }
}

/** `/__sandbox/*`: the control API over HTTP, for the demo and manual testing. */
export function registerControlRoutes(app: FastifyInstance, control: SapSandboxControl): void {
  app.post('/__sandbox/faults', async (request) => {
    control.setFaults((request.body ?? {}) as Partial<FaultState>);
    return { faults: control.state.faults };
  });
  app.post('/__sandbox/credentials/revoke', async () => {
    control.revokeCredentials();
    return { revoked: true };
  });
  app.post('/__sandbox/credentials/restore', async () => {
    control.restoreCredentials();
    return { revoked: false };
  });
  app.post('/__sandbox/csrf/expire', async () => {
    control.expireCsrfSessions();
    return { expired: true };
  });
  app.post<{ Params: { entitySet: string; key: string } }>('/__sandbox/touch/:entitySet/:key', async (request, reply) => {
    try {
      control.touch(request.params.entitySet, request.params.key);
      return { touched: request.params };
    } catch (error) {
      return reply.code(404).send({ error: (error as Error).message });
    }
  });
  app.patch<{ Params: { key: string } }>('/__sandbox/purchase-orders/:key', async (request, reply) => {
    try {
      return { purchaseOrder: control.updatePurchaseOrder(request.params.key, (request.body ?? {}) as SandboxRecord).PurchaseOrder };
    } catch (error) {
      return reply.code(404).send({ error: (error as Error).message });
    }
  });
  app.get('/__sandbox/requests', async () => ({ requests: control.state.requestLog.slice(-200) }));
}
