import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { isConnectorError, type ConnectorError } from '../../sdk/errors.js';
import { mapPurchaseOrder } from '../mappers/purchase-order.js';
import { testMapContext } from '../mappers/test-context.js';
import type { ODataRecord } from '../odata/page.js';
import { runSync, startHarness, type Harness } from '../sandbox/test-harness.js';
import { purchaseOrdersStream } from '../streams/purchase-orders.js';
import { purchaseOrderWrites } from './purchase-order-writes.js';
import { connectorFailure } from '../../sdk/testing/connector-failure.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ctx = { logger: createLogger({ level: 'silent' }) };

function newOrder(overrides: Record<string, unknown> = {}) {
  return {
    vendor_remote_id: '17300001',
    company_id: '1710',
    subsidiary: 'Purch. org. 1710',
    buyer: '001',
    currency: 'USD',
    issue_date: '2024-06-03',
    payment_terms: '0002',
    external_reference: 'REQ-77',
    custom_fields: { YY1_ProjectCode_PDH: 'PRJ-9' },
    lines: [
      { line_number: 10, item_code: '21000001', quantity: '5', uom: 'PC', unit_price: '0.4599', location_remote_id: '1710/171A', expected_delivery_date: '2024-07-01', custom_fields: { YY1_CostObject_PDI: 'CC-1' } },
      { line_number: 20, item_code: '21000002', quantity: '12', uom: 'EA', unit_price: '80', location_remote_id: '1710' },
    ],
    ...overrides,
  };
}

const posts = (h: Harness) => h.sandbox.state.requestLog.filter((entry) => entry.method === 'POST' && entry.url.includes('A_PurchaseOrder'));

describe('purchase order writes', () => {
  it('creates an order with a deep insert through the CSRF session and returns it as SAP stores it', async () => {
    harness = await startHarness({ size: 10 });
    const result = await purchaseOrderWrites.create!(harness.client, newOrder(), ctx);
    expect(result.remoteId).toBe('4500000010');
    const raw = result.raw as ODataRecord;
    expect(raw).toMatchObject({ PurchaseOrderType: 'NB', Supplier: '17300001', PurchasingGroup: '001', PurchasingProcessingStatus: '02', YY1_ProjectCode_PDH: 'PRJ-9' });
    const mapped = mapPurchaseOrder(raw, testMapContext);
    expect(mapped).toMatchObject({ status: 'approved', currency: 'USD', external_reference: 'REQ-77', subtotal: '962.3', issue_date: '2024-06-03' });
    // 0.4599 USD per piece went to SAP as 45.99 per 100 pieces: 5 × 45.99 / 100 = 2.2995 → 2.30.
    expect(mapped.lines![0]).toMatchObject({ unit_price: '0.4599', line_total: '2.3', expected_delivery_date: '2024-07-01', location_remote_id: '1710/171A', custom_fields: { YY1_CostObject_PDI: 'CC-1' } });
    const items = (raw.to_PurchaseOrderItem as { results: ODataRecord[] }).results;
    expect(items[0]).toMatchObject({ NetPriceAmount: '45.99', NetPriceQuantity: '100' });
    // One token fetch (GET with X-CSRF-Token: Fetch), one POST.
    expect(harness.sandbox.state.security.csrfFetches).toBe(1);
    expect(posts(harness)).toHaveLength(1);
    // The created order arrives with the next incremental sync.
    const full = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 50 }), null);
    expect(full.records.map((record) => record.PurchaseOrder)).toContain('4500000010');
  });

  it('an order above the release threshold starts in release: pending_approval', async () => {
    harness = await startHarness({ size: 3 });
    const result = await purchaseOrderWrites.create!(harness.client, newOrder({ lines: [{ line_number: 10, item_code: '21000001', quantity: '500', unit_price: '80', location_remote_id: '1710' }] }), ctx);
    expect(mapPurchaseOrder(result.raw as ODataRecord, testMapContext)).toMatchObject({ status: 'pending_approval', remote_status: '03' });
  });

  it('surfaces SAP refusals as validation errors with SAP code, message and unified paths', async () => {
    harness = await startHarness({ size: 40 });
    // Supplier 17300009 is blocked for purchasing in the sandbox; material 99999999 does not exist.
    const error = await connectorFailure(
      purchaseOrderWrites.create!(harness.client, newOrder({ vendor_remote_id: '17300009', lines: [newOrder().lines[0], { ...newOrder().lines[1], item_code: '99999999' }] }), ctx),
    );
    expect(error).toMatchObject({ kind: 'validation', status: 400, sourceCode: 'ME/047', sourceMessage: 'Supplier 17300009 is blocked for purchasing' });
    expect(error.fieldErrors).toEqual([
      { path: 'vendor_remote_id', message: 'Supplier 17300009 is blocked for purchasing', code: 'ME/047' },
      { path: 'lines[1].item_code', message: 'Material 99999999 does not exist', code: 'ME/040' },
    ]);
    expect(posts(harness)).toHaveLength(1);
    const full = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 100 }), null);
    expect(full.records).toHaveLength(40);
  });

  it('refuses what SAP would refuse before sending anything (dry-run rules)', async () => {
    harness = await startHarness({ size: 3 });
    const input = newOrder({ vendor_remote_id: null, buyer: null, memo: 'hello', lines: [{ line_number: 10, quantity: '0', unit_price: '0.0000001' }] });
    const issues = purchaseOrderWrites.validate!(input, 'create');
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['memo', 'vendor_remote_id', 'buyer', 'lines[0].quantity', 'lines[0].unit_price', 'lines[0].item_code', 'lines[0].location_remote_id']),
    );
    const error = await connectorFailure(purchaseOrderWrites.create!(harness.client, input, ctx));
    expect(error).toMatchObject({ kind: 'validation' });
    expect(posts(harness)).toHaveLength(0);
    expect(purchaseOrderWrites.validate!(newOrder(), 'create')).toEqual([]);
  });

  it('updates header fields and items; the next sync sees the change', async () => {
    harness = await startHarness({ size: 6 });
    const before = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 10 }), null);
    const result = await purchaseOrderWrites.update!(
      harness.client,
      '4500000002',
      { payment_terms: '0004', buyer: 'Purchasing group 003', custom_fields: { YY1_ProjectCode_PDH: 'PRJ-2' }, lines: [{ line_number: 20, quantity: '7', unit_price: '19.5', is_closed: true }] },
      ctx,
    );
    const mapped = mapPurchaseOrder(result.raw as ODataRecord, testMapContext);
    expect(mapped).toMatchObject({ payment_terms: '0004', buyer: 'Purchasing group 003', custom_fields: { YY1_ProjectCode_PDH: 'PRJ-2' } });
    expect(mapped.lines!.find((line) => line.line_number === 20)).toMatchObject({ quantity: '7', is_closed: true });
    const patches = harness.sandbox.state.requestLog.filter((entry) => entry.method === 'PATCH');
    expect(patches.map((entry) => decodeURIComponent(entry.url).replace(/^.*\//, ''))).toEqual([
      "A_PurchaseOrder('4500000002')",
      "A_PurchaseOrderItem(PurchaseOrder='4500000002',PurchaseOrderItem='20')",
    ]);
    const after = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 10 }), before.cursor);
    expect(after.records.map((record) => record.PurchaseOrder)).toContain('4500000002');
  });

  it('a locked order and a change based on an old version are conflicts; a deleted order is refused', async () => {
    harness = await startHarness({ size: 20 });
    harness.sandbox.control.lockPurchaseOrder('4500000001', 'BUYER_02');
    const locked = await connectorFailure(purchaseOrderWrites.update!(harness.client, '4500000001', { payment_terms: '0004' }, ctx));
    expect(locked).toMatchObject({ kind: 'conflict', status: 409, sourceCode: 'ME/006' });
    const seen = (await purchaseOrdersStream.fetchOne!(harness.client, '4500000003'))!;
    const seenAt = mapPurchaseOrder(seen, testMapContext).remote_updated_at!;
    harness.sandbox.control.updatePurchaseOrder('4500000003', { PaymentTerms: '0001' });
    const theirs = mapPurchaseOrder((await purchaseOrdersStream.fetchOne!(harness.client, '4500000003'))!, testMapContext).remote_updated_at!;
    const patches = () => harness!.sandbox.state.requestLog.filter((entry) => entry.method === 'PATCH').length;
    const before = patches();
    // Based on the stored raw record (its LastChangeDateTime) or, without one, on remote_updated_at.
    for (const baseVersion of [{ remoteData: seen, remoteUpdatedAt: seenAt }, { remoteData: { PurchaseOrder: '4500000003' }, remoteUpdatedAt: seenAt }]) {
      const stale = await connectorFailure(purchaseOrderWrites.update!(harness.client, '4500000003', { payment_terms: '0004' }, { ...ctx, baseVersion }));
      expect(stale).toMatchObject({ kind: 'conflict', status: 409, details: { your_version_timestamp: seenAt, current_version_timestamp: theirs } });
    }
    expect(patches()).toBe(before);
    expect(harness.sandbox.control.purchaseOrder('4500000003')!.PaymentTerms).toBe('0001');
    const fresh = (await purchaseOrdersStream.fetchOne!(harness.client, '4500000003'))!;
    await purchaseOrderWrites.update!(harness.client, '4500000003', { payment_terms: '0004' }, { ...ctx, baseVersion: { remoteData: fresh, remoteUpdatedAt: theirs } });
    expect(harness.sandbox.control.purchaseOrder('4500000003')!.PaymentTerms).toBe('0004');
    // PO 4500000013 is generated with deletion code L.
    const deleted = await connectorFailure(purchaseOrderWrites.update!(harness.client, '4500000013', { payment_terms: '0004' }, ctx));
    expect(deleted).toMatchObject({ kind: 'validation', sourceCode: 'ME/112' });
    const item = await connectorFailure(purchaseOrderWrites.update!(harness.client, '4500000004', { lines: [{ line_number: 30, quantity: '-1' }] }, ctx));
    expect(item.fieldErrors).toEqual([{ path: 'lines[0].quantity', message: 'SAP needs a quantity greater than zero' }]);
  });

  it('fetches a new CSRF token once when the session expired, and gives up after one retry', async () => {
    harness = await startHarness({ size: 5 });
    await purchaseOrderWrites.update!(harness.client, '4500000001', { payment_terms: '0004' }, ctx);
    harness.sandbox.control.expireCsrfSessions();
    await purchaseOrderWrites.update!(harness.client, '4500000002', { payment_terms: '0004' }, ctx);
    expect(harness.sandbox.state.security.csrfFetches).toBe(2);
    expect(harness.sandbox.state.requestLog.filter((entry) => entry.status === 403)).toHaveLength(1);
    await harness.close();
    harness = await startHarness({ size: 5, csrfTtlSeconds: 0 });
    const error = await connectorFailure(purchaseOrderWrites.update!(harness.client, '4500000001', { payment_terms: '0004' }, ctx));
    expect(error).toMatchObject({ kind: 'permission', status: 403, details: { csrf_required: true } });
    expect(harness.sandbox.state.requestLog.filter((entry) => entry.method === 'PATCH')).toHaveLength(2);
  });
});
