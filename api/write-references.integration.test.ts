import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sapS4hanaConnector } from '../connectors/sap-s4hana/index.js';
import { startSapSandbox, type RunningSapSandbox } from '../connectors/sap-s4hana/sandbox/index.js';
import type { EntityName } from '../schemas/entities.js';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';
import { storeSourceImage } from './testing/stored-images.js';

/**
 * Writes may name related records by their Millrace ids (vendor_id, lines[].item_id, asset_id):
 * the API looks each one up among the write's own connection's records and hands the connector
 * the source's key. An id that does not resolve there is refused with its field path, and the
 * source hears nothing.
 */
describe('Millrace ids in writes', () => {
  let api: ApiHarness;
  let sap: RunningSapSandbox;
  let connectionId: string;
  let otherConnectionId: string;
  const ids: Record<string, string> = {};
  const config = () => ({ baseUrl: sap.baseUrl, username: sap.credentials.username, password: sap.credentials.password });
  const store = async (connection: string, entity: EntityName, remoteId: string) => (await storeSourceImage(api.clickhouse, sapS4hanaConnector, config(), connection, entity, remoteId)).record.id as string;
  const post = (path: string, body: unknown, query = '') => api.call('POST', `${path}?connection_id=${connectionId}${query}`, { key: api.keys.write, body });
  const sapRequests = () => sap.state.requestLog.length;

  const order = (overrides: Record<string, unknown> = {}) => ({
    vendor_id: ids.vendor,
    company_id: '1710',
    subsidiary: '1710',
    buyer: '001',
    currency: 'USD',
    lines: [
      { line_number: 10, item_id: ids.item1, quantity: '5', uom: 'PC', unit_price: '12.5', location_remote_id: '1710' },
      { line_number: 20, item_id: ids.item2, quantity: '2', uom: 'PC', unit_price: '3', location_remote_id: '1710' },
    ],
    ...overrides,
  });

  beforeAll(async () => {
    sap = await startSapSandbox({ size: 10 });
    api = await startApiHarness({ connectorList: [sapS4hanaConnector] });
    connectionId = (await api.connections.create({ system: 'sap_s4hana', name: 'plant 1710', config: config(), owner: 'acme', paused: true })).id;
    otherConnectionId = (await api.connections.create({ system: 'sap_s4hana', name: 'other system', config: config(), owner: 'acme', paused: true })).id;
    ids.vendor = await store(connectionId, 'vendor', '17300001');
    ids.item1 = await store(connectionId, 'inventory_item', '21000001');
    ids.item2 = await store(connectionId, 'inventory_item', '21000002');
    ids.asset = await store(connectionId, 'asset', '10000003');
    // The same SAP product, synced through another connection: another Millrace id.
    ids.otherItem = await store(otherConnectionId, 'inventory_item', '21000003');
  });
  afterAll(async () => {
    await api?.close();
    await sap?.close();
  });

  it('resolves vendor_id and lines[].item_id to SAP\'s supplier and material numbers, on a dry run and on the write', async () => {
    const dry = await post('/v1/purchase-orders', order(), '&dry_run=true');
    expect(dry.status).toBe(200);
    expect(dry.body.input).toMatchObject({ vendor_id: ids.vendor, vendor_remote_id: '17300001', lines: [{ item_id: ids.item1, item_remote_id: '21000001' }, { item_id: ids.item2, item_remote_id: '21000002' }] });

    const created = await post('/v1/purchase-orders', order());
    expect(created.status).toBe(201);
    const inSap = sap.control.purchaseOrder(created.body.remote_id)!;
    expect(inSap.Supplier).toBe('17300001');
    expect((inSap.to_PurchaseOrderItem as Record<string, unknown>[]).map((item) => item.Material)).toEqual(['21000001', '21000002']);
  });

  it('refuses ids that are unknown or of another connection with 422 naming each field path, and sends nothing to SAP', async () => {
    const before = sapRequests();
    const unknownVendor = randomUUID();
    const body = order({
      vendor_id: unknownVendor,
      lines: [...order().lines, { line_number: 30, item_id: ids.otherItem, quantity: '1', uom: 'PC', unit_price: '1', location_remote_id: '1710' }],
    });
    for (const query of ['&dry_run=true', '']) {
      const refused = await post('/v1/purchase-orders', body, query);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('reference_not_found');
      expect(refused.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.vendor_id', 'body.lines.2.item_id']);
      expect(refused.body.error.issues[0].message).toContain(unknownVendor);
      expect(refused.body.error.issues[1].message).toContain('item_remote_id');
    }
    const contradicting = await post('/v1/purchase-orders', order({ vendor_remote_id: '17300002' }));
    expect(contradicting.status).toBe(422);
    expect(contradicting.body.error.issues).toEqual([{ path: 'body.vendor_id', message: expect.stringContaining('17300002') }]);
    expect(sapRequests()).toBe(before);
  });

  it('resolves asset_id of a work order to the SAP equipment', async () => {
    const created = await post('/v1/work-orders', {
      title: 'Inspect coupling',
      type: 'corrective',
      site: '1710',
      asset_id: ids.asset,
      assigned_to: [{ type: 'team', remote_id: 'RES-0100', name: 'Mechanics' }],
      tasks: [{ sequence: 10, description: 'Inspect coupling' }],
    });
    expect(created.status).toBe(201);
    expect(sap.state.tenant.maintenanceOrders.get(created.body.remote_id)).toMatchObject({ Equipment: '10000003' });
  });
});
