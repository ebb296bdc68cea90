import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetSuiteSandbox, type StartedNetSuiteSandbox } from '../connectors/netsuite/sandbox/index.js';
import { netsuiteConnector } from '../connectors/netsuite/index.js';
import { exampleRecord, toClickHouseRow } from '../schemas/index.js';
import { waitFor } from '../test/support/wait-for.js';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';

describe('connections through the API', () => {
  let api: ApiHarness;
  let netsuite: StartedNetSuiteSandbox;
  let receiver: http.Server;
  let receiverUrl: string;
  const good = () => netsuite.connectionConfig;
  const wrongSecret = () => ({ ...netsuite.connectionConfig, tokenSecret: 'f'.repeat(64) });

  beforeAll(async () => {
    netsuite = await startNetSuiteSandbox({ size: 12 });
    api = await startApiHarness({ connectorList: [netsuiteConnector] });
    receiver = http.createServer((_request, response) => response.writeHead(204).end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await api?.close();
    await netsuite?.running.close();
    receiver?.close();
  });

  const create = (body: Record<string, unknown>, key?: string) => api.call('POST', '/v1/connections', { body: { system: 'netsuite', name: 'NetSuite', config: good(), paused: true, ...body }, ...(key ? { key } : {}) });

  it('describes connectors: config schema, secret fields, streams, writes and passthrough', async () => {
    const answer = await api.call('GET', '/v1/connectors', { key: api.keys.read });
    expect(answer.status).toBe(200);
    const [described] = answer.body.data;
    expect(described).toMatchObject({ id: 'netsuite', display_name: 'Oracle NetSuite', writes: [{ entity: 'purchase_order', create: true, update: true }] });
    expect(described.secret_fields).toEqual(expect.arrayContaining(['consumerSecret', 'tokenSecret']));
    expect(described.streams.map((stream: { entity: string }) => stream.entity)).toContain('purchase_order');
    expect(described.config_schema.properties).toHaveProperty('accountId');
  });

  it('tests a draft config: ok, and the source\'s refusal as an answer', async () => {
    const ok = await api.call('POST', '/v1/connections/test', { key: api.keys.write, body: { system: 'netsuite', config: good() } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true });
    const refused = await api.call('POST', '/v1/connections/test', { key: api.keys.write, body: { system: 'netsuite', config: wrongSecret() } });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    expect(refused.text).not.toContain('f'.repeat(64));
  });

  it('creates nothing when the test, the config or the webhook is refused', async () => {
    const failedTest = await create({ name: 'wrong secret', config: wrongSecret(), test: true });
    expect(failedTest.status).toBe(422);
    expect(failedTest.body.error.code).toBe('connection_test_failed');

    const badConfig = await create({ name: 'no account', config: { ...good(), accountId: undefined, baseUrl: 'not a url' } });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body.error.code).toBe('connection_config_invalid');
    expect(badConfig.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(expect.arrayContaining(['body.config.accountId']));
    expect(badConfig.text).not.toContain(netsuite.connectionConfig.tokenSecret as string);

    const unknownSystem = await create({ system: 'oracle_ebs' });
    expect(unknownSystem.status).toBe(400);
    expect(unknownSystem.body.error.code).toBe('connector_unknown');

    const privateHook = await create({ name: 'private hook', webhook: { url: 'https://10.1.2.3/hook', event_types: ['sync.*'] } });
    expect(privateHook.status).toBe(400);
    expect(privateHook.body.error.code).toBe('webhook_url_forbidden_address');

    const badSchedule = await create({ name: 'bad schedule', schedule: { purchase_orders: 0 } });
    expect(badSchedule.status).toBe(400);
    expect(badSchedule.body.error.code).toBe('schedule_invalid');

    const listed = await api.call('GET', '/v1/connections');
    expect(listed.body.data).toEqual([]);
  });

  it('creates a connection with its webhook, shows it to its owner only, and updates it', async () => {
    const created = await create({ name: 'NetSuite SB1', webhook: { url: receiverUrl, event_types: ['sync.*', 'connection.*'] } }, api.keys.write);
    expect(created.status).toBe(201);
    const { connection, webhook } = created.body;
    expect(connection).toMatchObject({ system: 'netsuite', name: 'NetSuite SB1', owner: 'acme', status: 'paused', credentials: { set: true }, records: { purchase_order: 0 } });
    expect(connection.config).not.toHaveProperty('tokenSecret');
    expect(created.text).not.toContain(netsuite.connectionConfig.tokenSecret as string);
    expect(webhook.secret).toMatch(/^whsec_/);
    expect(webhook.subscription).toMatchObject({ connection_ids: [connection.id], owner: 'acme' });
    const hooks = await api.call('GET', `/v1/webhooks?connection_id=${connection.id}`);
    expect(hooks.body.data.map((hook: { id: string }) => hook.id)).toEqual([webhook.subscription.id]);

    const got = await api.call('GET', `/v1/connections/${connection.id}`, { key: api.keys.read });
    expect(got.status).toBe(200);
    expect(got.body.streams.map((stream: { name: string }) => stream.name)).toEqual(expect.arrayContaining(['purchase_orders']));

    for (const [method, route, body] of [
      ['GET', `/v1/connections/${connection.id}`],
      ['PATCH', `/v1/connections/${connection.id}`, { name: 'taken' }],
      ['POST', `/v1/connections/${connection.id}/pause`],
      ['POST', `/v1/connections/${connection.id}/sync`],
      ['GET', `/v1/connections/${connection.id}/runs`],
      ['GET', `/v1/connections/${connection.id}/mappings`],
      ['PUT', `/v1/connections/${connection.id}/credentials`, { credentials: { tokenSecret: 'x' } }],
      ['POST', `/v1/connections/${connection.id}/passthrough`, { method: 'GET', path: 'services/rest/record/v1/vendor/100' }],
      ['DELETE', `/v1/connections/${connection.id}`],
    ] as const) {
      const foreign = await api.call(method, route, { key: api.keys.otherAdmin, ...(body ? { body } : {}) });
      expect(foreign.status, `${method} ${route}`).toBe(404);
      expect(foreign.body.error.code).toBe('connection_not_found');
    }
    expect((await api.call('GET', '/v1/connections', { key: api.keys.otherAdmin })).body.data).toEqual([]);

    const renamed = await api.call('PATCH', `/v1/connections/${connection.id}`, { key: api.keys.write, body: { name: 'NetSuite sandbox', schedule: { purchase_orders: 120 } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'NetSuite sandbox', schedule: { purchase_orders: 120 } });
    const emptyPatch = await api.call('PATCH', `/v1/connections/${connection.id}`, { body: {} });
    expect(emptyPatch.status).toBe(400);
    const notSecret = await api.call('PUT', `/v1/connections/${connection.id}/credentials`, { body: { credentials: { accountId: 'other' } } });
    expect(notSecret.status).toBe(400);
    expect(notSecret.body.error.issues).toEqual([{ path: 'body.credentials.accountId', message: expect.any(String) }]);
    expect((await api.call('GET', `/v1/connections/${connection.id}`)).body.config.accountId).toBe(netsuite.connectionConfig.accountId);
  });

  it('runs syncs: auth_required with the error in the run history, cleared by new credentials', async () => {
    await api.startWorker();
    const created = await create({ name: 'rotated token', config: wrongSecret(), paused: false, schedule: { purchase_orders: 3600, vendors: 3600, inventory_items: 3600 } });
    expect(created.status).toBe(201);
    const id = created.body.connection.id as string;
    const needsAuth = await waitFor(async () => {
      const answer = await api.call('GET', `/v1/connections/${id}`);
      return answer.body.status === 'auth_required' && answer.body;
    }, { timeoutMs: 60_000, description: 'auth_required' });
    expect(needsAuth.lag_seconds).toBeNull();
    const runs = await api.call('GET', `/v1/connections/${id}/runs`, { key: api.keys.read });
    expect(runs.status).toBe(200);
    expect(runs.body.status).toBe('auth_required');
    expect(runs.body.runs.find((run: { status: string }) => run.status === 'failed')).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(runs.text).not.toContain('f'.repeat(64));

    const fixed = await api.call('PUT', `/v1/connections/${id}/credentials`, { key: api.keys.write, body: { credentials: { tokenSecret: good().tokenSecret } } });
    expect(fixed.status).toBe(200);
    const online = await waitFor(async () => {
      const answer = await api.call('GET', `/v1/connections/${id}`);
      return answer.body.status === 'online' && answer.body.last_sync_at !== null && answer.body;
    }, { timeoutMs: 60_000, description: 'online again with a successful sync' });
    expect(online.next_run_at).toEqual(expect.any(String));
    const succeeded = await api.call('GET', `/v1/connections/${id}/runs`);
    expect(succeeded.body.runs.some((run: { status: string; records: number }) => run.status === 'succeeded' && run.records > 0)).toBe(true);

    const paused = await api.call('POST', `/v1/connections/${id}/pause`, { key: api.keys.write });
    expect(paused.body.status).toBe('paused');
    const resumed = await api.call('POST', `/v1/connections/${id}/resume`, { key: api.keys.write });
    expect(resumed.body.status).not.toBe('paused');
    const syncing = await api.call('POST', `/v1/connections/${id}/sync`, { key: api.keys.write, body: { stream: 'vendors' } });
    expect(syncing.status).toBe(202);
    expect(syncing.body.streams.find((stream: { name: string }) => stream.name === 'vendors').pending_request).toMatchObject({ full: false });
    const resync = await api.call('POST', `/v1/connections/${id}/resync`, { key: api.keys.write, body: { entity: 'purchase_order' } });
    expect(resync.status).toBe(202);
    expect(resync.body.streams.find((stream: { name: string }) => stream.name === 'purchase_orders').pending_request).toMatchObject({ full: true });
    const unknownEntity = await api.call('POST', `/v1/connections/${id}/resync`, { body: { entity: 'work_order' } });
    expect(unknownEntity.status).toBe(400);
    expect(unknownEntity.body.error).toMatchObject({ code: 'stream_unknown', issues: [{ path: 'body.entity' }] });
    const both = await api.call('POST', `/v1/connections/${id}/resync`, { body: { entity: 'purchase_order', stream: 'vendors' } });
    expect(both.status).toBe(400);
    const unknownStream = await api.call('POST', `/v1/connections/${id}/sync`, { body: { stream: 'journal_entries' } });
    expect(unknownStream.status).toBe(400);
    expect(unknownStream.body.error.code).toBe('stream_unknown');
  });

  it('keeps field mappings per connection, refusing invalid ones with their path', async () => {
    const { body } = await create({ name: 'mapped' });
    const id = body.connection.id as string;
    const empty = await api.call('GET', `/v1/connections/${id}/mappings`, { key: api.keys.read });
    expect(empty.body).toMatchObject({ connection_id: id, mapping: {} });
    expect(empty.body.mappable_fields.purchase_order).toContain('memo');
    const invalid = await api.call('PUT', `/v1/connections/${id}/mappings`, { body: { mapping: { purchase_order: { fields: { version: 'x', memo: 'a b' } } } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('mapping_invalid');
    expect(invalid.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(expect.arrayContaining(['body.mapping.purchase_order.fields.version', 'body.mapping.purchase_order.fields.memo']));
    const mapping = { purchase_order: { fields: { memo: 'custbody_note' }, custom_fields: { include: ['custbody_*'] } } };
    const stored = await api.call('PUT', `/v1/connections/${id}/mappings`, { key: api.keys.write, body: { mapping } });
    expect(stored.status).toBe(200);
    expect((await api.call('GET', `/v1/connections/${id}/mappings`)).body.mapping).toEqual(mapping);
    // Other changes to the connection keep the mapping.
    await api.call('POST', `/v1/connections/${id}/resume`);
    expect((await api.call('GET', `/v1/connections/${id}/mappings`)).body.mapping).toEqual(mapping);
  });

  it('deletes a connection, keeping its records unless purge=true', async () => {
    const insertRecord = async (connectionId: string) => {
      const record = { ...exampleRecord('purchase_order'), connection_id: connectionId };
      await api.clickhouse.client.insert({ table: 'purchase_orders', values: [toClickHouseRow('purchase_order', record)], format: 'JSONEachRow' });
    };
    const count = async (connectionId: string) => {
      const result = await api.clickhouse.client.query({ query: 'SELECT count() AS n FROM purchase_orders WHERE connection_id = {id:String}', query_params: { id: connectionId }, format: 'JSONEachRow' });
      return Number(((await result.json()) as { n: string }[])[0]!.n);
    };
    const kept = (await create({ name: 'kept' })).body.connection.id as string;
    const purged = (await create({ name: 'purged' })).body.connection.id as string;
    await insertRecord(kept);
    await insertRecord(purged);
    expect((await api.call('GET', `/v1/connections/${kept}`)).body.records.purchase_order).toBeGreaterThanOrEqual(0);

    const bad = await api.call('DELETE', `/v1/connections/${kept}?purge=maybe`);
    expect(bad.status).toBe(400);
    expect((await api.call('DELETE', `/v1/connections/${kept}`, { key: api.keys.write })).body).toEqual({ id: kept, deleted: true, purged: false });
    expect((await api.call('DELETE', `/v1/connections/${purged}?purge=true`, { key: api.keys.write })).body).toEqual({ id: purged, deleted: true, purged: true });
    expect((await api.call('GET', `/v1/connections/${kept}`)).status).toBe(404);
    expect(await count(kept)).toBe(1);
    expect(await count(purged)).toBe(0);
  });
});
