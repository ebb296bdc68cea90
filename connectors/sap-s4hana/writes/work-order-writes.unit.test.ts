import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { isConnectorError, type ConnectorError } from '../../sdk/errors.js';
import { testMapContext } from '../mappers/test-context.js';
import { mapWorkOrder } from '../mappers/work-order.js';
import type { ODataRecord } from '../odata/page.js';
import { startHarness, type Harness } from '../sandbox/test-harness.js';
import { workOrdersStream } from '../streams/work-orders.js';
import { validateWorkOrder, workOrderWrites } from './work-order-writes.js';
import { connectorFailure } from '../../sdk/testing/connector-failure.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ctx = { logger: createLogger({ level: 'silent' }) };

const newOrder = (overrides: Record<string, unknown> = {}) => ({
  title: 'Replace leaking seal on P-101',
  type: 'corrective',
  priority: 'high',
  site: '1710',
  asset_remote_id: '10000003',
  assigned_to: [{ type: 'team', remote_id: 'RES-0100', name: 'Mechanics' }],
  scheduled_start: '2024-06-10T08:00:00Z',
  scheduled_end: '2024-06-10T16:00:00Z',
  due_date: '2024-06-14',
  tasks: [
    { sequence: 10, description: 'Isolate and drain pump', estimated_hours: '1.5' },
    { sequence: 20, description: 'Replace mechanical seal', estimated_hours: '3' },
  ],
  ...overrides,
});

describe('maintenance order writes', () => {
  it('creates an order with operations; SAP starts it in CRTD', async () => {
    harness = await startHarness({ size: 8 });
    const result = await workOrderWrites.create!(harness.client, newOrder() as never, ctx);
    expect(result.remoteId).toBe('4000008');
    const raw = result.raw as ODataRecord;
    expect(raw).toMatchObject({ MaintenanceOrderType: 'PM01', MainWorkCenter: 'RES-0100', Equipment: '10000003', MaintPriority: '2' });
    const mapped = mapWorkOrder(raw, testMapContext);
    expect(mapped).toMatchObject({
      status: 'requested',
      priority: 'high',
      type: 'corrective',
      asset_remote_id: '10000003',
      due_date: '2024-06-14',
      estimated_hours: '4.5',
    });
    expect(mapped.tasks!.map((task) => [task.sequence, task.description])).toEqual([
      [10, 'Isolate and drain pump'],
      [20, 'Replace mechanical seal'],
    ]);
    expect(harness.sandbox.state.security.csrfFetches).toBe(1);
  });

  it('uses the configured order types (S/4HANA Cloud Best Practices) and refuses unconfigured ones', async () => {
    harness = await startHarness({ size: 3 });
    const client = harness.connect({ workOrderTypes: { corrective: 'YBA1', preventive: 'YBA2' } });
    const result = await workOrderWrites.create!(client, newOrder({ type: 'preventive', asset_remote_id: '10000001' }) as never, ctx);
    expect((result.raw as ODataRecord).MaintenanceOrderType).toBe('YBA2');
    const error = await connectorFailure(workOrderWrites.create!(client, newOrder({ type: 'inspection' }) as never, ctx));
    expect(error.fieldErrors).toEqual([{ path: 'type', message: "no SAP order type is configured for inspection; add it to the connection's workOrderTypes" }]);
  });

  it("returns SAP's refusal with the unified path", async () => {
    harness = await startHarness({ size: 3 });
    const error = await connectorFailure(workOrderWrites.create!(harness.client, newOrder({ asset_remote_id: '19999999' }) as never, ctx));
    expect(error).toMatchObject({ kind: 'validation', sourceCode: 'IS/200', fieldErrors: [{ path: 'asset_remote_id', message: 'Equipment 19999999 does not exist', code: 'IS/200' }] });
  });

  it('validates without a call: status changes, missing work center, notification fields', () => {
    const issues = validateWorkOrder(newOrder({ status: 'completed', assigned_to: [], failure_code: 'LEAK' }), 'create');
    expect(issues.map((issue) => issue.path).sort()).toEqual(['assigned_to', 'failure_code', 'status']);
    expect(validateWorkOrder(newOrder(), 'create')).toEqual([]);
    expect(validateWorkOrder({ site: '1720' }, 'update').map((issue) => issue.path)).toEqual(['site']);
  });

  it('updates title and priority; a closed order refuses changes', async () => {
    harness = await startHarness({ size: 8 });
    const result = await workOrderWrites.update!(harness.client, '4000002', { title: 'Replace bearing (urgent)', priority: 'urgent' } as never, ctx);
    expect(mapWorkOrder(result.raw as ODataRecord, testMapContext)).toMatchObject({ title: 'Replace bearing (urgent)', priority: 'urgent', remote_priority: '1' });
    // Order index 6 is generated closed (CLSD).
    const closed = await connectorFailure(workOrderWrites.update!(harness.client, '4000006', { title: 'x' } as never, ctx));
    expect(closed).toMatchObject({ kind: 'validation', sourceCode: 'IW/010' });
    const missing = await connectorFailure(workOrderWrites.update!(harness.client, '4999999', { title: 'x' } as never, ctx));
    expect(missing).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('refuses a change based on an old version of the order, naming both change times, and writes nothing', async () => {
    harness = await startHarness({ size: 8 });
    const seen = (await workOrdersStream.fetchOne!(harness.client, '4000003'))!;
    const seenAt = mapWorkOrder(seen, testMapContext).remote_updated_at ?? null;
    harness.sandbox.control.updateMaintenanceOrder('4000003', { MaintenanceOrderDesc: 'Changed in SAP' });
    const theirs = mapWorkOrder((await workOrdersStream.fetchOne!(harness.client, '4000003'))!, testMapContext).remote_updated_at;
    expect(theirs).not.toBe(seenAt);
    const stale = await connectorFailure(workOrderWrites.update!(harness.client, '4000003', { title: 'Mine' } as never, { ...ctx, baseVersion: { remoteData: seen, remoteUpdatedAt: seenAt } }));
    expect(stale).toMatchObject({ kind: 'conflict', status: 409, details: { your_version_timestamp: seenAt, current_version_timestamp: theirs } });
    expect(harness.sandbox.state.tenant.maintenanceOrders.get('4000003')).toMatchObject({ MaintenanceOrderDesc: 'Changed in SAP' });
    const fresh = (await workOrdersStream.fetchOne!(harness.client, '4000003'))!;
    const result = await workOrderWrites.update!(harness.client, '4000003', { title: 'Mine' } as never, { ...ctx, baseVersion: { remoteData: fresh, remoteUpdatedAt: theirs ?? null } });
    expect(mapWorkOrder(result.raw as ODataRecord, testMapContext).title).toBe('Mine');
  });
});
