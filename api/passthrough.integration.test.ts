import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netsuiteConnector } from '../connectors/netsuite/index.js';
import { startNetSuiteSandbox, type StartedNetSuiteSandbox } from '../connectors/netsuite/sandbox/index.js';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';

describe('passthrough to the source system', () => {
  let api: ApiHarness;
  let netsuite: StartedNetSuiteSandbox;
  let connectionId: string;
  let bare: string;

  beforeAll(async () => {
    netsuite = await startNetSuiteSandbox({ size: 10 });
    const withoutPassthrough = { ...netsuiteConnector, id: 'netsuite_bare', passthrough: undefined };
    api = await startApiHarness({ connectorList: [netsuiteConnector, withoutPassthrough] });
    connectionId = (await api.connections.create({ system: 'netsuite', name: 'ns', config: netsuite.connectionConfig, owner: 'acme', paused: true })).id;
    bare = (await api.connections.create({ system: 'netsuite_bare', name: 'bare', config: netsuite.connectionConfig, owner: 'acme', paused: true })).id;
  });
  afterAll(async () => {
    await api?.close();
    await netsuite?.running.close();
  });

  const pass = (body: Record<string, unknown>, key?: string) => api.call('POST', `/v1/connections/${connectionId}/passthrough`, { key: key ?? api.keys.write, body });

  it('answers the source\'s response as-is: status, content type and bytes', async () => {
    const vendor = await pass({ method: 'GET', path: 'services/rest/record/v1/vendor/100', query: { fields: 'companyName' } });
    expect(vendor.status).toBe(200);
    expect(vendor.headers['content-type']).toMatch(/json/);
    expect(vendor.body).toMatchObject({ id: '100', companyName: expect.any(String) });
    expect(vendor.body).not.toHaveProperty('error');
    const query = await pass({ method: 'POST', path: '/services/rest/query/v1/suiteql', query: { limit: '2' }, body: { q: 'SELECT id, symbol FROM currency ORDER BY id' } });
    expect(query.status).toBe(200);
    expect(query.body).toMatchObject({ count: 2, items: [{ id: '1', symbol: 'USD' }, { id: '2', symbol: 'GBP' }] });
    const missing = await pass({ method: 'GET', path: 'services/rest/record/v1/vendor/999999' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'NONEXISTENT_ID' }] });
    const requests = netsuite.sandbox.requestLog.filter((entry) => entry.url.includes('vendor/100'));
    expect(requests.length).toBeGreaterThan(0);
  });

  it('refuses what the connector\'s allowlist does not cover, and paths that try to leave it', async () => {
    const before = netsuite.sandbox.requestLog.length;
    const outside = await pass({ method: 'DELETE', path: 'services/rest/record/v1/vendor/100' });
    expect(outside.status).toBe(403);
    expect(outside.body.error).toMatchObject({ code: 'passthrough_not_allowed', details: { allowed: ['GET services/rest/record/v1/**', 'POST services/rest/query/v1/suiteql'] } });
    for (const path of ['services/rest/record/v1/../../query/v1/suiteql', 'services/rest/record/v1/%2e%2e/x', 'services/rest/record/v1/vendor?q=1', 'services/rest/record/v1//vendor', 'services\\rest']) {
      const answer = await pass({ method: 'GET', path });
      expect(answer.status, path).toBe(400);
      expect(answer.body.error.issues[0].path, path).toBe('body.path');
    }
    const getQuery = await pass({ method: 'GET', path: 'services/rest/query/v1/suiteql' });
    expect(getQuery.status).toBe(403);
    const credentialHeader = await pass({ method: 'GET', path: 'services/rest/record/v1/vendor/100', headers: { authorization: 'Bearer stolen' } });
    expect(credentialHeader.status).toBe(400);
    expect(credentialHeader.body.error.code).toBe('request_invalid');
    const wrongMethod = await pass({ method: 'TRACE', path: 'services/rest/record/v1/vendor/100' });
    expect(wrongMethod.status).toBe(400);
    expect(netsuite.sandbox.requestLog.length).toBe(before);
  });

  it('needs a write key, the caller\'s connection and a connector with passthrough', async () => {
    expect((await pass({ method: 'GET', path: 'services/rest/record/v1/vendor/100' }, api.keys.read)).status).toBe(403);
    const foreign = await pass({ method: 'GET', path: 'services/rest/record/v1/vendor/100' }, api.keys.otherAdmin);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('connection_not_found');
    const none = await api.call('POST', `/v1/connections/${bare}/passthrough`, { body: { method: 'GET', path: 'services/rest/record/v1/vendor/100' } });
    expect(none.status).toBe(405);
    expect(none.body.error.code).toBe('passthrough_not_supported');
  });

  it('says source_unavailable when the source does not answer at all', async () => {
    await netsuite.running.goDown();
    try {
      const answer = await pass({ method: 'GET', path: 'services/rest/record/v1/vendor/100' });
      expect(answer.status).toBe(502);
      expect(answer.body.error).toMatchObject({ code: 'source_unavailable', details: { kind: 'unavailable' } });
      expect(answer.text).not.toContain(netsuite.connectionConfig.tokenSecret as string);
    } finally {
      await netsuite.running.comeUp();
    }
    expect((await pass({ method: 'GET', path: 'services/rest/record/v1/vendor/100' })).status).toBe(200);
  });
});
