import type { FastifyInstance } from 'fastify';
import type { BcItem, BcItemLedgerEntry, BcPurchaseOrderLine, BcVendor } from '../raw-types.js';
import type { CompanyStore } from './company-store.js';
import type { InvoiceRow, OrderRow } from './generate.js';
import { createOrder } from './order-writes.js';
import type { SandboxState } from './state.js';

/**
 * How tests and the demo change the "real system" behind the connector's back: edit, create and
 * delete records (each change stamps a new change time and ETag, as a user's edit would), post
 * orders (fully invoiced orders vanish), revoke credentials, flip fault switches.
 */
export interface BcSandboxControl {
  revokeCredentials(): void;
  restoreCredentials(): void;
  /** Lifetime of tokens issued from now on. */
  setTokenTtl(seconds: number): void;
  /** Every token issued so far is expired from now on (the API answers 401 until a new one is fetched). */
  expireTokens(): void;
  updateOrder(companyId: string, id: string, patch: Partial<OrderRow>): OrderRow;
  /** Changes one line (by sequence number) and re-stamps its order. */
  updateOrderLine(companyId: string, orderId: string, sequence: number, patch: Partial<BcPurchaseOrderLine>): OrderRow;
  createOrder(companyId: string, body: Record<string, unknown>): OrderRow;
  deleteOrder(companyId: string, id: string): boolean;
  /** Posts receipt + invoice for a share of each line's open quantity; 1 = all, and the order disappears. */
  invoiceOrder(companyId: string, id: string, fraction?: number): { invoice: InvoiceRow; orderRemains: boolean };
  updateVendor(companyId: string, id: string, patch: Partial<BcVendor>): BcVendor;
  updateItem(companyId: string, id: string, patch: Partial<BcItem>): BcItem;
  updateInvoice(companyId: string, id: string, patch: Partial<InvoiceRow>): InvoiceRow;
  /** Posts a stock adjustment (item journal): inventory changes, the item record does not. */
  adjustStock(companyId: string, itemId: string, quantity: number): BcItemLedgerEntry;
  /** The current (possibly changed) record, or undefined. */
  order(companyId: string, id: string): OrderRow | undefined;
  vendor(companyId: string, id: string): BcVendor | undefined;
  item(companyId: string, id: string): BcItem | undefined;
  /** Seeded order i of a company (its current image). */
  orderAt(companyId: string, index: number): OrderRow | undefined;
  vendorAt(companyId: string, index: number): BcVendor | undefined;
  itemAt(companyId: string, index: number): BcItem | undefined;
  invoiceAt(companyId: string, index: number): InvoiceRow | undefined;
  store(companyId: string): CompanyStore;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`sandbox control: ${what} not found`);
  return value;
}

export function createControl(state: SandboxState): BcSandboxControl {
  const store = (companyId: string) => state.company(companyId);
  return {
    revokeCredentials: () => { state.auth.revoked = true; },
    restoreCredentials: () => { state.auth.revoked = false; },
    setTokenTtl: (seconds) => { state.auth.tokenTtlSeconds = seconds; },
    expireTokens: () => { state.auth.generation++; },
    updateOrder: (c, id, patch) => must(store(c).updateOrder(id, patch), `order ${id}`),
    updateOrderLine: (c, orderId, sequence, patch) => {
      const order = must(store(c).orders.get(orderId), `order ${orderId}`);
      const line = must(order.purchaseOrderLines.find((candidate) => candidate.sequence === sequence), `line ${sequence} of order ${orderId}`);
      return must(store(c).saveLine(orderId, { ...line, ...patch }), `order ${orderId}`).order;
    },
    createOrder: (c, body) => createOrder(store(c), state.clock, body),
    deleteOrder: (c, id) => store(c).orders.delete(id),
    invoiceOrder: (c, id, fraction = 1) => must(store(c).receiveAndInvoice(id, fraction), `order ${id}`),
    updateVendor: (c, id, patch) => must(store(c).updateVendor(id, patch), `vendor ${id}`),
    updateItem: (c, id, patch) => must(store(c).updateItem(id, patch), `item ${id}`),
    updateInvoice: (c, id, patch) => must(store(c).updateInvoice(id, patch), `invoice ${id}`),
    adjustStock: (c, itemId, quantity) => must(store(c).postItemEntry(itemId, quantity, {
      entryType: quantity >= 0 ? 'Positive Adjmt.' : 'Negative Adjmt.', documentNumber: 'PHYS-INV', documentType: ' ',
      sourceNumber: '', sourceType: ' ', description: 'Physical inventory',
    }), `item ${itemId}`),
    order: (c, id) => store(c).orders.get(id),
    vendor: (c, id) => store(c).vendors.get(id),
    item: (c, id) => store(c).items.get(id),
    orderAt: (c, i) => store(c).orders.get(store(c).seed.guid('order', i)),
    vendorAt: (c, i) => store(c).vendors.get(store(c).seed.guid('vendor', i)),
    itemAt: (c, i) => store(c).items.get(store(c).seed.guid('item', i)),
    invoiceAt: (c, i) => store(c).invoices.get(store(c).seed.guid('invoice', i)),
    store,
  };
}

/** The same control over HTTP (`/__sandbox/…`), for the demo and for tools outside the test process. */
export function registerControlRoutes(app: FastifyInstance, state: SandboxState, control: BcSandboxControl): void {
  type Params = { company: string; id: string };
  app.post('/__sandbox/revoke', async () => { control.revokeCredentials(); return { revoked: true }; });
  app.post('/__sandbox/restore', async () => { control.restoreCredentials(); return { revoked: false }; });
  app.post('/__sandbox/faults', async (request) => {
    Object.assign(state.faults, request.body as object);
    return state.faults;
  });
  app.get('/__sandbox/requests', async () => state.requestLog);
  app.get('/__sandbox/companies', async () => state.companies.map((company) => company.seed.company));
  app.post<{ Params: { company: string } }>('/__sandbox/companies/:company/purchaseOrders', async (request, reply) =>
    reply.code(201).send(control.createOrder(request.params.company, request.body as Record<string, unknown>)));
  app.patch<{ Params: Params }>('/__sandbox/companies/:company/purchaseOrders/:id', async (request) =>
    control.updateOrder(request.params.company, request.params.id, request.body as Partial<OrderRow>));
  app.delete<{ Params: Params }>('/__sandbox/companies/:company/purchaseOrders/:id', async (request) =>
    ({ deleted: control.deleteOrder(request.params.company, request.params.id) }));
  app.post<{ Params: Params; Body: { fraction?: number } }>('/__sandbox/companies/:company/purchaseOrders/:id/invoice', async (request) =>
    control.invoiceOrder(request.params.company, request.params.id, request.body?.fraction ?? 1));
  app.patch<{ Params: Params }>('/__sandbox/companies/:company/vendors/:id', async (request) =>
    control.updateVendor(request.params.company, request.params.id, request.body as Partial<BcVendor>));
  app.patch<{ Params: Params }>('/__sandbox/companies/:company/items/:id', async (request) =>
    control.updateItem(request.params.company, request.params.id, request.body as Partial<BcItem>));
}
