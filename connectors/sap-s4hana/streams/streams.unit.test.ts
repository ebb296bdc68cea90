import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { mappedRecordSchema, type EntityName } from '../../../schemas/index.js';
import { assertConnectorStreams, assertStreamOutput } from '../../sdk/contract.js';
import { sapS4hanaConnector } from '../index.js';
import { testMapContext } from '../mappers/test-context.js';
import type { ODataRecord } from '../odata/page.js';
import { runSync, startHarness, type Harness } from '../sandbox/test-harness.js';
import { assetsStream } from './assets.js';
import { mapInventoryItem } from '../mappers/inventory-item.js';
import { inventoryItemsStream } from './inventory-items.js';
import { vendorsStream } from './vendors.js';
import { workOrdersStream } from './work-orders.js';

/** Contract tests of the maintenance order, equipment, supplier and product streams against the sandbox. */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function mapAll(entity: EntityName, map: (raw: ODataRecord) => unknown, records: ODataRecord[]) {
  return records.map((record) => mappedRecordSchema(entity).parse(map(record)));
}

describe('every stream', () => {
  it('passes the generic stream check on its first pages', async () => {
    harness = await startHarness({ size: 6 });
    await assertConnectorStreams(sapS4hanaConnector, harness.connect({ pageSize: 4 }), { logger: createLogger({ level: 'silent' }), pages: 2 });
  });
});

describe('work orders stream', () => {
  it('finds orders whose change time is initial in full passes only, and changed orders incrementally', async () => {
    harness = await startHarness({ size: 21 });
    const full = await runSync(workOrdersStream, harness.connect({ pageSize: 4 }), null);
    const numbers = full.records.map((record) => record.MaintenanceOrder);
    expect(numbers).toHaveLength(21);
    expect(full.records.find((record) => record.MaintenanceOrder === '4000007')!.LastChangeDateTime).toBeNull();
    // Never-changed orders (null change time) are legitimate records: the contract accepts them.
    assertStreamOutput(workOrdersStream, full.records);
    mapAll('work_order', (raw) => workOrdersStream.map(raw, testMapContext), full.records);
    harness.sandbox.control.updateMaintenanceOrder('4000003', { SystemStatusText: 'TECO CNF  PRC' });
    const next = await runSync(workOrdersStream, harness.connect({ pageSize: 4 }), full.cursor);
    const changed = next.records.find((record) => record.MaintenanceOrder === '4000003')!;
    expect(workOrdersStream.map(changed, testMapContext)).toMatchObject({ status: 'completed', remote_status: expect.stringMatching(/^TECO CNF PRC/) });
    expect(next.records.map((record) => record.MaintenanceOrder)).not.toContain('4000007');
    // Operations and their components come expanded.
    expect((changed.to_MaintenanceOrderOperation as { results: ODataRecord[] }).results.length).toBeGreaterThan(0);
  });
});

describe('assets stream', () => {
  it('attaches the superior chain, looking up ancestors not on the page', async () => {
    harness = await startHarness({ size: 15 });
    const full = await runSync(assetsStream, harness.connect({ pageSize: 4 }), null);
    expect(full.records).toHaveLength(15);
    const paths = Object.fromEntries(full.records.map((record) => [record.Equipment, record.millrace_superior_path]));
    expect(paths['10000010']).toEqual([]);
    expect(paths['10000012']).toEqual(['10000010', '10000011']);
    expect(paths['10000014']).toEqual(['10000010', '10000013']);
    const mapped = mapAll('asset', (raw) => assetsStream.map(raw, testMapContext), full.records);
    expect(mapped.find((asset) => asset.remote_id === '10000012')).toMatchObject({ root_asset_remote_id: '10000010', parent_asset_remote_id: '10000011' });
    // An incremental page holding only a grandchild looks its ancestors up in SAP.
    harness.sandbox.control.updateEquipment('10000007', { EquipmentName: 'Relocated pump' });
    const next = await runSync(assetsStream, harness.connect({ pageSize: 4 }), full.cursor);
    expect(next.records.find((record) => record.Equipment === '10000007')!.millrace_superior_path).toEqual(['10000005', '10000006']);
    const lookups = harness.sandbox.state.requestLog.map((entry) => decodeURIComponent(entry.url)).filter((url) => url.includes("Equipment eq '10000006'"));
    expect(lookups.length).toBeGreaterThan(0);
  });
});

describe('vendors stream', () => {
  it('reads suppliers (not customer-only partners) with their business partner, then follows creations and changes', async () => {
    harness = await startHarness({ size: 12 });
    const full = await runSync(vendorsStream, harness.connect({ pageSize: 4 }), null);
    // Partners 3, 7 and 11 are customers only.
    expect(full.records.map((record) => record.Supplier)).toEqual(['17300000', '17300001', '17300002', '17300004', '17300005', '17300006', '17300008', '17300009', '17300010']);
    for (const record of full.records) expect((record.millrace_business_partner as ODataRecord).BusinessPartner).toBe(record.Supplier);
    assertStreamOutput(vendorsStream, full.records);
    mapAll('vendor', (raw) => vendorsStream.map(raw, testMapContext), full.records);
    // Block one supplier for purchasing: its partner's change date moves.
    harness.sandbox.control.updateBusinessPartner('17300004', {}, { PurchasingIsBlocked: true });
    const next = await runSync(vendorsStream, harness.connect({ pageSize: 4 }), full.cursor);
    const blocked = next.records.find((record) => record.Supplier === '17300004')!;
    expect(vendorsStream.map(blocked, testMapContext)).toMatchObject({ status: 'blocked', remote_status: 'PurchasingIsBlocked' });
    const requests = harness.sandbox.state.requestLog.map((entry) => decodeURIComponent(entry.url));
    expect(requests.some((url) => url.includes('CreationDate gt datetime'))).toBe(true);
    expect(requests.some((url) => url.includes('LastChangeDate gt datetime'))).toBe(true);
  });
});

describe('inventory items stream', () => {
  it('reads products with their stock rows in URL-sized batches, as a full snapshot every run', async () => {
    harness = await startHarness({ size: 8, sizes: { products: 45 } });
    const client = harness.connect({ pageSize: 40, maxUrlLength: 1000 });
    const first = await runSync(inventoryItemsStream, client, null);
    expect(first.records).toHaveLength(45);
    expect(first.pages).toBe(2);
    for (const record of first.records) expect(record.millrace_stock_rows).toHaveLength(3);
    assertStreamOutput(inventoryItemsStream, first.records);
    mapAll('inventory_item', (raw) => inventoryItemsStream.map(raw, testMapContext), first.records);
    const stockRequests = harness.sandbox.state.requestLog.filter((entry) => entry.url.includes('A_MatlStkInAcctMod'));
    // 40 materials do not fit one 1000-character URL: the first page's stock is read in two requests.
    expect(stockRequests.length).toBeGreaterThanOrEqual(3);
    for (const request of stockRequests) expect(`${harness.sandbox.url}${request.url}`.length).toBeLessThanOrEqual(1000);
    // Stock changes show in the next snapshot; an archived product is simply absent.
    harness.sandbox.control.setStock('21000002', '171B', '01', '0.000');
    harness.sandbox.control.archive('A_Product', '21000005');
    const second = await runSync(inventoryItemsStream, client, null);
    expect(second.records.map((record) => record.Product)).not.toContain('21000005');
    const item = mapInventoryItem(second.records.find((record) => record.Product === '21000002')!, testMapContext);
    expect(item.stock_levels?.find((level) => level.location_remote_id === '1710/171B')).toMatchObject({ on_hand: '0', available: '0' });
    expect(second.cursor).toBeNull();
  });
});
