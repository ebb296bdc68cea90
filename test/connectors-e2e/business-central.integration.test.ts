import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxConnectionConfig, startBcSandbox, type StartedBcSandbox } from '../../connectors/dynamics-business-central/sandbox/index.js';
import { recordId } from '../../schemas/index.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { expectEachRecordOnce, expectNewVersionsOnly, newestVersion, syncAgain } from './e2e-checks.js';

/**
 * Dynamics 365 Business Central end to end: the sandbox (seed 1, one company, ten open orders,
 * vendors and items, two orders already invoiced) → the producer runtime's worker (OAuth client
 * credentials, OData paging, posted invoices, item ledger) → raw topics → the transformer →
 * unified topics → the ClickHouse sink, as `millrace start` wires them. Known records field by
 * field; then a line change, an invoiced order that becomes `closed` (Business Central deletes
 * it, Millrace must not), a stock adjustment that leaves the item's change time alone, and a
 * user's deletion found by a full resync.
 */
const COMPANY = '9df56da4-9fd8-0100-0000-000000000000';
const OPEN_ORDER = `${COMPANY}/f9d4eaa2-96e9-0400-0000-000000000000`;
const VENDOR = `${COMPANY}/f1399422-3f20-0200-0000-000000000000`;
const ITEM = `${COMPANY}/1fbe562f-29c5-0300-0000-000000000001`;
const TABLES = { purchase_orders: 'purchase_orders', vendors: 'vendors', items: 'inventory_items' } as const;

/** The Business Central id of a remote id `<company>/<id>`. */
const bcId = (remoteId: string) => remoteId.split('/')[1]!;

describe('Business Central: sandbox → raw → unified → ClickHouse', () => {
  let pipeline: TestPipeline;
  let sandbox: StartedBcSandbox;
  let connectionId: string;
  let firstPass: Record<string, number>;
  const id = (entity: Parameters<typeof recordId>[1], remoteId: string) => recordId(connectionId, entity, remoteId);
  const orderByNumber = async (number: string) => {
    const [row] = await pipeline.query<{ remote_id: string }>(`SELECT remote_id FROM purchase_orders FINAL WHERE connection_id = {c:String} AND number = {n:String}`, { c: connectionId, n: number });
    return row!.remote_id;
  };

  beforeAll(async () => {
    [pipeline, sandbox] = await Promise.all([startPipeline(), startBcSandbox({ seed: 1, size: 10 })]);
    expect(sandbox.companyIds).toEqual([COMPANY]);
    connectionId = (await pipeline.connections.create({ system: 'dynamics365_business_central', name: 'Business Central end to end', config: sandboxConnectionConfig(sandbox) })).id;
    const runs = await pipeline.waitForSyncs(connectionId);
    firstPass = Object.fromEntries(Object.entries(runs).map(([stream, run]) => [stream, run.records]));
    for (const [stream, table] of Object.entries(TABLES)) await pipeline.waitForRows(connectionId, table, firstPass[stream]!);
    await pipeline.waitForCaughtUp();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await sandbox?.server.close();
  });

  it('lands every record of the first sync in ClickHouse exactly once, invoiced orders included', async () => {
    // Ten open orders and size/4 = 2 fully invoiced ones, rebuilt from their posted invoices.
    expect(firstPass).toEqual({ purchase_orders: 12, vendors: 10, items: 10 });
    for (const [stream, table] of Object.entries(TABLES)) await expectEachRecordOnce(pipeline, connectionId, table, firstPass[stream]!);
  });

  it('purchase orders: an open order with its lines, and an invoiced order as closed', async () => {
    const [order] = await pipeline.query(
      `SELECT number, status, remote_status, currency, company_id, toString(subtotal) AS subtotal, toString(total) AS total, issue_date,
              arrayMap(line -> (line.line_number, line.item_code, line.item_id, toString(line.quantity), toString(line.unit_price), toString(line.line_total)), lines) AS lines
       FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`,
      { c: connectionId, id: OPEN_ORDER },
    );
    expect(order).toMatchObject({ number: 'PO0106003', status: 'partially_received', remote_status: 'Open', currency: 'USD', company_id: COMPANY, subtotal: '100572.92', total: '107186.84', issue_date: '2023-12-27' });
    const lines = order!.lines as unknown[][];
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual([10000, '1902-S', id('inventory_item', `${COMPANY}/70db11f8-502d-0300-0000-000000000006`), '85', '411.12', '34945.2']);

    const [closed] = await pipeline.query(`SELECT status, remote_status, is_deleted, toString(total) AS total FROM purchase_orders_latest WHERE connection_id = {c:String} AND number = 'PO0106001'`, { c: connectionId });
    expect(closed).toEqual({ status: 'closed', remote_status: null, is_deleted: false, total: '37176.95' });
  });

  it('vendors and items: master data, and the item total stock as one stock level', async () => {
    const [vendor] = await pipeline.query(`SELECT code, name, status, currency FROM vendors_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`, { c: connectionId, id: VENDOR });
    expect(vendor).toEqual({ code: '10000', name: 'Litware Pneumatics Group', status: 'active', currency: 'USD' });
    const [item] = await pipeline.query(
      `SELECT code, type, toString(unit_cost) AS unit_cost, arrayMap(s -> (s.location_remote_id, toString(s.on_hand)), stock_levels) AS stock FROM inventory_items_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`,
      { c: connectionId, id: ITEM },
    );
    expect(item).toEqual({ code: '1897-S', type: 'inventory', unit_cost: '316.53', stock: [[null, '610.1']] });
  });

  it('sync now carries a line change, and an order invoiced in full arrives as closed, not deleted', async () => {
    const mark = await newestVersion(pipeline, connectionId, 'purchase_orders');
    const invoiced = await orderByNumber('PO0106012');
    const [before] = await pipeline.query<{ total: string }>(`SELECT toString(total) AS total FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`, { c: connectionId, id: invoiced });
    sandbox.control.updateOrderLine(COMPANY, bcId(OPEN_ORDER), 10000, { quantity: 86 });
    expect(sandbox.control.invoiceOrder(COMPANY, bcId(invoiced)).orderRemains).toBe(false);
    await syncAgain(pipeline, connectionId, 'purchase_orders');

    const [changed] = await pipeline.query(
      `SELECT toString(lines[1].quantity) AS quantity, toString(lines[1].line_total) AS line_total, toString(subtotal) AS subtotal_text, total = subtotal + tax_total AS totals_add_up FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`,
      { c: connectionId, id: OPEN_ORDER },
    );
    // 86 × 411.12 = 35,356.32: the subtotal grows by one unit price.
    expect(changed).toEqual({ quantity: '86', line_total: '35356.32', subtotal_text: '100984.04', totals_add_up: 1 });
    const [closed] = await pipeline.query(
      `SELECT number, status, remote_status, is_deleted, toString(total) AS total, arrayAll(line -> line.is_closed, lines) AS lines_closed FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`,
      { c: connectionId, id: invoiced },
    );
    expect(closed).toEqual({ number: 'PO0106012', status: 'closed', remote_status: null, is_deleted: false, total: before!.total, lines_closed: 1 });
    await expectNewVersionsOnly(pipeline, connectionId, 'purchase_orders', mark, [OPEN_ORDER, invoiced]);
  });

  it('a stock adjustment changes on hand through the item ledger, though the item record is unchanged', async () => {
    const mark = await newestVersion(pipeline, connectionId, 'inventory_items');
    const [before] = await pipeline.query<{ updated: string }>(`SELECT toString(remote_updated_at) AS updated FROM inventory_items_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`, { c: connectionId, id: ITEM });
    sandbox.control.adjustStock(COMPANY, bcId(ITEM), 10);
    await syncAgain(pipeline, connectionId, 'items');

    const [item] = await pipeline.query(
      `SELECT toString(stock_levels[1].on_hand) AS on_hand, toString(remote_updated_at) AS updated FROM inventory_items_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`,
      { c: connectionId, id: ITEM },
    );
    expect(item).toEqual({ on_hand: '620.1', updated: before!.updated });
    // The receipt posted with PO0106012's invoice (the test before) moved the stock of its
    // inventory items too; a service item has no stock level, so its image stays the same.
    const received = await pipeline.query<{ item: string }>(
      `SELECT DISTINCT line.item_remote_id AS item FROM purchase_orders_latest ARRAY JOIN lines AS line
       WHERE connection_id = {c:String} AND number = 'PO0106012'
         AND line.item_remote_id IN (SELECT remote_id FROM inventory_items_latest WHERE connection_id = {c:String} AND type = 'inventory')`,
      { c: connectionId },
    );
    expect(received.length).toBeGreaterThan(0);
    await expectNewVersionsOnly(pipeline, connectionId, 'inventory_items', mark, [...new Set([ITEM, ...received.map((row) => row.item)])]);
  });

  it('a full resync deletes an order a user deleted, and keeps every invoiced order closed', async () => {
    const mark = await newestVersion(pipeline, connectionId, 'purchase_orders');
    const removed = await orderByNumber('PO0106006');
    expect(sandbox.control.deleteOrder(COMPANY, bcId(removed))).toBe(true);
    await syncAgain(pipeline, connectionId, 'purchase_orders', { full: true });

    const [gone] = await pipeline.query(`SELECT is_deleted, remote_deleted_at IS NOT NULL AS has_deleted_at FROM purchase_orders FINAL WHERE connection_id = {c:String} AND remote_id = {id:String}`, { c: connectionId, id: removed });
    expect(gone).toEqual({ is_deleted: true, has_deleted_at: 1 });
    const closed = await pipeline.query(`SELECT number FROM purchase_orders_latest WHERE connection_id = {c:String} AND status = 'closed' ORDER BY number`, { c: connectionId });
    expect(closed).toEqual([{ number: 'PO0106001' }, { number: 'PO0106002' }, { number: 'PO0106012' }]);
    const [current] = await pipeline.query(`SELECT count() AS n FROM purchase_orders_latest WHERE connection_id = {c:String}`, { c: connectionId });
    expect(current).toEqual({ n: '11' });
    await expectNewVersionsOnly(pipeline, connectionId, 'purchase_orders', mark, [removed]);
    await expectEachRecordOnce(pipeline, connectionId, 'purchase_orders', 12);
  });
});
