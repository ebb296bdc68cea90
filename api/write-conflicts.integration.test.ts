import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessCentralConnector } from '../connectors/dynamics-business-central/index.js';
import { sandboxConnectionConfig, startBcSandbox, type StartedBcSandbox } from '../connectors/dynamics-business-central/sandbox/index.js';
import { sapS4hanaConnector } from '../connectors/sap-s4hana/index.js';
import { startSapSandbox, type RunningSapSandbox } from '../connectors/sap-s4hana/sandbox/index.js';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';
import { storeSourceImage } from './testing/stored-images.js';

/**
 * Updates through the API are based on the record as Millrace stored it (remote_data and
 * remote_updated_at). A record changed in the source since then is refused with 409 and both
 * versions' change times, and nothing is overwritten; a record based on the current version is
 * written. One SAP (no ETag on purchase orders: change time compared) and one Business Central
 * (ETag sent as If-Match) connection.
 */
describe('updates based on a stale version', () => {
  let api: ApiHarness;
  let sap: RunningSapSandbox;
  let bc: StartedBcSandbox;
  let sapConnection: string;
  let bcConnection: string;
  const sapConfig = () => ({ baseUrl: sap.baseUrl, username: sap.credentials.username, password: sap.credentials.password });
  const patch = (id: string, body: unknown) => api.call('PATCH', `/v1/purchase-orders/${id}`, { key: api.keys.write, body });

  beforeAll(async () => {
    [sap, bc] = await Promise.all([startSapSandbox({ size: 10 }), startBcSandbox({ seed: 3, size: 8 })]);
    api = await startApiHarness({ connectorList: [sapS4hanaConnector, businessCentralConnector] });
    sapConnection = (await api.connections.create({ system: 'sap_s4hana', name: 'S/4HANA', config: sapConfig(), owner: 'acme', paused: true })).id;
    bcConnection = (await api.connections.create({ system: businessCentralConnector.id, name: 'BC', config: sandboxConnectionConfig(bc), owner: 'acme', paused: true })).id;
  });
  afterAll(async () => {
    await api?.close();
    await Promise.allSettled([sap?.close(), bc?.server.close()]);
  });

  it('SAP: 409 with the change time the caller based on and SAP\'s current one; nothing sent; a fresh base is written', async () => {
    const number = '4500000002';
    const { record } = await storeSourceImage(api.clickhouse, sapS4hanaConnector, sapConfig(), sapConnection, 'purchase_order', number);
    const changed = sap.control.updatePurchaseOrder(number, { PaymentTerms: '0001' });
    const sapNow = new Date(Math.floor(Number(changed.LastChangeDateTime) / 1000)).toISOString();
    const patchesBefore = sap.state.requestLog.filter((entry) => entry.method === 'PATCH').length;

    const stale = await patch(record.id as string, { payment_terms: '0004' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'source_conflict', details: { kind: 'conflict', your_version_timestamp: record.remote_updated_at, current_version_timestamp: sapNow } });
    expect(stale.body.error.message).toContain(number);
    expect(sap.state.requestLog.filter((entry) => entry.method === 'PATCH').length).toBe(patchesBefore);
    expect(sap.control.purchaseOrder(number)).toMatchObject({ PaymentTerms: '0001' });

    // After a sync brought the current version, the same change goes through.
    await storeSourceImage(api.clickhouse, sapS4hanaConnector, sapConfig(), sapConnection, 'purchase_order', number);
    const fresh = await patch(record.id as string, { payment_terms: '0004' });
    expect(fresh.status).toBe(200);
    expect(sap.control.purchaseOrder(number)).toMatchObject({ PaymentTerms: '0004' });
  });

  it('Business Central: 409 with both versions\' times and ETags; the other user\'s change stays; a fresh base is written', async () => {
    const companyId = bc.companyIds[0]!;
    const draft = [...Array(8).keys()].map((index) => bc.control.orderAt(companyId, index)!).find((order) => order?.status === 'Draft');
    expect(draft, 'a seeded draft order').toBeDefined();
    const remoteId = `${companyId}/${draft!.id}`;
    const { record, raw } = await storeSourceImage(api.clickhouse, businessCentralConnector, sandboxConnectionConfig(bc), bcConnection, 'purchase_order', remoteId);
    const seen = raw as { lastModifiedDateTime: string; '@odata.etag': string };
    const theirs = bc.control.updateOrder(companyId, draft!.id, { purchaser: 'AH' });

    const stale = await patch(record.id as string, { buyer: 'OF' });
    expect(stale.status).toBe(409);
    const details = stale.body.error.details;
    expect(stale.body.error.code).toBe('source_conflict');
    expect(Date.parse(details.your_version_timestamp)).toBe(Date.parse(seen.lastModifiedDateTime));
    expect(details.current_version_timestamp).toBe(theirs.lastModifiedDateTime);
    expect(details).toMatchObject({ your_etag: seen['@odata.etag'], current_etag: theirs['@odata.etag'], source_code: 'Request_EntityChanged' });
    expect(bc.control.order(companyId, draft!.id)!.purchaser).toBe('AH');

    await storeSourceImage(api.clickhouse, businessCentralConnector, sandboxConnectionConfig(bc), bcConnection, 'purchase_order', remoteId);
    const fresh = await patch(record.id as string, { buyer: 'OF' });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ id: record.id, remote_id: remoteId });
    expect(bc.control.order(companyId, draft!.id)!.purchaser).toBe('OF');
  });

  it('answers 404 naming the id for a record Millrace does not hold, before calling any source', async () => {
    const id = randomUUID();
    const before = sap.state.requestLog.length + bc.state.requestLog.length;
    const missing = await patch(id, { payment_terms: '0004' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'record_not_found', message: expect.stringContaining(id) });
    expect(sap.state.requestLog.length + bc.state.requestLog.length).toBe(before);
  });
});
