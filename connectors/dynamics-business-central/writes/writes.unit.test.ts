import { afterEach, describe, expect, it } from 'vitest';
import { recordId } from '../../../schemas/index.js';
import { ConnectorError } from '../../sdk/errors.js';
import type { MapContext, WriteContext } from '../../sdk/types.js';
import type { BcPurchaseOrder } from '../raw-types.js';
import { silentLogger, startHarness, type Harness } from '../sandbox/test-harness.js';
import { purchaseOrdersStream } from '../streams/purchase-orders.js';
import { purchaseOrderWrites } from './purchase-order-writes.js';
import { connectorFailure } from '../../sdk/testing/connector-failure.js';

const ctx: MapContext = { connectionId: 'conn-w', sourceSystem: 'dynamics365_business_central', idFor: (entity, id) => recordId('conn-w', entity, id) };
const writeCtx = (base?: WriteContext['baseVersion']): WriteContext => ({ logger: silentLogger, ...(base ? { baseVersion: base } : {}) });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function seededVendor(h: Harness, predicate: (blocked: string) => boolean): string {
  for (let i = 0; i < 50; i++) {
    const vendor = h.sandbox.control.vendorAt(h.companyId, i);
    if (vendor && predicate(vendor.blocked)) return `${h.companyId}/${vendor.id}`;
  }
  throw new Error('no such seeded vendor');
}

describe('Business Central purchase order writes', () => {
  it('creates an order with lines in one deep insert and reads it back', async () => {
    harness = await startHarness({ size: 20 });
    const item = harness.sandbox.control.itemAt(harness.companyId, 0)!;
    const vendor = seededVendor(harness, (blocked) => blocked === ' ');
    const result = await purchaseOrderWrites.create!(harness.client, {
      vendor_remote_id: vendor,
      issue_date: '2026-03-02',
      required_date: '2026-03-20',
      buyer: 'JR',
      lines: [
        { line_number: 10000, item_code: item.number, quantity: '4', unit_price: '12.5' } as never,
        { line_number: 20000, description: 'Call before delivery' } as never,
      ],
    }, writeCtx());
    const raw = result.raw as BcPurchaseOrder;
    expect(result.remoteId).toBe(`${harness.companyId}/${raw.id}`);
    expect(raw.purchaseOrderLines).toHaveLength(2);
    const mapped = purchaseOrdersStream.map(raw, ctx);
    expect(mapped).toMatchObject({ status: 'draft', issue_date: '2026-03-02', required_date: '2026-03-20', buyer: 'JR', subtotal: '50', vendor_remote_id: vendor });
    expect((mapped as { lines: { item_code: string | null; quantity: string | null }[] }).lines.map((line) => [line.item_code, line.quantity])).toEqual([[item.number, '4'], [null, null]]);
    expect(await purchaseOrdersStream.fetchOne!(harness.client, result.remoteId)).toMatchObject({ id: raw.id, number: raw.number });
  });

  it('refuses without a network call what Business Central would refuse (dry run)', () => {
    const issues = purchaseOrderWrites.validate!({ external_reference: 'REQ-1', lines: [{ quantity: '1.2345678901234567', item_code: 'X' }] }, 'create');
    expect(issues.map((issue) => issue.path).sort()).toEqual(['external_reference', 'lines[0].quantity', 'vendor_remote_id']);
  });

  it('returns Business Central’s refusal with its code, message and the field it concerns', async () => {
    harness = await startHarness({ size: 40 });
    const blocked = seededVendor(harness, (value) => value === 'All');
    const vendorError = await connectorFailure(purchaseOrderWrites.create!(harness.client, { vendor_remote_id: blocked, lines: [{ item_code: '1896-S', quantity: '1' } as never] }, writeCtx()));
    expect(vendorError).toMatchObject({ kind: 'validation', sourceCode: 'Application_DialogException', status: 400 });
    expect(vendorError.fieldErrors).toEqual([expect.objectContaining({ path: 'vendor_remote_id', message: expect.stringContaining('is blocked with type All') })]);

    const vendor = seededVendor(harness, (value) => value === ' ');
    const itemError = await connectorFailure(purchaseOrderWrites.create!(harness.client, { vendor_remote_id: vendor, lines: [{ item_code: '1896-S', quantity: '1' } as never, { item_code: 'NO-SUCH', quantity: '2' } as never] }, writeCtx()));
    expect(itemError).toMatchObject({ kind: 'validation', sourceCode: 'Internal_RecordNotFound' });
    expect(itemError.fieldErrors).toEqual([expect.objectContaining({ path: 'lines[1].item_code' })]);
    // All or nothing: the refused deep insert created no order.
    const { records } = await harness.read(purchaseOrdersStream);
    expect(records.filter((record) => !('@millrace.reconstructedFrom' in record))).toHaveLength(40);
  });

  it('updates a draft order based on the version the caller saw', async () => {
    harness = await startHarness({ size: 10 });
    const created = await purchaseOrderWrites.create!(harness.client, { vendor_remote_id: seededVendor(harness, (b) => b === ' '), lines: [{ item_code: '1896-S', quantity: '2' } as never] }, writeCtx());
    const base = created.raw as BcPurchaseOrder;
    const result = await purchaseOrderWrites.update!(harness.client, created.remoteId, {
      buyer: 'PS',
      required_date: '2026-05-01',
      lines: [{ line_number: 10000, quantity: '5' } as never, { line_number: 20000, item_code: '1897-S', quantity: '1' } as never],
    }, writeCtx({ remoteData: base, remoteUpdatedAt: base.lastModifiedDateTime }));
    const after = result.raw as BcPurchaseOrder;
    expect(after).toMatchObject({ purchaser: 'PS', requestedReceiptDate: '2026-05-01' });
    expect(after.purchaseOrderLines!.map((line) => [line.sequence, line.lineObjectNumber, line.quantity])).toEqual([[10000, '1896-S', 5], [20000, '1897-S', 1]]);
    expect(after['@odata.etag']).not.toBe(base['@odata.etag']);
  });

  it('reports a change made in Business Central meanwhile as a conflict with both versions, and overwrites nothing', async () => {
    harness = await startHarness({ size: 10 });
    const created = await purchaseOrderWrites.create!(harness.client, { vendor_remote_id: seededVendor(harness, (b) => b === ' '), lines: [{ item_code: '1896-S', quantity: '2' } as never] }, writeCtx());
    const seen = created.raw as BcPurchaseOrder;
    const theirs = harness.sandbox.control.updateOrder(harness.companyId, seen.id, { purchaser: 'AH' });
    const error = await connectorFailure(purchaseOrderWrites.update!(harness.client, created.remoteId, { buyer: 'OF' }, writeCtx({ remoteData: seen, remoteUpdatedAt: seen.lastModifiedDateTime })));
    expect(error).toMatchObject({ kind: 'conflict', status: 409, sourceCode: 'Request_EntityChanged' });
    expect(error.details).toEqual({
      your_version_timestamp: seen.lastModifiedDateTime,
      current_version_timestamp: theirs.lastModifiedDateTime,
      current_etag: theirs['@odata.etag'],
      your_etag: seen['@odata.etag'],
    });
    expect(harness.sandbox.control.order(harness.companyId, seen.id)!.purchaser).toBe('AH');
  });

  it('refuses changes to a released order the way Business Central does', async () => {
    harness = await startHarness({ size: 10 });
    const released = [...Array(10).keys()].map((i) => harness!.sandbox.control.orderAt(harness!.companyId, i)!).find((order) => order.status === 'Open')!;
    const error = await connectorFailure(purchaseOrderWrites.update!(harness.client, `${harness.companyId}/${released.id}`, { buyer: 'OF' }, writeCtx({ remoteData: released, remoteUpdatedAt: released.lastModifiedDateTime })));
    expect(error).toMatchObject({ kind: 'validation', sourceCode: 'Application_FieldValidationException' });
    expect(error.fieldErrors?.[0]).toMatchObject({ path: 'status', message: expect.stringContaining("Current value is 'Released'") });
  });

  it('refuses to change an order that was invoiced and closed', async () => {
    harness = await startHarness({ size: 6 });
    const order = harness.sandbox.control.orderAt(harness.companyId, 1)!;
    harness.sandbox.control.invoiceOrder(harness.companyId, order.id);
    const error = await connectorFailure(purchaseOrderWrites.update!(harness.client, `${harness.companyId}/${order.id}`, { buyer: 'OF' }, writeCtx()));
    expect(error).toMatchObject({ kind: 'validation', fieldErrors: [expect.objectContaining({ path: 'status' })] });
  });
});
