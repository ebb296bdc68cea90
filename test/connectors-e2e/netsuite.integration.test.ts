import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetSuiteSandbox, type StartedNetSuiteSandbox } from '../../connectors/netsuite/sandbox/index.js';
import { recordId } from '../../schemas/index.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { expectEachRecordOnce, expectNewVersionsOnly, newestVersion, syncAgain } from './e2e-checks.js';

/**
 * NetSuite end to end: the sandbox account (seed 42: ten purchase orders, three vendors, five
 * inventory items) → the producer runtime's worker (token-based auth, SuiteQL discovery, record
 * bodies) → raw topics → the transformer → unified topics → the ClickHouse sink, as
 * `millrace start` wires them. Known records field by field, then an approval, a line change, a
 * new order, a deactivated vendor and a deletion from NetSuite's deleted-record log.
 */
const TABLES = { purchase_orders: 'purchase_orders', vendors: 'vendors', inventory_items: 'inventory_items' } as const;

describe('NetSuite: sandbox → raw → unified → ClickHouse', () => {
  let pipeline: TestPipeline;
  let sandbox: StartedNetSuiteSandbox;
  let connectionId: string;
  let firstPass: Record<string, number>;
  const id = (entity: Parameters<typeof recordId>[1], remoteId: string) => recordId(connectionId, entity, remoteId);

  beforeAll(async () => {
    [pipeline, sandbox] = await Promise.all([startPipeline(), startNetSuiteSandbox({ seed: 42, size: 10 })]);
    connectionId = (await pipeline.connections.create({ system: 'netsuite', name: 'NetSuite end to end', config: sandbox.connectionConfig })).id;
    const runs = await pipeline.waitForSyncs(connectionId);
    firstPass = Object.fromEntries(Object.entries(runs).map(([stream, run]) => [stream, run.records]));
    for (const [stream, table] of Object.entries(TABLES)) await pipeline.waitForRows(connectionId, table, firstPass[stream]!);
    await pipeline.waitForCaughtUp();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await sandbox?.running.close();
  });

  it('lands every record of the first sync in ClickHouse exactly once', async () => {
    // size 10: ten orders, size/10 vendors (at least three), size/5 items (at least five).
    expect(firstPass).toEqual({ purchase_orders: 10, vendors: 3, inventory_items: 5 });
    for (const [stream, table] of Object.entries(TABLES)) await expectEachRecordOnce(pipeline, connectionId, table, firstPass[stream]!);
  });

  it('purchase orders: status, vendor, amounts, lines and custom fields', async () => {
    const [order] = await pipeline.query(
      `SELECT number, status, remote_status, vendor_id, vendor_remote_id, currency, toString(subtotal) AS subtotal, toString(tax_total) AS tax_total, toString(total) AS total, issue_date, custom_fields,
              arrayMap(line -> (line.line_number, line.item_remote_id, line.item_id, toString(line.quantity), toString(line.unit_price), toString(line.line_total)), lines) AS lines
       FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = '1000'`,
      { c: connectionId },
    );
    expect(order).toMatchObject({
      number: 'PO10000',
      status: 'pending_approval',
      remote_status: 'Pending Supervisor Approval',
      vendor_remote_id: '102',
      vendor_id: id('vendor', '102'),
      currency: 'USD',
      subtotal: '65439.4',
      tax_total: '4744.36',
      total: '70183.76',
      issue_date: '2023-11-08',
      custom_fields: { custbody_mr_project_code: 'PRJ-377', custbody_mr_rush_order: 'false' },
    });
    const lines = order!.lines as unknown[][];
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual([1, '503', id('inventory_item', '503'), '29', '840.14', '24364.06']);

    const [partial] = await pipeline.query(`SELECT status, toString(total) AS total, length(lines) AS lines FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = '1007'`, { c: connectionId });
    expect(partial).toEqual({ status: 'partially_received', total: '9725.13', lines: '1' });
  });

  it('vendors and inventory items: master data and stock per location', async () => {
    const [vendor] = await pipeline.query(
      `SELECT code, name, status, currency, payment_terms, arrayMap(a -> a.city, addresses) AS cities FROM vendors_latest WHERE connection_id = {c:String} AND remote_id = '100'`,
      { c: connectionId },
    );
    expect(vendor).toEqual({ code: 'V00001', name: 'Ironclad Tooling 1', status: 'active', currency: 'USD', payment_terms: 'Net 30', cities: ['Sheffield'] });
    const [item] = await pipeline.query(
      `SELECT code, toString(unit_cost) AS unit_cost, arrayMap(s -> (s.location_remote_id, toString(s.on_hand), toString(s.available)), stock_levels) AS stock FROM inventory_items_latest WHERE connection_id = {c:String} AND remote_id = '500'`,
      { c: connectionId },
    );
    expect(item).toEqual({ code: 'ITM-000001', unit_cost: '433.04', stock: [['1', '132', '95'], ['2', '105', '88']] });
  });

  it('sync now carries an approval with a line change and a new order; nothing else gets a new version', async () => {
    const mark = await newestVersion(pipeline, connectionId, 'purchase_orders');
    sandbox.sandbox.control.updatePurchaseOrder('1000', { approvalStatus: { id: '2' }, item: { items: [{ line: 1, quantity: 30 }] } });
    const created = sandbox.sandbox.control.createPurchaseOrder({ entity: { id: '100' }, item: { items: [{ item: { id: '500' }, quantity: 4, rate: 12.5 }] } });
    await syncAgain(pipeline, connectionId, 'purchase_orders');

    const [approved] = await pipeline.query(
      `SELECT status, remote_status, toString(lines[1].quantity) AS quantity, toString(lines[1].line_total) AS line_total, toString(subtotal) AS subtotal FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = '1000'`,
      { c: connectionId },
    );
    // 30 × 840.14 = 25,204.20: one unit more on line 1 raises the subtotal by 840.14.
    expect(approved).toEqual({ status: 'approved', remote_status: 'Pending Receipt', quantity: '30', line_total: '25204.2', subtotal: '66279.54' });
    const [fresh] = await pipeline.query(
      `SELECT vendor_remote_id, toString(total) AS total, arrayMap(line -> (line.item_remote_id, toString(line.quantity), toString(line.line_total)), lines) AS lines FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = {id:String}`,
      { c: connectionId, id: created },
    );
    expect(fresh).toEqual({ vendor_remote_id: '100', total: '50', lines: [['500', '4', '50']] });
    await expectNewVersionsOnly(pipeline, connectionId, 'purchase_orders', mark, ['1000', created]);
    await expectEachRecordOnce(pipeline, connectionId, 'purchase_orders', 11);
  });

  it('a deletion in NetSuite arrives through the deleted-record log and a deactivated vendor as inactive', async () => {
    const marks = { orders: await newestVersion(pipeline, connectionId, 'purchase_orders'), vendors: await newestVersion(pipeline, connectionId, 'vendors') };
    expect(sandbox.sandbox.control.deleteRecord('purchaseorder', '1007')).toBe(true);
    sandbox.sandbox.control.updateVendor('101', { isInactive: true });
    await syncAgain(pipeline, connectionId, 'purchase_orders');
    await syncAgain(pipeline, connectionId, 'vendors');

    const [deleted] = await pipeline.query(
      `SELECT is_deleted, remote_deleted_at IS NOT NULL AS has_deleted_at, remote_data FROM purchase_orders FINAL WHERE connection_id = {c:String} AND remote_id = '1007'`,
      { c: connectionId },
    );
    expect(deleted).toEqual({ is_deleted: true, has_deleted_at: 1, remote_data: 'null' });
    expect(await pipeline.query(`SELECT remote_id FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = '1007'`, { c: connectionId })).toEqual([]);
    const [raw] = await pipeline.query(`SELECT op FROM raw_records_latest WHERE connection_id = {c:String} AND entity = 'purchase_order' AND remote_id = '1007'`, { c: connectionId });
    expect(raw).toEqual({ op: 'delete' });
    const [vendor] = await pipeline.query(`SELECT status, remote_status FROM vendors_latest WHERE connection_id = {c:String} AND remote_id = '101'`, { c: connectionId });
    expect(vendor).toEqual({ status: 'inactive', remote_status: 'isInactive=true' });
    await expectNewVersionsOnly(pipeline, connectionId, 'purchase_orders', marks.orders, ['1007']);
    await expectNewVersionsOnly(pipeline, connectionId, 'vendors', marks.vendors, ['101']);
  });
});
