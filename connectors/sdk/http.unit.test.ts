import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorError, type ConnectorErrorKind } from './errors.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http.js';
import { parseRetryAfter } from './http-errors.js';
import { refusedOrigin, sendJson, startLoopbackServer, type LoopbackHandler, type LoopbackServer } from './testing/loopback-server.js';
import { connectorFailure } from './testing/connector-failure.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function serve(handler: LoopbackHandler): Promise<LoopbackServer> {
  const server = await startLoopbackServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function client(server: { origin: string }, options: Partial<HttpClientOptions> = {}): HttpClient {
  const http = createHttpClient({ baseUrl: `${server.origin}/api/`, retry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 }, ...options });
  cleanups.push(() => http.close());
  return http;
}

describe('createHttpClient: retries', () => {
  it('retries a 503 and returns the success that follows', async () => {
    const server = await serve((request, response) => {
      if (server.requests.length < 3) return sendJson(response, 503, { error: 'busy' });
      sendJson(response, 200, { ok: true, path: request.url });
    });
    await expect(client(server).json({ path: 'items' })).resolves.toEqual({ ok: true, path: '/api/items' });
    expect(server.requests).toHaveLength(3);
  });

  it('waits Retry-After: 1 on a 429 and does not hammer the source meanwhile', async () => {
    let limitedUntil = 0;
    const server = await serve((_request, response) => {
      const now = Date.now();
      if (server.requests.length === 1) limitedUntil = now + 1_000;
      if (now < limitedUntil) return sendJson(response, 429, { error: 'too many' }, { 'retry-after': '1' });
      sendJson(response, 200, { ok: true });
    });
    const http = client(server, { limits: { maxConcurrency: 2 } });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 4 }, () => http.json({ path: 'items' })));
    expect(results).toEqual(Array(4).fill({ ok: true }));
    const first = server.requests[0]!.at;
    const duringPenalty = server.requests.filter((request) => request.at < first + 1_000);
    // Only requests already in flight when the 429 came back may land inside the penalty second.
    expect(duringPenalty.length).toBeLessThanOrEqual(2);
    expect(server.requests.length).toBeLessThanOrEqual(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const afterPenalty = server.requests.filter((request) => request.at >= first + 1_000);
    expect(afterPenalty.length).toBe(4);
  });

  it.each([
    [400, 'validation'],
    [401, 'auth'],
    [403, 'permission'],
    [404, 'not_found'],
    [409, 'conflict'],
    [412, 'conflict'],
    [422, 'validation'],
  ] as [number, ConnectorErrorKind][])('does not retry a %i and maps it to %s', async (status, kind) => {
    const server = await serve((_request, response) => sendJson(response, status, { error: { code: `E${status}`, message: { lang: 'en', value: `refused with ${status}` } } }));
    const error = await connectorFailure(client(server).request({ path: 'items' }));
    expect(error).toMatchObject({ kind, status, retriable: false, sourceCode: `E${status}`, sourceMessage: `refused with ${status}` });
    expect(error.message).toContain(`GET ${server.origin}/api/items answered ${status}`);
    expect(server.requests).toHaveLength(1);
  });

  it('makes a single attempt with retries: 0 even for a retriable 503', async () => {
    const server = await serve((_request, response) => sendJson(response, 503, {}));
    const error = await connectorFailure(client(server).request({ method: 'POST', path: 'orders', body: { a: 1 }, retries: 0 }));
    expect(error).toMatchObject({ kind: 'unavailable', retriable: true, status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it('stops after the configured retries with the last failure', async () => {
    const server = await serve((_request, response) => sendJson(response, 502, {}));
    const error = await connectorFailure(client(server, { retry: { retries: 2, minDelayMs: 1 } }).request({ path: 'items' }));
    expect(error).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(server.requests).toHaveLength(3);
  });
});

describe('createHttpClient: network failures', () => {
  it('turns a source that never answers into unavailable after the timeout, and retries it', async () => {
    const server = await serve(() => {}); // never responds
    const started = Date.now();
    const error = await connectorFailure(client(server, { timeoutMs: 150, retry: { retries: 1, minDelayMs: 1 } }).request({ path: 'slow' }));
    expect(error).toMatchObject({ kind: 'unavailable', retriable: true });
    expect(error.message).toMatch(/no complete answer within 150 ms/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('times out a body that trickles slower than the deadline', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"items": [');
      // the rest never comes
    });
    const error = await connectorFailure(client(server, { timeoutMs: 150, retry: { retries: 0 } }).json({ path: 'trickle' }));
    expect(error.kind).toBe('unavailable');
  });

  it('turns connection refused into a retriable unavailable', async () => {
    const origin = await refusedOrigin();
    const error = await connectorFailure(client({ origin }, { retry: { retries: 1, minDelayMs: 1 } }).request({ path: 'x' }));
    expect(error).toMatchObject({ kind: 'unavailable', retriable: true, details: { network_code: 'ECONNREFUSED' } });
    expect(error.message).toContain('connection refused');
  });

  it('rejects with the abort reason when the caller cancels, without retrying', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const pending = client(server).request({ path: 'x', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('sync cancelled')), 50);
    await expect(pending).rejects.toThrow('sync cancelled');
    expect(server.requests).toHaveLength(1);
  });
});

describe('createHttpClient: bodies', () => {
  it('maps an unparseable body to invalid_response without retrying', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"d": {"results": [ {"PurchaseOrder": "45');
    });
    const error = await connectorFailure(client(server).json({ path: 'A_PurchaseOrder' }));
    expect(error).toMatchObject({ kind: 'invalid_response', retriable: false, status: 200 });
    expect(error.message).toContain('not valid JSON');
    expect(server.requests).toHaveLength(1);
  });

  it('maps a body of the wrong shape to invalid_response naming the path', async () => {
    const server = await serve((_request, response) => sendJson(response, 200, { d: { results: [{ PurchaseOrder: 4500000001 }] } }));
    const schema = z.object({ d: z.object({ results: z.array(z.object({ PurchaseOrder: z.string() })) }) });
    const error = await connectorFailure(client(server).json({ path: 'A_PurchaseOrder', schema }));
    expect(error.kind).toBe('invalid_response');
    expect(error.message).toContain('d.results.0.PurchaseOrder');
  });

  it('refuses a body larger than maxBodyBytes', async () => {
    const server = await serve((_request, response) => sendJson(response, 200, { blob: 'x'.repeat(10_000) }));
    const error = await connectorFailure(client(server, { maxBodyBytes: 1_000 }).json({ path: 'big' }));
    expect(error.kind).toBe('invalid_response');
    expect(error.message).toContain('larger than 1000 bytes');
  });

  it('sends JSON, forms and RFC 3986 query strings; returns lower-case headers and cookies', async () => {
    const server = await serve((request, response) => {
      response.setHeader('set-cookie', ['SAP_SESSIONID=abc; path=/', 'sap-usercontext=sap-client=100; path=/']);
      response.setHeader('X-CSRF-Token', 'tok');
      sendJson(response, request.method === 'POST' ? 201 : 200, { method: request.method, url: request.url, body: request.body, type: request.headers['content-type'] ?? null });
    });
    const http = client(server);
    const listed = await http.request({
      path: '/A_PurchaseOrder',
      query: { $filter: "LastChangeDateTime gt datetimeoffset'2024-05-01T00:00:00Z' and Note eq 'a+b'", $top: 100, skip: undefined, id: ['1', '2'] },
    });
    expect(listed.json<{ url: string }>().url).toBe(
      // undici sends the WHATWG serialization, which escapes the quote; a `+` stays %2B, never a space.
      '/api/A_PurchaseOrder?$filter=LastChangeDateTime%20gt%20datetimeoffset%272024-05-01T00:00:00Z%27%20and%20Note%20eq%20%27a%2Bb%27&$top=100&id=1&id=2',
    );
    expect(listed.headers['x-csrf-token']).toBe('tok');
    expect(listed.setCookies).toEqual(['SAP_SESSIONID=abc; path=/', 'sap-usercontext=sap-client=100; path=/']);

    const created = await http.json<{ body: string; type: string }>({ method: 'POST', path: 'orders', body: { qty: 2 }, retries: 0 });
    expect(created).toMatchObject({ body: '{"qty":2}', type: 'application/json' });
    const form = await http.json<{ body: string; type: string }>({ method: 'POST', path: 'token', form: { grant_type: 'client_credentials', scope: 'a b' } });
    expect(form).toMatchObject({ body: 'grant_type=client_credentials&scope=a%20b', type: 'application/x-www-form-urlencoded' });
  });

  it('follows an absolute next link on its own origin and refuses one elsewhere without sending', async () => {
    const server = await serve((request, response) => sendJson(response, 200, { url: request.url }));
    const http = client(server);
    await expect(http.json({ path: `${server.origin}/api/items?$skiptoken=10` })).resolves.toEqual({ url: '/api/items?$skiptoken=10' });
    const error = await connectorFailure(http.request({ path: 'http://169.254.169.254/latest/meta-data' }));
    expect(error.kind).toBe('config');
    expect(server.requests).toHaveLength(1);
  });

  it('treats a redirect as a configuration error naming the target', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(302, { location: 'https://my-tenant.s4hana.cloud.sap/ui#Shell-home' });
      response.end();
    });
    const error = await connectorFailure(client(server).request({ path: 'x' }));
    expect(error).toMatchObject({ kind: 'config', status: 302 });
    expect(error.message).toContain('https://my-tenant.s4hana.cloud.sap/ui');
  });

  it("uses the connector's errorFrom for the vendor's own codes, keeping Retry-After", async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 429, { 'o:errorDetails': [{ detail: 'Concurrent request limit exceeded', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' }] }, { 'retry-after': '7' }),
    );
    const http = client(server, {
      retry: { retries: 0 },
      errorFrom: (response) => {
        const code = response.json<{ 'o:errorDetails': { 'o:errorCode': string }[] }>()['o:errorDetails'][0]!['o:errorCode'];
        return new ConnectorError('rate_limited', `NetSuite refused: ${code}`, { sourceCode: code });
      },
    });
    const error = await connectorFailure(http.request({ path: 'record/v1/purchaseOrder' }));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSeconds: 7, sourceCode: 'CONCURRENCY_LIMIT_EXCEEDED' });
  });
});

describe('createHttpClient: configuration', () => {
  it('refuses a base URL that cannot work, saying why', () => {
    expect(() => createHttpClient({ baseUrl: 'my-tenant-api.s4hana.cloud.sap' })).toThrow(/not a valid URL/);
    expect(() => createHttpClient({ baseUrl: 'ftp://files.example.com/' })).toThrow(/must start with https:\/\//);
    const error = (() => {
      try {
        createHttpClient({ baseUrl: 'https://COMM_USER:Secret-123@host.example.com/' });
      } catch (caught) {
        return caught as ConnectorError;
      }
    })();
    expect(error).toMatchObject({ kind: 'config' });
    expect(error!.message).not.toContain('Secret-123');
  });
});

describe('createHttpClient: limits', () => {
  it('never has more than maxConcurrency requests in flight', async () => {
    const server = await serve((_request, response) => {
      setTimeout(() => sendJson(response, 200, {}), 40);
    });
    const http = client(server, { limits: { maxConcurrency: 3 } });
    await Promise.all(Array.from({ length: 12 }, (_, i) => http.request({ path: `items/${i}` })));
    expect(server.requests).toHaveLength(12);
    expect(server.peakInFlight()).toBe(3);
  });

  it('spaces request starts to requestsPerSecond', async () => {
    const server = await serve((_request, response) => sendJson(response, 200, {}));
    const http = client(server, { limits: { requestsPerSecond: 20 } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => http.request({ path: `items/${i}` })));
    const times = server.requests.map((request) => request.at).sort((a, b) => a - b);
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    // 20/s = one start per 50 ms, spaced by the client; arrival jitter on a busy 2-core machine
    // can shorten one gap, so each gap gets slack and the whole run is held to 90 % of 9 × 50 ms.
    // Unlimited, all ten arrive within a few ms.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(405);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1);
    expect(parseRetryAfter(' 120 ', now)).toBe(120);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
