import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';

describe('API keys, scopes, limits and the basics of every request', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness({ settings: { rateLimitPerMinute: 1000, bodyLimitBytes: 64 * 1024 } });
  });
  afterAll(async () => api?.close());

  it('refuses a request without a key, with a malformed header and with an unknown or revoked key', async () => {
    const missing = await api.call('GET', '/v1/connections', { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ code: 'api_key_missing', fix: expect.stringContaining('Bearer') });
    expect(missing.body.error.request_id).toEqual(expect.any(String));

    const malformed = await api.call('GET', '/v1/connections', { key: null, headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
    expect(malformed.body.error.code).toBe('api_key_missing');

    const unknown = await api.call('GET', '/v1/connections', { key: 'mr_admin_0000000000000000000000' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('api_key_invalid');

    const created = await api.call('POST', '/v1/api-keys', { body: { name: 'short-lived', scope: 'read' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^mr_read_[0-9A-Za-z]{22}$/);
    expect((await api.call('GET', '/v1/connections', { key: created.body.key })).status).toBe(200);
    const revoked = await api.call('DELETE', `/v1/api-keys/${created.body.api_key.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    const after = await api.call('GET', '/v1/connections', { key: created.body.key });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('api_key_invalid');
    // The other keys still work: several keys are active at once (rotation).
    expect((await api.call('GET', '/v1/connections', { key: api.keys.read })).status).toBe(200);
  });

  it('shows a key once and stores only its hash and a display prefix', async () => {
    const created = await api.call('POST', '/v1/api-keys', { body: { name: 'reporting', scope: 'write', rate_limit_per_minute: 50 } });
    expect(created.status).toBe(201);
    const { key, api_key: view } = created.body;
    expect(view).toMatchObject({ name: 'reporting', owner: 'acme', scope: 'write', rate_limit_per_minute: 50, revoked_at: null });
    expect(key.startsWith(view.prefix.replace('…', ''))).toBe(true);
    expect(JSON.stringify(view)).not.toContain(key);
    const listed = await api.call('GET', '/v1/api-keys');
    expect(listed.body.data.map((item: { id: string }) => item.id)).toContain(view.id);
    expect(listed.text).not.toContain(key);
    expect(listed.text).not.toMatch(/"hash"/);
    // Another owner's admin does not see it.
    const foreign = await api.call('GET', `/v1/api-keys/${view.id}`, { key: api.keys.otherAdmin });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('api_key_not_found');
    expect((await api.call('DELETE', `/v1/api-keys/${view.id}`, { key: api.keys.otherAdmin })).status).toBe(404);
    expect((await api.call('GET', `/v1/api-keys/${view.id}`)).body.revoked_at).toBeNull();
  });

  it('checks scopes: read < write < admin', async () => {
    const readWrites = await api.call('POST', '/v1/connections/test', { key: api.keys.read, body: { system: 'netsuite', config: {} } });
    expect(readWrites.status).toBe(403);
    expect(readWrites.body.error).toMatchObject({ code: 'scope_insufficient', details: { needed: 'write', granted: 'read' } });
    const writerKeys = await api.call('GET', '/v1/api-keys', { key: api.keys.write });
    expect(writerKeys.status).toBe(403);
    const writerSql = await api.call('POST', '/v1/sql', { key: api.keys.write, body: { query: 'SELECT 1' } });
    expect(writerSql.status).toBe(403);
    expect(writerSql.body.error.code).toBe('scope_insufficient');
    expect((await api.call('GET', '/v1/connections', { key: api.keys.write })).status).toBe(200);
  });

  it('refuses unknown fields, wrong types and oversize bodies with the field path and catalogue code', async () => {
    const unknownField = await api.call('POST', '/v1/api-keys', { body: { name: 'x', scope: 'read', colour: 'blue' } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.code).toBe('request_invalid');
    expect(unknownField.body.error.issues).toContainEqual({ path: 'body.colour', message: expect.stringContaining('unknown field') });

    const wrongType = await api.call('POST', '/v1/api-keys', { body: { name: 42, scope: 'superuser' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['body.name', 'body.scope']);

    const badQuery = await api.call('GET', '/v1/connections?status=sleeping');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.issues[0].path).toBe('query.status');

    const invalidJson = await api.call('POST', '/v1/api-keys', { rawBody: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body.error.code).toBe('body_invalid_json');

    const tooLarge = await api.call('POST', '/v1/api-keys', { body: { name: 'x'.repeat(70 * 1024), scope: 'read' } });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('body_too_large');
    // Nothing was created by any of them.
    const names = (await api.call('GET', '/v1/api-keys')).body.data.map((item: { name: string }) => item.name);
    expect(names).not.toContain('x');
  });

  it('answers unknown routes with route_not_found and never a stack trace', async () => {
    const missing = await api.call('GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('route_not_found');
    expect(missing.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('limits requests per key, with Retry-After and the catalogue code, without affecting other keys', async () => {
    const limited = await api.call('POST', '/v1/api-keys', { body: { name: 'tiny', scope: 'read', rate_limit_per_minute: 3 } });
    const key = limited.body.key as string;
    const statuses: number[] = [];
    let last;
    for (let index = 0; index < 5; index++) {
      last = await api.call('GET', '/v1/connections', { key });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.body.error.code).toBe('rate_limited');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect((await api.call('GET', '/v1/connections', { key: api.keys.read })).status).toBe(200);
  });

  it('serves health, the OpenAPI 3.1 document and its docs page without a key', async () => {
    const health = await api.call('GET', '/healthz', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', checks: { clickhouse: { ok: true } } });
    const openapi = await api.call('GET', '/openapi.json', { key: null });
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/v1/connections', '/v1/purchase-orders', '/v1/purchase-orders/{id}', '/v1/sql', '/v1/webhooks']));
    expect(openapi.body.components.schemas).toHaveProperty('PurchaseOrder');
    const docs = await api.call('GET', '/docs/', { key: null });
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
  });
});
