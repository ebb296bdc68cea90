import { afterEach, describe, expect, it } from 'vitest';
import { recordId } from '../../schemas/index.js';
import { ConnectorError } from '../sdk/errors.js';
import type { MapContext, WriteContext } from '../sdk/types.js';
import { netsuiteConnector } from './index.js';
import { mapPurchaseOrder } from './mappers/purchase-order.js';
import { quietLogger, startHarness, type Harness } from './sandbox/harness.js';
import { purchaseOrdersStream } from './streams/purchase-orders.js';
import { purchaseOrderWrites } from './writes/purchase-orders.js';
import { connectorFailure } from '../sdk/testing/connector-failure.js';

const ctx: MapContext = { connectionId: 'c1', sourceSystem: 'netsuite', idFor: (entity, remoteId) => recordId('c1', entity, remoteId) };
const write = (extra: Partial<WriteContext> = {}): WriteContext => ({ logger: quietLogger, ...extra });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const order = {
  vendor_remote_id: '101',
  memo: 'Spare bearings for line 4',
  external_reference: 'REQ-9001',
  required_date: '2026-03-01',
  currency: 'USD',
  ship_to_location_remote_id: '2',
  custom_fields: { custbody_mr_rush_order: 'true', custbody_mr_project_code: 'PRJ-777' },
  lines: [
    { item_remote_id: '500', quantity: '4', unit_price: '12.5', description: 'Bearing 6204', expected_delivery_date: '2026-02-20', custom_fields: { custcol_mr_cost_center: 'CC-120' } },
    { item_remote_id: '501', quantity: '1.5', unit_price: '10.5' },
  ],
};

describe('NetSuite purchase order writes', () => {
  it('creates an order as an async job and returns the record read back', async () => {
    harness = await startHarness({ size: 10 });
    const before = harness.sandbox.store.count('purchaseorder');
    const result = await purchaseOrderWrites.create!(harness.client, order, write({ idempotencyKey: 'order-form-42' }));
    expect(harness.sandbox.store.count('purchaseorder')).toBe(before + 1);
    expect(harness.sandbox.requestLog.some((entry) => entry.method === 'POST' && entry.url.startsWith('/services/rest/record/v1/purchaseOrder') && entry.status === 202)).toBe(true);
    const mapped = mapPurchaseOrder(result.raw as Record<string, unknown>, ctx);
    expect(mapped).toMatchObject({
      remote_id: result.remoteId,
      vendor_remote_id: '101',
      memo: 'Spare bearings for line 4',
      external_reference: 'REQ-9001',
      required_date: '2026-03-01',
      currency: 'USD',
      ship_to_location_remote_id: '2',
      status: 'approved',
      total: '65.75',
      custom_fields: { custbody_mr_rush_order: 'true', custbody_mr_project_code: 'PRJ-777' },
    });
    expect(mapped.lines).toMatchObject([
      { line_number: 1, item_remote_id: '500', quantity: '4', unit_price: '12.5', expected_delivery_date: '2026-02-20', custom_fields: { custcol_mr_cost_center: 'CC-120' } },
      { line_number: 2, item_remote_id: '501', quantity: '1.5' },
    ]);
  });

  it('a create retried with the same idempotency key creates one record and answers with it again', async () => {
    harness = await startHarness({ size: 10 });
    const before = harness.sandbox.store.count('purchaseorder');
    const first = await purchaseOrderWrites.create!(harness.client, order, write({ idempotencyKey: '1f0c6a52-8e7d-4b2a-9a55-0c1b5e3d2f10' }));
    const retried = await purchaseOrderWrites.create!(harness.client, order, write({ idempotencyKey: '1f0c6a52-8e7d-4b2a-9a55-0c1b5e3d2f10' }));
    expect(retried.remoteId).toBe(first.remoteId);
    expect(harness.sandbox.store.count('purchaseorder')).toBe(before + 1);
    expect(harness.sandbox.requestLog.filter((entry) => entry.status === 400 && entry.method === 'POST')).toHaveLength(1); // IDEMPOTENCY_ERROR, followed
    const other = await purchaseOrderWrites.create!(harness.client, order, write({ idempotencyKey: 'another-form-submission' }));
    expect(other.remoteId).not.toBe(first.remoteId);
    expect(harness.sandbox.store.count('purchaseorder')).toBe(before + 2);
  });

  it('creates synchronously (204 + Location) when async creates are off', async () => {
    harness = await startHarness({ size: 10, config: { asyncCreates: false } });
    const result = await purchaseOrderWrites.create!(harness.client, order, write());
    const post = harness.sandbox.requestLog.find((entry) => entry.method === 'POST' && entry.url.startsWith('/services/rest/record/v1/purchaseOrder'));
    expect(post?.status).toBe(204);
    expect(harness.sandbox.store.get('purchaseorder', result.remoteId)?.memo).toBe('Spare bearings for line 4');
  });

  it("surfaces NetSuite's refusal with its code, message and the unified field path, and creates nothing", async () => {
    harness = await startHarness({ size: 10 });
    const before = harness.sandbox.store.count('purchaseorder');
    const refused = { ...order, lines: [order.lines[0]!, { item_remote_id: '99999', quantity: '1' }] };
    const error = await connectorFailure(purchaseOrderWrites.create!(harness.client, refused, write({ idempotencyKey: 'bad-item' })));
    expect(error).toMatchObject({ kind: 'validation', status: 400, sourceCode: 'USER_ERROR' });
    expect(error.sourceMessage).toContain('Invalid Field Value 99999');
    expect(error.fieldErrors).toEqual([{ path: 'lines[1].item_remote_id', message: expect.stringContaining('99999'), code: 'USER_ERROR' }]);
    expect(harness.sandbox.store.count('purchaseorder')).toBe(before);
  });

  it('validates without network what NetSuite would refuse (dry run)', async () => {
    const issues = purchaseOrderWrites.validate!({ vendor_id: 'c0ffee', lines: [{ item_id: 'x', quantity: '0' }], buyer: 'Dana', currency: 'usd' }, 'create');
    expect(issues.map((issue) => issue.path).sort()).toEqual(['buyer', 'currency', 'lines[0].item_remote_id', 'lines[0].quantity', 'vendor_remote_id']);
    expect(purchaseOrderWrites.validate!(order, 'create')).toEqual([]);
    expect(purchaseOrderWrites.validate!({ lines: [{ line_number: 1, quantity: '3' }] }, 'update')).toEqual([]);
    harness = await startHarness({ size: 10 });
    const before = harness.sandbox.requestLog.length;
    const error = await connectorFailure(purchaseOrderWrites.create!(harness.client, { lines: [] }, write()));
    expect(error.kind).toBe('validation');
    expect(harness.sandbox.requestLog.length).toBe(before);
  });

  it('updates by PATCH: header fields, a changed line and a new line', async () => {
    harness = await startHarness({ size: 10 });
    const existing = harness.sandbox.store.get('purchaseorder', '1002')!;
    const result = await purchaseOrderWrites.update!(harness.client, '1002', { memo: 'Revised', lines: [{ line_number: 1, quantity: '99' }, { item_remote_id: '503', quantity: '2', unit_price: '1' }] }, write());
    const mapped = mapPurchaseOrder(result.raw as Record<string, unknown>, ctx);
    expect(mapped.memo).toBe('Revised');
    expect(mapped.lines).toHaveLength(existing.lines.length + 1);
    expect(mapped.lines![0]).toMatchObject({ line_number: 1, quantity: '99', item_remote_id: existing.lines[0]!.item.id });
    expect(mapped.lines!.at(-1)).toMatchObject({ item_remote_id: '503', quantity: '2', unit_price: '1' });
    expect(harness.sandbox.requestLog.find((entry) => entry.method === 'PATCH')?.status).toBe(204);
  });

  it('reports a change made in NetSuite after the base version as a conflict, and an unknown order as not_found', async () => {
    harness = await startHarness({ size: 10 });
    const base = (await purchaseOrdersStream.fetchOne!(harness.client, '1004'))!;
    const baseVersion = { remoteUpdatedAt: mapPurchaseOrder(base, ctx).remote_updated_at ?? null };
    harness.sandbox.control.touch('purchaseorder', '1004', 'changed by a buyer in NetSuite');
    const conflict = await connectorFailure(purchaseOrderWrites.update!(harness.client, '1004', { memo: 'mine' }, write({ baseVersion })));
    expect(conflict.kind).toBe('conflict');
    expect(conflict).toMatchObject({ status: 409, details: { your_version_timestamp: baseVersion.remoteUpdatedAt } });
    expect(Date.parse(String(conflict.details?.current_version_timestamp))).toBeGreaterThan(Date.parse(String(baseVersion.remoteUpdatedAt)));
    expect(harness.sandbox.store.get('purchaseorder', '1004')!.memo).toBe('changed by a buyer in NetSuite');
    const missing = await connectorFailure(purchaseOrderWrites.update!(harness.client, '424242', { memo: 'x' }, write()));
    expect(missing).toMatchObject({ kind: 'not_found', status: 404, sourceCode: 'NONEXISTENT_ID' });
  });

  it('is registered in the manifest with its streams and write operations', () => {
    expect(netsuiteConnector.writes?.purchase_order).toBe(purchaseOrderWrites);
    expect(netsuiteConnector.streams.map((stream) => stream.name)).toEqual(['purchase_orders', 'vendors', 'inventory_items']);
  });
});
