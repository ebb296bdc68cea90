import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../errors.js';
import { createHttpClient } from '../http.js';
import { sendJson, startLoopbackServer, type RecordedRequest } from '../testing/loopback-server.js';
import { oauth1Tba } from './oauth1-tba.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const credentials = {
  realm: '1234567_SB1',
  consumerKey: 'ck-7f3a',
  consumerSecret: 'cs/with+odd&chars',
  tokenId: 'tid-91b2',
  tokenSecret: 'ts~secret=1',
};

// ---- An independent RFC 5849 verifier, written from the RFC rather than the library. ----

/** RFC 5849 §3.6: unreserved characters stay, everything else is %XX in upper case. */
function rfc3986(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'))
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** §3.4.1.3.1: form-style decoding (a `+` is a space). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function formPairs(text: string): [string, string][] {
  if (!text) return [];
  return text.split('&').map((part) => {
    const [name = '', value = ''] = part.split(/=(.*)/s);
    return [formDecode(name), formDecode(value)];
  });
}

/** §3.5.1: `OAuth realm="…", oauth_x="…"` with percent-encoded values. */
function headerParams(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  const params: Record<string, string> = {};
  for (const match of header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g)) params[match[1]!] = decodeURIComponent(match[2]!);
  return params;
}

function verify(request: RecordedRequest, origin: string): { ok: boolean; params: Record<string, string>; baseString: string } {
  const params = headerParams(String(request.headers.authorization ?? ''));
  const [path, query = ''] = request.url.split(/\?(.*)/s);
  const pairs: [string, string][] = [
    ...formPairs(query),
    ...(String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded') ? formPairs(request.body) : []),
    ...Object.entries(params).filter(([name]) => name !== 'realm' && name !== 'oauth_signature'),
  ];
  const normalized = pairs
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const baseString = [request.method.toUpperCase(), rfc3986(`${origin}${path}`), rfc3986(normalized)].join('&');
  const key = `${rfc3986(credentials.consumerSecret)}&${rfc3986(credentials.tokenSecret)}`;
  const expected = createHmac('sha256', key).update(baseString).digest();
  const given = Buffer.from(params.oauth_signature ?? '', 'base64');
  return { ok: given.length === expected.length && timingSafeEqual(given, expected), params, baseString };
}

async function netsuite() {
  const server = await startLoopbackServer((request, response) => {
    const { ok, params } = verify(request, server.origin);
    if (!ok || params.oauth_token !== credentials.tokenId) {
      return sendJson(response, 401, { type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2', title: 'Unauthorized', status: 401, 'o:errorDetails': [{ detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN' }] });
    }
    sendJson(response, 200, { items: [], url: request.url });
  });
  cleanups.push(() => server.close());
  const http = createHttpClient({ baseUrl: `${server.origin}/services/rest/`, auth: oauth1Tba(credentials), retry: { retries: 2, minDelayMs: 1 } });
  cleanups.push(() => http.close());
  return { server, http };
}

describe('oauth1Tba', () => {
  it('signs with HMAC-SHA256 over a base string that includes the query parameters', async () => {
    const { server, http } = await netsuite();
    await expect(
      http.json({ path: 'record/v1/purchaseOrder', query: { q: 'lastModifiedDate ON_OR_AFTER "1/1/2024"', limit: 1000, offset: 0, note: "a+b=c&d (x)*!'~ü", $expand: 'item' } }),
    ).resolves.toMatchObject({ items: [] });
    const { ok, params, baseString } = verify(server.requests[0]!, server.origin);
    expect(ok).toBe(true);
    expect(params).toMatchObject({ realm: '1234567_SB1', oauth_consumer_key: 'ck-7f3a', oauth_token: 'tid-91b2', oauth_signature_method: 'HMAC-SHA256', oauth_version: '1.0' });
    expect(baseString).toContain(rfc3986('q=lastModifiedDate%20ON_OR_AFTER%20%221%2F1%2F2024%22'));
    expect(baseString).toContain(rfc3986('note=a%2Bb%3Dc%26d%20%28x%29%2A%21%27~%C3%BC'));
  });

  it('signs form bodies, and a fresh nonce on every request', async () => {
    const { server, http } = await netsuite();
    await http.json({ method: 'POST', path: 'query/v1/suiteql', query: { limit: 5 }, form: { q: "SELECT id FROM vendor WHERE name = 'A & B'" } });
    await http.json({ path: 'record/v1/vendor' });
    expect(server.requests.map((request) => verify(request, server.origin).ok)).toEqual([true, true]);
    const nonces = server.requests.map((request) => headerParams(String(request.headers.authorization)).oauth_nonce);
    expect(new Set(nonces).size).toBe(2);
  });

  it('signs absolute next links with their own query', async () => {
    const { server, http } = await netsuite();
    await http.json({ path: `${server.origin}/services/rest/record/v1/purchaseOrder?limit=2&offset=2` });
    expect(verify(server.requests[0]!, server.origin).ok).toBe(true);
  });

  it('detects a wrong token secret (the verifier is not a rubber stamp) and makes the 401 an auth error at once', async () => {
    const server = await startLoopbackServer((request, response) =>
      verify(request, server.origin).ok ? sendJson(response, 200, {}) : sendJson(response, 401, { 'o:errorDetails': [{ detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN' }] }),
    );
    cleanups.push(() => server.close());
    const http = createHttpClient({ baseUrl: server.origin, auth: oauth1Tba({ ...credentials, tokenSecret: 'not-the-secret' }), retry: { retries: 3, minDelayMs: 1 } });
    cleanups.push(() => http.close());
    const error = await http.request({ path: 'record/v1/vendor', query: { limit: 1 } }).catch((caught: unknown) => caught as ConnectorError);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', status: 401, sourceCode: 'INVALID_LOGIN' });
    expect(server.requests).toHaveLength(1);
  });
});
