import type { BcItem, BcItemLedgerEntry, BcPurchaseInvoiceLine, BcPurchaseOrderLine, BcVendor } from '../raw-types.js';
import { computeLineAmounts, withInvoiceTotals, withOrderTotals } from './amounts.js';
import { DAY_MS, isoDate, type SandboxClock } from './clock.js';
import { orderNumber, SeededCompany, type InvoiceRow, type OrderRow, type SeedCounts } from './generate.js';
import { createdGuid, etagFor, seededIndexOf } from './ids.js';
import { Table } from './table.js';

/**
 * One company's data: seeded tables plus what changed since. Every change stamps a new
 * `lastModifiedDateTime` and row version (ETag). A change to a line also stamps its order, as the
 * purchase order API's totals are recomputed from the lines.
 */
export class CompanyStore {
  readonly seed: SeededCompany;
  readonly vendors: Table<BcVendor>;
  readonly items: Table<BcItem>;
  readonly orders: Table<OrderRow>;
  readonly invoices: Table<InvoiceRow>;
  /** Posted item ledger entries; the seed starts with none (stock figures are seeded on the items). */
  readonly ledger: Table<BcItemLedgerEntry>;
  private numberSeries: number;
  private entryNumber = 1;

  constructor(seed: number, index: number, counts: SeedCounts, private readonly clock: SandboxClock) {
    const company = new SeededCompany(seed, index, counts);
    this.seed = company;
    this.vendors = new Table({ count: counts.vendors, generate: (i) => company.vendor(i), indexOf: (id) => seededIndexOf(id, 'vendor', index, counts.vendors), seededTimeMs: (i) => company.timeMs('vendor', i) });
    this.items = new Table({
      count: counts.items,
      generate: (i) => company.item(i),
      indexOf: (id) => seededIndexOf(id, 'item', index, counts.items),
      seededTimeMs: (i) => company.timeMs('item', i),
      // Seeded item i is numbered `<1896 + i>-S`.
      lookup: { number: (number) => { const n = /^(\d+)-S$/.exec(number); const i = n ? Number(n[1]) - 1896 : -1; return i >= 0 && i < counts.items ? i : undefined; } },
    });
    this.orders = new Table({ count: counts.orders, generate: (i) => company.order(i), indexOf: (id) => seededIndexOf(id, 'order', index, counts.orders), seededTimeMs: (i) => company.timeMs('order', i) });
    this.invoices = new Table({
      count: counts.closedOrders,
      generate: (j) => company.closedOrderInvoice(j),
      indexOf: (id) => seededIndexOf(id, 'invoice', index, counts.closedOrders),
      seededTimeMs: (j) => company.timeMs('invoice', j),
      // Seeded invoice j belongs to closed order j (PO0106001 + j); later orders are numbered after them.
      sortedBy: ['orderNumber', 'orderId'],
      lookup: { orderId: (orderId) => seededIndexOf(orderId, 'closedOrder', index, counts.closedOrders) },
    });
    this.ledger = new Table<BcItemLedgerEntry>({ count: 0, generate: () => { throw new Error('no seeded ledger entries'); }, indexOf: () => undefined, seededTimeMs: () => 0 });
    this.numberSeries = 106001 + counts.closedOrders + counts.orders;
  }

  get id(): string {
    return this.seed.company.id;
  }

  private stamp<T extends { '@odata.etag'?: string; lastModifiedDateTime: string }>(record: T): T {
    return { ...record, '@odata.etag': etagFor(this.clock.nextRowVersion()), lastModifiedDateTime: this.clock.nowIso() };
  }

  private stampLine<L extends { '@odata.etag'?: string }>(line: L): L {
    return { ...line, '@odata.etag': etagFor(this.clock.nextRowVersion()) };
  }

  nextOrderNumber(): string {
    return orderNumber(this.numberSeries++);
  }

  /**
   * Posts an item ledger entry and changes the item's `inventory` (a FlowField over the entries):
   * the item record itself is not modified, so its lastModifiedDateTime and ETag stay as they were.
   */
  postItemEntry(itemId: string, quantity: number, entry: Pick<BcItemLedgerEntry, 'entryType' | 'documentNumber' | 'documentType' | 'sourceNumber' | 'sourceType' | 'description'>): BcItemLedgerEntry | undefined {
    const item = this.items.get(itemId);
    if (!item) return undefined;
    const now = this.clock.nowMs();
    const posted: BcItemLedgerEntry = {
      '@odata.etag': etagFor(this.clock.nextRowVersion()),
      id: this.newId('item'),
      entryNumber: this.entryNumber++,
      itemNumber: item.number,
      postingDate: isoDate(now),
      quantity,
      salesAmountActual: 0,
      costAmountActual: Math.round(quantity * item.unitCost * 100) / 100,
      lastModifiedDateTime: new Date(now).toISOString(),
      ...entry,
    };
    this.ledger.put(posted);
    this.items.put({ ...item, inventory: Math.round((item.inventory + quantity) * 100_000) / 100_000 });
    return posted;
  }

  newId(kind: 'order' | 'orderLine' | 'invoice' | 'invoiceLine' | 'vendor' | 'item'): string {
    return createdGuid(kind, this.seed.index);
  }

  /** Stores an order (created or changed) with recomputed totals, a new change time and ETag. */
  saveOrder(order: OrderRow): OrderRow {
    const lines = order.purchaseOrderLines.map((line) => computeLineAmounts(line));
    const saved = { ...this.stamp(withOrderTotals(order, lines)), purchaseOrderLines: lines };
    this.orders.put(saved);
    return saved;
  }

  updateOrder(id: string, patch: Partial<OrderRow>): OrderRow | undefined {
    const current = this.orders.get(id);
    if (!current) return undefined;
    return this.saveOrder({ ...current, ...patch, purchaseOrderLines: patch.purchaseOrderLines ?? current.purchaseOrderLines });
  }

  /** Replaces or adds one line (new ETag on the line) and re-stamps its order. */
  saveLine(orderId: string, line: BcPurchaseOrderLine): { order: OrderRow; line: BcPurchaseOrderLine } | undefined {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    const stamped = this.stampLine(computeLineAmounts(line));
    const exists = order.purchaseOrderLines.some((existing) => existing.id === line.id);
    const lines = exists
      ? order.purchaseOrderLines.map((existing) => (existing.id === line.id ? stamped : existing))
      : [...order.purchaseOrderLines, stamped];
    const saved = this.saveOrder({ ...order, purchaseOrderLines: lines });
    return { order: saved, line: saved.purchaseOrderLines.find((candidate) => candidate.id === line.id)! };
  }

  deleteLine(orderId: string, lineId: string): boolean {
    const order = this.orders.get(orderId);
    if (!order || !order.purchaseOrderLines.some((line) => line.id === lineId)) return false;
    this.saveOrder({ ...order, purchaseOrderLines: order.purchaseOrderLines.filter((line) => line.id !== lineId) });
    return true;
  }

  /**
   * Posts receipt and invoice for `fraction` of each line's open quantity (1 = everything, what
   * the `Microsoft.NAV.receiveAndInvoice` action does). A fully invoiced order is deleted, as
   * Business Central deletes invoiced orders; the posted invoice keeps orderId and orderNumber.
   */
  receiveAndInvoice(orderId: string, fraction = 1): { invoice: InvoiceRow; orderRemains: boolean } | undefined {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    const invoiceId = this.newId('invoice');
    const invoiceLines: BcPurchaseInvoiceLine[] = [];
    const orderLines = order.purchaseOrderLines.map((line) => {
      if (line.lineType === 'Comment') return line;
      const open = line.quantity - line.invoicedQuantity;
      const quantity = fraction >= 1 ? open : Math.floor(open * fraction);
      if (quantity > 0) {
        const { receivedQuantity: _r, invoicedQuantity: _i, invoiceQuantity: _iq, receiveQuantity: _rq, ...rest } = line;
        invoiceLines.push(computeLineAmounts({ ...rest, id: this.newId('invoiceLine'), documentId: invoiceId, quantity, '@odata.etag': etagFor(this.clock.nextRowVersion()) }));
      }
      const invoiced = line.invoicedQuantity + quantity;
      const received = Math.max(line.receivedQuantity, invoiced);
      if (line.lineType === 'Item' && received > line.receivedQuantity) {
        this.postItemEntry(line.itemId, received - line.receivedQuantity, {
          entryType: 'Purchase', documentNumber: `PRCPT-${order.number}`, documentType: 'Purchase Receipt',
          sourceNumber: order.vendorNumber, sourceType: 'Vendor', description: line.description,
        });
      }
      return { ...line, receivedQuantity: received, invoicedQuantity: invoiced, receiveQuantity: line.quantity - received, invoiceQuantity: received - invoiced };
    });
    const now = this.clock.nowMs();
    const { purchaseOrderLines: _lines, status: _status, fullyReceived: _full, requestedReceiptDate: _req, orderDate: _od, shipmentMethodId: _sm, paymentTermsId: _pt, '@odata.etag': _etag, ...header } = order;
    const invoice = this.stamp(withInvoiceTotals({
      ...header,
      id: invoiceId,
      number: `PPI${String(this.numberSeries++)}`,
      invoiceDate: isoDate(now),
      postingDate: isoDate(now),
      dueDate: isoDate(now + 30 * DAY_MS),
      vendorInvoiceNumber: `VI-${order.number}`,
      payToContact: '',
      orderId: order.id,
      orderNumber: order.number,
      status: 'Open',
      '@odata.etag': '',
    }, invoiceLines));
    const row: InvoiceRow = { ...invoice, purchaseInvoiceLines: invoiceLines };
    this.invoices.put(row);
    const fullyInvoiced = orderLines.every((line) => line.lineType === 'Comment' || line.invoicedQuantity >= line.quantity);
    if (fullyInvoiced) this.orders.delete(order.id);
    else this.saveOrder({ ...order, purchaseOrderLines: orderLines });
    return { invoice: row, orderRemains: !fullyInvoiced };
  }

  updateVendor(id: string, patch: Partial<BcVendor>): BcVendor | undefined {
    const current = this.vendors.get(id);
    if (!current) return undefined;
    const saved = this.stamp({ ...current, ...patch, id: current.id });
    this.vendors.put(saved);
    return saved;
  }

  updateItem(id: string, patch: Partial<BcItem>): BcItem | undefined {
    const current = this.items.get(id);
    if (!current) return undefined;
    const saved = this.stamp({ ...current, ...patch, id: current.id });
    this.items.put(saved);
    return saved;
  }

  /** Marks an invoice paid (a payment applied to it changes it, and its lastModifiedDateTime). */
  updateInvoice(id: string, patch: Partial<InvoiceRow>): InvoiceRow | undefined {
    const current = this.invoices.get(id);
    if (!current) return undefined;
    const saved = this.stamp({ ...current, ...patch, id: current.id });
    this.invoices.put(saved);
    return saved;
  }
}
