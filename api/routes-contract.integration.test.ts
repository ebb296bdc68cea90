import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';

/**
 * Rules every route keeps, checked over every operation of the OpenAPI document (so a new route
 * is covered without touching this file): a key is required unless the route is public, unknown
 * body fields are refused with their path, oversize bodies get 413, and every error answer has
 * the catalogue's shape.
 */
const PUBLIC = new Set(['GET /healthz', 'GET /metrics']);
const SAMPLE_PARAMS: Record<string, string> = { id: '0b9f5a4e-4d8c-4c39-9d6c-0b8f5a4e4d8c', entity: 'purchase_order', kind: 'create', delivery_id: 'd-1' };

interface Operation {
  method: string;
  path: string;
  url: string;
  hasBody: boolean;
}

describe('every route of the OpenAPI document', () => {
  let api: ApiHarness;
  let operations: Operation[];

  beforeAll(async () => {
    api = await startApiHarness({ settings: { bodyLimitBytes: 32 * 1024 } });
    const document = (await api.call('GET', '/openapi.json', { key: null })).body as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        url: path.replace(/\{(\w+)\}/g, (_match, name: string) => SAMPLE_PARAMS[name] ?? 'x') + (path === '/v1/purchase-orders' || path === '/v1/work-orders' ? '?connection_id=c-1' : ''),
        hasBody: operation.requestBody !== undefined,
      })),
    );
  });
  afterAll(async () => api?.close());

  const errorShape = { error: { code: expect.any(String), message: expect.any(String), fix: expect.any(String), request_id: expect.any(String) } };

  it('has the routes of every group', () => {
    expect(operations.length).toBeGreaterThan(45);
    const paths = new Set(operations.map((operation) => operation.path));
    for (const path of ['/v1/connections/{id}/passthrough', '/v1/vendors/{id}/raw', '/v1/work-orders/{id}', '/v1/webhooks/{id}/replay', '/v1/schemas/{entity}', '/v1/sql', '/v1/api-keys']) expect(paths, path).toContain(path);
  });

  it('needs an API key on every route but health and metrics', async () => {
    for (const operation of operations) {
      const key = `${operation.method} ${operation.path}`;
      const answer = await api.call(operation.method, operation.url, { key: null, ...(operation.hasBody ? { body: {} } : {}) });
      if (PUBLIC.has(key)) {
        expect(answer.status, key).toBe(200);
        continue;
      }
      expect(answer.status, key).toBe(401);
      expect(answer.body, key).toMatchObject(errorShape);
      expect(answer.body.error.code, key).toBe('api_key_missing');
    }
  });

  it('refuses unknown body fields, naming them, on every route with a body', async () => {
    for (const operation of operations.filter((candidate) => candidate.hasBody)) {
      const key = `${operation.method} ${operation.path}`;
      const answer = await api.call(operation.method, operation.url, { body: { surely_not_a_field: true } });
      expect(answer.status, key).toBe(400);
      expect(answer.body, key).toMatchObject(errorShape);
      expect(answer.body.error.code, key).toBe('request_invalid');
      expect(answer.body.error.issues.map((issue: { path: string }) => issue.path), key).toContain('body.surely_not_a_field');
    }
  });

  it('answers 413 body_too_large to an oversize body on every route with a body', async () => {
    const big = { filler: 'x'.repeat(40 * 1024) };
    for (const operation of operations.filter((candidate) => candidate.hasBody)) {
      const key = `${operation.method} ${operation.path}`;
      const answer = await api.call(operation.method, operation.url, { body: big });
      expect(answer.status, key).toBe(413);
      expect(answer.body.error.code, key).toBe('body_too_large');
    }
  });
});
