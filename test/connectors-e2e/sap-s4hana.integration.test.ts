import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSapSandbox, type RunningSapSandbox } from '../../connectors/sap-s4hana/sandbox/index.js';
import { recordId } from '../../schemas/index.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { expectEachRecordOnce, expectNewVersionsOnly, newestVersion, syncAgain } from './e2e-checks.js';

/**
 * SAP S/4HANA end to end: the sandbox (seed 1, ten records per entity set) → the producer
 * runtime's worker → raw topics → the transformer → unified topics → the ClickHouse sink, all as
 * `millrace start` wires them. Known records are checked field by field in the `_latest` views;
 * then changes made in the sandbox arrive through "sync now" and "full resync".
 */
const TABLES = { purchase_orders: 'purchase_orders', work_orders: 'work_orders', assets: 'assets', vendors: 'vendors', inventory_items: 'inventory_items' } as const;

describe('SAP S/4HANA: sandbox → raw → unified → ClickHouse', () => {
  let pipeline: TestPipeline;
  let sandbox: RunningSapSandbox;
  let connectionId: string;
  let firstPass: Record<string, number>;
  const id = (entity: Parameters<typeof recordId>[1], remoteId: string) => recordId(connectionId, entity, remoteId);

  beforeAll(async () => {
    [pipeline, sandbox] = await Promise.all([startPipeline(), startSapSandbox({ seed: 1, size: 10 })]);
    const connection = await pipeline.connections.create({
      system: 'sap_s4hana',
      name: 'SAP end to end',
      config: { baseUrl: sandbox.baseUrl, username: sandbox.credentials.username, password: sandbox.credentials.password },
    });
    connectionId = connection.id;
    const runs = await pipeline.waitForSyncs(connectionId);
    firstPass = Object.fromEntries(Object.entries(runs).map(([stream, run]) => [stream, run.records]));
    for (const [stream, table] of Object.entries(TABLES)) await pipeline.waitForRows(connectionId, table, firstPass[stream]!);
    await pipeline.waitForCaughtUp();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await sandbox?.close();
  });

  it('lands every record of the first full pass in ClickHouse exactly once', async () => {
    // Ten of each, except vendors: two of the ten business partners have no supplier role.
    expect(firstPass).toEqual({ purchase_orders: 10, work_orders: 10, assets: 10, vendors: 8, inventory_items: 10 });
    for (const [stream, table] of Object.entries(TABLES)) await expectEachRecordOnce(pipeline, connectionId, table, firstPass[stream]!);
  });

  it('purchase orders: status, vendor, amounts and lines as SAP computes them', async () => {
    const [order] = await pipeline.query(
      `SELECT number, status, remote_status, currency, vendor_id, vendor_remote_id, toString(subtotal) AS subtotal, toString(total) AS total, issue_date, length(lines) AS line_count,
              arrayMap(line -> (line.line_number, toString(line.quantity), toString(line.unit_price), toString(line.line_total), line.item_remote_id, line.item_id), lines) AS lines
       FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = '4500000001'`,
      { c: connectionId },
    );
    expect(order).toMatchObject({
      number: '4500000001',
      status: 'pending_approval',
      remote_status: '03',
      currency: 'USD',
      vendor_remote_id: '17300006',
      vendor_id: id('vendor', '17300006'),
      subtotal: '314578.23',
      total: '314578.23',
      issue_date: '2023-12-12',
      line_count: '5',
    });
    const lines = order!.lines as [number, string, string, string, string, string][];
    expect(lines[0]).toEqual([10, '383', '124.99', '47871.17', '21000009', id('inventory_item', '21000009')]);
    // The header totals are the sum of the line totals, to the cent.
    const cents = lines.reduce((sum, line) => sum + Math.round(Number(line[3]) * 100), 0);
    expect(cents).toBe(31457823);

    const [received] = await pipeline.query(`SELECT status, currency, toString(subtotal) AS subtotal FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = '4500000009'`, { c: connectionId });
    expect(received).toEqual({ status: 'received', currency: 'EUR', subtotal: '212770.92' });
    // The vendor a purchase order names is a record of the same connection.
    const [joined] = await pipeline.query(
      `SELECT v.name AS vendor FROM purchase_orders_latest AS po INNER JOIN vendors_latest AS v ON v.id = po.vendor_id WHERE po.connection_id = {c:String} AND po.remote_id = '4500000001'`,
      { c: connectionId },
    );
    expect(joined).toBeDefined();
  });

  it('work orders: status from system and user status, priority, type; a DLFL order is deleted', async () => {
    const [completed] = await pipeline.query(
      `SELECT status, remote_status, priority, type, asset_remote_id, length(tasks) AS tasks FROM work_orders_latest WHERE connection_id = {c:String} AND remote_id = '4000004'`,
      { c: connectionId },
    );
    expect(completed).toEqual({ status: 'completed', remote_status: 'REL CNF MANC PRC SETC | INIT', priority: 'low', type: 'corrective', asset_remote_id: '10000006', tasks: '1' });
    // Flagged for deletion in SAP: in the table as deleted, not in the view of current records.
    const [cancelled] = await pipeline.query(`SELECT status, is_deleted FROM work_orders FINAL WHERE connection_id = {c:String} AND remote_id = '4000007'`, { c: connectionId });
    expect(cancelled).toEqual({ status: 'cancelled', is_deleted: true });
    const latest = await pipeline.query(`SELECT remote_id FROM work_orders_latest WHERE connection_id = {c:String} AND remote_id = '4000007'`, { c: connectionId });
    expect(latest).toEqual([]);
  });

  it('assets: the superior equipment chain as Millrace ids and as SAP numbers', async () => {
    const [asset] = await pipeline.query(
      `SELECT status, parent_asset_remote_id, root_asset_id, root_asset_remote_id, path, path_remote_ids FROM assets_latest WHERE connection_id = {c:String} AND remote_id = '10000002'`,
      { c: connectionId },
    );
    expect(asset).toEqual({
      status: 'operational',
      parent_asset_remote_id: '10000001',
      root_asset_id: id('asset', '10000000'),
      root_asset_remote_id: '10000000',
      path: [id('asset', '10000000'), id('asset', '10000001')],
      path_remote_ids: ['10000000', '10000001'],
    });
  });

  it('vendors and inventory items: master data and stock per storage location', async () => {
    const [vendor] = await pipeline.query(`SELECT name, status, tax_id, payment_terms, currency FROM vendors_latest WHERE connection_id = {c:String} AND remote_id = '17300001'`, { c: connectionId });
    expect(vendor).toEqual({ name: 'Precision Bearings Inc.', status: 'active', tax_id: '31-6042903', payment_terms: '0002', currency: 'USD' });
    const [item] = await pipeline.query(
      `SELECT toString(unit_cost) AS unit_cost, arrayMap(s -> (s.location_remote_id, toString(s.on_hand), toString(s.available)), stock_levels) AS stock FROM inventory_items_latest WHERE connection_id = {c:String} AND remote_id = '21000001'`,
      { c: connectionId },
    );
    expect(item).toEqual({ unit_cost: '1580.5', stock: [['1710/171A', '817', '816'], ['1710/171B', '300', '300']] });
  });

  it('sync now carries an item change and a deletion flag; nothing else gets a new version', async () => {
    const mark = await newestVersion(pipeline, connectionId, 'purchase_orders');
    sandbox.control.updatePurchaseOrderItem('4500000001', '10', { OrderQuantity: '400.000' });
    sandbox.control.flagPurchaseOrderDeleted('4500000009');
    await syncAgain(pipeline, connectionId, 'purchase_orders');

    const [changed] = await pipeline.query(
      `SELECT toString(subtotal) AS subtotal, toString(total) AS total, toString(lines[1].quantity) AS quantity, toString(lines[1].line_total) AS line_total FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = '4500000001'`,
      { c: connectionId },
    );
    // 400 × 124.99 = 49,996.00; subtotal and total move by the line's difference (+2,124.83).
    expect(changed).toEqual({ subtotal: '316703.06', total: '316703.06', quantity: '400', line_total: '49996' });
    const [deleted] = await pipeline.query(
      `SELECT status, is_deleted, remote_deleted_at IS NOT NULL AS has_deleted_at, arrayAll(line -> line.is_deleted, lines) AS lines_deleted FROM purchase_orders FINAL WHERE connection_id = {c:String} AND remote_id = '4500000009'`,
      { c: connectionId },
    );
    expect(deleted).toEqual({ status: 'cancelled', is_deleted: true, has_deleted_at: 1, lines_deleted: 1 });
    expect(await pipeline.query(`SELECT remote_id FROM purchase_orders_latest WHERE connection_id = {c:String} AND remote_id = '4500000009'`, { c: connectionId })).toEqual([]);
    await expectNewVersionsOnly(pipeline, connectionId, 'purchase_orders', mark, ['4500000001', '4500000009']);
    await expectEachRecordOnce(pipeline, connectionId, 'purchase_orders', 10);
  });

  it('a full resync deletes an archived work order once the pass is complete, and nothing else', async () => {
    const mark = await newestVersion(pipeline, connectionId, 'work_orders');
    expect(sandbox.control.archive('MaintenanceOrder', '4000004')).toBe(true);
    await syncAgain(pipeline, connectionId, 'work_orders', { full: true });

    // A delete image: the identity, is_deleted and when; the transformer keeps no business fields.
    const [gone] = await pipeline.query(
      `SELECT number, is_deleted, remote_deleted_at IS NOT NULL AS has_deleted_at, remote_data FROM work_orders FINAL WHERE connection_id = {c:String} AND remote_id = '4000004'`,
      { c: connectionId },
    );
    expect(gone).toEqual({ number: null, is_deleted: true, has_deleted_at: 1, remote_data: 'null' });
    const current = await pipeline.query<{ remote_id: string }>(`SELECT remote_id FROM work_orders_latest WHERE connection_id = {c:String} ORDER BY remote_id`, { c: connectionId });
    // 4000007 is flagged DLFL in SAP, 4000004 is gone from it: eight current work orders.
    expect(current.map((row) => row.remote_id)).toEqual(['4000000', '4000001', '4000002', '4000003', '4000005', '4000006', '4000008', '4000009']);
    await expectNewVersionsOnly(pipeline, connectionId, 'work_orders', mark, ['4000004']);
    await expectEachRecordOnce(pipeline, connectionId, 'work_orders', 10);
  });

  it('stock and vendor changes arrive with the next runs of their streams', async () => {
    const marks = { items: await newestVersion(pipeline, connectionId, 'inventory_items'), vendors: await newestVersion(pipeline, connectionId, 'vendors') };
    sandbox.control.setStock('21000001', '171B', '01', '250.000');
    sandbox.control.updateBusinessPartner('17300001', {}, { SupplierName: 'Precision Bearings Incorporated', PurchasingIsBlocked: true });
    await syncAgain(pipeline, connectionId, 'inventory_items');
    await syncAgain(pipeline, connectionId, 'vendors');

    const [item] = await pipeline.query(
      `SELECT arrayMap(s -> (s.location_remote_id, toString(s.on_hand), toString(s.available)), stock_levels) AS stock FROM inventory_items_latest WHERE connection_id = {c:String} AND remote_id = '21000001'`,
      { c: connectionId },
    );
    expect(item).toEqual({ stock: [['1710/171A', '817', '816'], ['1710/171B', '250', '250']] });
    const [vendor] = await pipeline.query(`SELECT name, status, remote_status FROM vendors_latest WHERE connection_id = {c:String} AND remote_id = '17300001'`, { c: connectionId });
    expect(vendor).toEqual({ name: 'Precision Bearings Incorporated', status: 'blocked', remote_status: 'PurchasingIsBlocked' });
    // inventory_items is a full-refresh stream: every product is read again, only one changed.
    await expectNewVersionsOnly(pipeline, connectionId, 'inventory_items', marks.items, ['21000001']);
    await expectNewVersionsOnly(pipeline, connectionId, 'vendors', marks.vendors, ['17300001']);
  });
});
