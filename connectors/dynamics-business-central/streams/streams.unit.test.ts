import { afterEach, describe, expect, it } from 'vitest';
import { mappedRecordSchema, recordId } from '../../../schemas/index.js';
import { assertStreamOutput } from '../../sdk/contract.js';
import type { MapContext } from '../../sdk/types.js';
import type { BcClosedPurchaseOrder, BcPurchaseOrder, BcPurchaseOrderRecord } from '../raw-types.js';
import { startHarness, type Harness } from '../sandbox/test-harness.js';
import { itemsStream } from './items.js';
import { purchaseOrdersStream } from './purchase-orders.js';
import { vendorsStream } from './vendors.js';

const ctx: MapContext = { connectionId: 'conn-1', sourceSystem: 'dynamics365_business_central', idFor: (entity, id) => recordId('conn-1', entity, id) };
const isClosed = (record: BcPurchaseOrderRecord): record is BcClosedPurchaseOrder => '@millrace.reconstructedFrom' in record;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Business Central streams against the sandbox', () => {
  it('reads everything on a full pass: open orders with lines, invoiced orders as closed, vendors, items', async () => {
    harness = await startHarness({ size: 10 });
    const { records: orders } = await harness.read(purchaseOrdersStream);
    const open = orders.filter((record) => !isClosed(record)) as BcPurchaseOrder[];
    const closed = orders.filter(isClosed);
    expect(open).toHaveLength(10);
    expect(closed).toHaveLength(2);
    expect(open.every((order) => Array.isArray(order.purchaseOrderLines) && order.purchaseOrderLines.length > 0)).toBe(true);
    for (const [stream, records] of [[purchaseOrdersStream, orders], [vendorsStream, (await harness.read(vendorsStream)).records], [itemsStream, (await harness.read(itemsStream)).records]] as const) {
      expect(records.length).toBeGreaterThanOrEqual(10);
      assertStreamOutput(stream as never, records);
      for (const record of records) mappedRecordSchema(stream.entity).parse((stream.map as (raw: unknown, c: MapContext) => unknown)(record, ctx));
    }
    const first = harness.sandbox.control.orderAt(harness.companyId, 0)!;
    const mapped = purchaseOrdersStream.map(open.find((order) => order.id === first.id)!, ctx);
    expect(mapped).toMatchObject({ remote_id: `${harness.companyId}/${first.id}`, number: first.number, total: String(first.totalAmountIncludingTax), company_id: harness.companyId });
    expect(closed.map((record) => purchaseOrdersStream.map(record, ctx).status)).toEqual(['closed', 'closed']);
  });

  it('reads only what changed since the cursor: edited, created, line-changed and invoiced orders', async () => {
    harness = await startHarness({ size: 10 });
    const { control } = harness.sandbox;
    const c = harness.companyId;
    const full = await harness.read(purchaseOrdersStream);
    expect((await harness.read(purchaseOrdersStream, full.cursor)).records).toHaveLength(0);

    const draft = [...Array(10).keys()].map((i) => control.orderAt(c, i)!).find((order) => order.status === 'Draft')!;
    control.updateOrder(c, draft.id, { purchaser: 'ZZ' });
    const lined = control.orderAt(c, 9)!;
    control.updateOrderLine(c, lined.id, 10000, { quantity: 999 });
    const created = control.createOrder(c, { vendorNumber: '10000', purchaseOrderLines: [{ lineObjectNumber: '1896-S', quantity: 3 }] });
    const invoiced = control.orderAt(c, 2)!;
    control.invoiceOrder(c, invoiced.id);

    const next = await harness.read(purchaseOrdersStream, full.cursor);
    const byId = new Map(next.records.map((record) => [record.id, record]));
    expect([...byId.keys()].sort()).toEqual([draft.id, lined.id, created.id, invoiced.id].sort());
    expect((byId.get(draft.id) as BcPurchaseOrder).purchaser).toBe('ZZ');
    expect((byId.get(lined.id) as BcPurchaseOrder).purchaseOrderLines!.find((line) => line.sequence === 10000)!.quantity).toBe(999);
    const closed = byId.get(invoiced.id)!;
    expect(isClosed(closed)).toBe(true);
    expect(purchaseOrdersStream.map(closed, ctx)).toMatchObject({ status: 'closed', number: invoiced.number, total: String(invoiced.totalAmountIncludingTax) });
    expect((await harness.read(purchaseOrdersStream, next.cursor)).records).toHaveLength(0);
  });

  it('keeps an order closed, not deleted, on a later full pass, and leaves out an order deleted without invoice', async () => {
    harness = await startHarness({ size: 8 });
    const { control } = harness.sandbox;
    const c = harness.companyId;
    const invoiced = control.orderAt(c, 1)!;
    const deleted = control.orderAt(c, 4)!;
    control.invoiceOrder(c, invoiced.id);
    control.deleteOrder(c, deleted.id);
    const { records } = await harness.read(purchaseOrdersStream);
    const ids = records.map((record) => record.id);
    expect(ids).toContain(invoiced.id);
    expect(ids).not.toContain(deleted.id);
    expect(purchaseOrdersStream.map(records.find((record) => record.id === invoiced.id)!, ctx).status).toBe('closed');
  });

  it('reports an order invoiced in parts as closed only after the last invoice, with both invoices summed', async () => {
    harness = await startHarness({ size: 6 });
    const { control } = harness.sandbox;
    const c = harness.companyId;
    const order = control.orderAt(c, 3)!;
    const full = await harness.read(purchaseOrdersStream);
    expect(control.invoiceOrder(c, order.id, 0.5).orderRemains).toBe(true);
    const partial = await harness.read(purchaseOrdersStream, full.cursor);
    expect(partial.records.map((record) => [record.id, isClosed(record)])).toEqual([[order.id, false]]);
    expect(control.invoiceOrder(c, order.id, 1).orderRemains).toBe(false);
    const last = await harness.read(purchaseOrdersStream, partial.cursor);
    expect(last.records).toHaveLength(1);
    const closed = last.records[0] as BcClosedPurchaseOrder;
    expect(closed.purchaseInvoices).toHaveLength(2);
    // Each invoice rounds its own amounts, so the closed total is the invoices' sum (it may differ from the order's by cents).
    const invoicesTotal = Math.round(closed.purchaseInvoices.reduce((sum, invoice) => sum + invoice.totalAmountIncludingTax * 100, 0)) / 100;
    expect((purchaseOrdersStream.map(closed, ctx) as { total?: string }).total).toBe(String(invoicesTotal));
    expect(Math.abs(invoicesTotal - order.totalAmountIncludingTax)).toBeLessThan(0.05);
  });

  it('loses nothing when records change while a sync pages through them', async () => {
    harness = await startHarness({ size: 10, config: { pageSize: 3 } });
    harness.sandbox.faults.changeWhilePaging = 2;
    const { records, pages } = await harness.read(vendorsStream);
    expect(pages).toBeGreaterThanOrEqual(4);
    const seen = new Map(records.map((record) => [record.id, record.lastModifiedDateTime]));
    expect(seen.size).toBe(10);
    expect(harness.sandbox.state.pagingChanges).toHaveLength(4);
    for (const changed of harness.sandbox.state.pagingChanges) {
      const id = changed.split('/')[2]!;
      expect(seen.get(id)).toBe(harness.sandbox.control.vendor(harness.companyId, id)!.lastModifiedDateTime);
    }
  });

  it('pages across boundaries and resumes from a mid-stream cursor without gaps', async () => {
    harness = await startHarness({ size: 10, config: { pageSize: 4 } });
    const pages: { ids: string[]; cursor: unknown }[] = [];
    for await (const page of itemsStream.read(harness.client, null, { signal: new AbortController().signal, logger: undefined as never, startedAt: new Date() })) {
      pages.push({ ids: page.records.map((record) => record.id), cursor: page.cursor });
    }
    expect(pages.map((page) => page.ids.length)).toEqual([4, 4, 2, 0]); // the last: the item ledger position
    harness.sandbox.control.updateItem(harness.companyId, pages[2]!.ids[0]!, { displayName: 'Changed after the crash' });
    const resumed = await harness.read(itemsStream, pages[0]!.cursor as never);
    expect(resumed.records.map((record) => record.id)).toEqual([...pages[1]!.ids, pages[2]!.ids[1]!, pages[2]!.ids[0]!]);
  });

  it('sees stock movements, which change inventory but not the item, through the item ledger', async () => {
    harness = await startHarness({ size: 10 });
    const { control } = harness.sandbox;
    const c = harness.companyId;
    const full = await harness.read(itemsStream);
    expect((await harness.read(itemsStream, full.cursor)).records).toHaveLength(0);
    const order = [...Array(10).keys()].map((i) => control.orderAt(c, i)!).find((o) => o.purchaseOrderLines.some((line) => line.lineType === 'Item' && line.receivedQuantity < line.quantity))!;
    const receivedLine = order.purchaseOrderLines.find((line) => line.lineType === 'Item' && line.receivedQuantity < line.quantity)!;
    const adjusted = [...Array(10).keys()].map((i) => control.itemAt(c, i)!).find((item) => item.type === 'Inventory' && !order.purchaseOrderLines.some((line) => line.itemId === item.id))!;
    control.adjustStock(c, adjusted.id, 7.5);
    const before = control.item(c, receivedLine.itemId)!;
    control.invoiceOrder(c, order.id);
    expect(control.item(c, adjusted.id)!.lastModifiedDateTime).toBe(adjusted.lastModifiedDateTime);

    const next = await harness.read(itemsStream, full.cursor);
    const byId = new Map(next.records.map((record) => [record.id, record]));
    expect(byId.get(adjusted.id)!.inventory).toBe(adjusted.inventory + 7.5);
    expect(byId.get(receivedLine.itemId)!.inventory).toBeGreaterThan(before.inventory);
    const mapped = itemsStream.map(byId.get(adjusted.id)!, ctx) as { stock_levels: { on_hand: string | null }[] };
    expect(mapped.stock_levels[0]!.on_hand).toBe(String(adjusted.inventory + 7.5));
    expect((await harness.read(itemsStream, next.cursor)).records).toHaveLength(0);
  });

  it('maps every record of a larger seed to a valid unified record', async () => {
    harness = await startHarness({ size: 120, config: { pageSize: 50 } });
    for (const stream of [purchaseOrdersStream, vendorsStream, itemsStream] as const) {
      const { records } = await harness.read(stream as never);
      for (const record of records) {
        const mapped = (stream.map as (raw: unknown, c: MapContext) => unknown)(record, ctx);
        const result = mappedRecordSchema(stream.entity).safeParse(mapped);
        expect(result.success, `${stream.name} ${(record as { id: string }).id}: ${result.success ? '' : JSON.stringify(result.error.issues.slice(0, 3))}`).toBe(true);
      }
    }
  });

  it('covers every company of the environment when companyIds is empty', async () => {
    harness = await startHarness({ size: 3, companies: 2 });
    const { records } = await harness.read(vendorsStream);
    const companies = new Set(records.map((record) => vendorsStream.remoteId(record).split('/')[0]));
    expect(companies).toEqual(new Set(harness.sandbox.companyIds));
    expect(new Set(records.map((record) => vendorsStream.remoteId(record))).size).toBe(6);
  });
});
