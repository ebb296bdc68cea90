import type { FastifyInstance } from 'fastify';
import { createPurchaseOrder, updatePurchaseOrder } from './po-writes.js';
import type { InventoryItem, PurchaseOrder, RecordType, Vendor } from './records.js';
import type { SandboxState } from './state.js';

/**
 * What tests and the demo do to the "real system" behind the connector's back: create, change and
 * delete records (changes stamp lastModifiedDate with the current minute, deletes land in the
 * deleted-record log), and flip credentials. Also served as `/__sandbox/*` routes.
 */
export class NetSuiteSandboxControl {
  private revoked = false;

  constructor(private readonly state: SandboxState, private readonly onRevoke: (revoked: boolean) => void, private readonly onExpire: () => void = () => {}) {}

  /** Expires every OAuth 2.0 access token already issued (clients must fetch new ones). */
  expireAccessTokens(): void {
    this.onExpire();
  }

  /** Creates a purchase order from a REST body (`{entity:{id}, item:{items:[…]}}`); returns its id. */
  createPurchaseOrder(body: Record<string, unknown>): string {
    const outcome = createPurchaseOrder(this.state.store, body);
    if (!outcome.ok) throw new Error(outcome.error.detail);
    return outcome.record.id;
  }

  /** Applies a REST PATCH body to a purchase order. */
  updatePurchaseOrder(id: string, body: Record<string, unknown>): PurchaseOrder {
    const existing = this.state.store.get('purchaseorder', id);
    if (!existing) throw new Error(`purchase order ${id} does not exist`);
    const outcome = updatePurchaseOrder(this.state.store, existing, body, []);
    if (!outcome.ok) throw new Error(outcome.error.detail);
    return outcome.record;
  }

  updateVendor(id: string, changes: Partial<Omit<Vendor, 'id'>>): Vendor {
    const existing = this.state.store.get('vendor', id);
    if (!existing) throw new Error(`vendor ${id} does not exist`);
    return this.state.store.save('vendor', { ...existing, ...changes });
  }

  updateInventoryItem(id: string, changes: Partial<Omit<InventoryItem, 'id'>>): InventoryItem {
    const existing = this.state.store.get('inventoryitem', id);
    if (!existing) throw new Error(`inventory item ${id} does not exist`);
    return this.state.store.save('inventoryitem', { ...existing, ...changes });
  }

  /**
   * Sets an item's quantity on hand at a location as a transaction would (a receipt, an
   * adjustment): the item's lastModifiedDate stays as it was.
   */
  setStock(itemId: string, locationId: string, onHand: number): InventoryItem {
    const existing = this.state.store.get('inventoryitem', itemId);
    if (!existing) throw new Error(`inventory item ${itemId} does not exist`);
    const row = existing.locations.find((location) => location.location.id === locationId);
    if (!row) throw new Error(`inventory item ${itemId} has no stock at location ${locationId}`);
    const locations = existing.locations.map((location) =>
      location === row ? { ...row, quantityOnHand: onHand, quantityAvailable: Math.max(0, onHand - row.quantityCommitted) } : location,
    );
    return this.state.store.saveWithoutStamp('inventoryitem', { ...existing, locations });
  }

  /** Changes a record's text without anything else: a new lastModifiedDate and a visible difference. */
  touch(type: RecordType, id: string, note: string): void {
    if (type === 'purchaseorder') this.updatePurchaseOrder(id, { memo: note });
    else if (type === 'vendor') this.updateVendor(id, { comments: note });
    else this.updateInventoryItem(id, { purchaseDescription: note });
  }

  deleteRecord(type: RecordType, id: string): boolean {
    return this.state.store.delete(type, id);
  }

  /** Revokes every credential: TBA tokens, OAuth 2.0 certificate mappings and issued access tokens. */
  revokeCredentials(): void {
    this.revoked = true;
    this.onRevoke(true);
  }

  restoreCredentials(): void {
    this.revoked = false;
    this.onRevoke(false);
  }

  get credentialsRevoked(): boolean {
    return this.revoked;
  }
}

const RECORD_TYPES = new Set(['purchaseorder', 'vendor', 'inventoryitem']);

export function registerControlRoutes(app: FastifyInstance, state: SandboxState, control: NetSuiteSandboxControl): void {
  app.post<{ Body: Record<string, unknown> }>('/__sandbox/purchase-orders', async (request, reply) => {
    try {
      return reply.code(201).send({ id: control.createPurchaseOrder(request.body) });
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
  });
  app.post<{ Params: { type: string; id: string }; Body: { note?: string } }>('/__sandbox/records/:type/:id/touch', async (request, reply) => {
    if (!RECORD_TYPES.has(request.params.type)) return reply.code(404).send({ error: 'unknown record type' });
    try {
      control.touch(request.params.type as RecordType, request.params.id, request.body?.note ?? `Changed at ${new Date().toISOString()}`);
      return reply.code(204).send();
    } catch (error) {
      return reply.code(404).send({ error: (error as Error).message });
    }
  });
  app.delete<{ Params: { type: string; id: string } }>('/__sandbox/records/:type/:id', async (request, reply) => {
    if (!RECORD_TYPES.has(request.params.type)) return reply.code(404).send({ error: 'unknown record type' });
    return control.deleteRecord(request.params.type as RecordType, request.params.id) ? reply.code(204).send() : reply.code(404).send({ error: 'no such record' });
  });
  app.post<{ Body: Partial<SandboxState['faults']> }>('/__sandbox/faults', async (request, reply) => {
    Object.assign(state.faults, request.body ?? {});
    return reply.send(state.faults);
  });
  app.post('/__sandbox/credentials/revoke', async (_request, reply) => {
    control.revokeCredentials();
    return reply.code(204).send();
  });
  app.post('/__sandbox/credentials/restore', async (_request, reply) => {
    control.restoreCredentials();
    return reply.code(204).send();
  });
}
