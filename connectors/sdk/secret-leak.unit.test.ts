import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../platform/logger.js';
import { oauth1Tba } from './auth/oauth1-tba.js';
import { oauth2ClientCredentials } from './auth/oauth2-client-credentials.js';
import { oauth2JwtBearer } from './auth/oauth2-jwt-bearer.js';
import { oauth2RefreshToken } from './auth/oauth2-refresh-token.js';
import { sessionToken } from './auth/session-token.js';
import { apiKeyAuth, basicAuth, bearerToken } from './auth/static-credentials.js';
import type { AuthProvider } from './auth/types.js';
import { ConnectorError } from './errors.js';
import { createHttpClient, type HttpRequest } from './http.js';
import { refusedOrigin, sendJson, startLoopbackServer, type LoopbackServer, type RecordedRequest } from './testing/loopback-server.js';

/**
 * Every error path, with credentials that are easy to spot, against a source that echoes back
 * everything it received (URL, headers, body) in its error bodies, redirects and broken JSON.
 * No secret may reach `error.message`, `JSON.stringify(error)`, `inspect(error)` (cause and
 * stack included) or a log line.
 */
const S = {
  password: 'PW-LEAK-51d0c3',
  apiKey: 'APIKEY-LEAK-9a7e21',
  bearer: 'BEARER-LEAK-2c4f88',
  clientSecret: 'CLIENTSECRET-LEAK-77ab10',
  refreshToken: 'REFRESH-LEAK-3e9d42',
  consumerKey: 'CONSUMERKEY-LEAK-0f1e2d',
  consumerSecret: 'CONSUMERSECRET-LEAK-8b6c5a',
  tokenId: 'TOKENID-LEAK-4d3c2b',
  tokenSecret: 'TOKENSECRET-LEAK-a1b2c3',
  cookie: 'COOKIE-LEAK-6e5d4c',
  csrf: 'CSRF-LEAK-9f8e7d',
  /** Prefix of every token the servers issue (access tokens, sessions). */
  issued: 'ISSUED-LEAK-',
};
const SECRET_NEEDLES = [...Object.values(S), Buffer.from(`ops:${S.password}`).toString('base64')];

function echo(request: RecordedRequest): string {
  return `you sent ${request.method} ${request.url} with ${JSON.stringify(request.headers)} and body ${request.body}`;
}

let api: LoopbackServer;
let tokens: LoopbackServer;
let refused: string;
let issued = 0;
let privateKeyPem = '';

beforeAll(async () => {
  tokens = await startLoopbackServer((request, response) => {
    if (request.url.startsWith('/refuse')) return sendJson(response, 400, { error: 'invalid_client', error_description: echo(request) });
    if (request.url.startsWith('/garbled')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(`{"access_token": "${echo(request)}`);
    }
    sendJson(response, 200, { access_token: `${S.issued}${++issued}`, expires_in: 3600, refresh_token: `${S.refreshToken}-rotated` });
  });
  api = await startLoopbackServer((request, response) => {
    if (request.url.includes('/auth/login')) {
      if (request.url.includes('refuse')) return sendJson(response, 401, { success: false, message: echo(request) });
      return sendJson(response, 200, { result: { sessionToken: `${S.issued}${++issued}` } });
    }
    const status = Number(/\/(\d{3})(\?|$)/.exec(request.url)?.[1] ?? 200);
    if (request.url.includes('/slow')) return; // never answers
    if (request.url.includes('/badjson')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(`{"d": "${echo(request)}`);
    }
    if (request.url.includes('/shape')) return sendJson(response, 200, { d: { results: echo(request) } });
    if (status >= 300 && status < 400) {
      response.writeHead(status, { location: `https://login.example.com/sso?token=${encodeURIComponent(String(request.headers.authorization))}&next=${encodeURIComponent(request.url)}` });
      return response.end(echo(request));
    }
    sendJson(response, status, { error: { code: `ECHO/${request.headers.authorization}`, message: { lang: 'en', value: echo(request) } } }, status === 429 || status === 503 ? { 'retry-after': '0' } : {});
  });
  refused = await refusedOrigin();
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  privateKeyPem = await exportPKCS8(privateKey);
});

afterAll(async () => {
  await api?.close();
  await tokens?.close();
});

const providers: Record<string, () => AuthProvider> = {
  basic: () => basicAuth('ops', S.password),
  apiKeyHeader: () => apiKeyAuth({ header: 'apikey' }, S.apiKey),
  apiKeyQuery: () => apiKeyAuth({ query: 'appKey' }, S.apiKey),
  bearer: () => bearerToken(S.bearer),
  clientCredentials: () => oauth2ClientCredentials({ tokenUrl: `${tokens.origin}/token`, clientId: 'app', clientSecret: S.clientSecret }),
  clientCredentialsBasic: () => oauth2ClientCredentials({ tokenUrl: `${tokens.origin}/token`, clientId: 'app', clientSecret: S.clientSecret, clientAuth: 'basic' }),
  refreshToken: () => oauth2RefreshToken({ tokenUrl: `${tokens.origin}/token`, clientId: 'app', clientSecret: S.clientSecret, refreshToken: S.refreshToken, onTokens: async () => {} }),
  jwtBearer: () => oauth2JwtBearer({ tokenUrl: `${tokens.origin}/token`, clientId: 'app', privateKeyPem, keyId: 'k1', algorithm: 'ES256', scope: 'rest_webservices' }),
  oauth1: () => oauth1Tba({ realm: '123_SB1', consumerKey: S.consumerKey, consumerSecret: S.consumerSecret, tokenId: S.tokenId, tokenSecret: S.tokenSecret }),
  session: () =>
    sessionToken({
      header: 'Session-Token',
      secrets: [S.password],
      login: async ({ http }) => (await http.json({ method: 'POST', path: 'auth/login', body: { email: 'ops', password: S.password }, schema: z.object({ result: z.object({ sessionToken: z.string() }) }) })).result.sessionToken,
    }),
};

/** Failures at the token endpoint or the login, per provider that has one. */
const authFailures: Record<string, () => AuthProvider> = {
  clientCredentialsRefused: () => oauth2ClientCredentials({ tokenUrl: `${tokens.origin}/refuse`, clientId: 'app', clientSecret: S.clientSecret }),
  clientCredentialsGarbled: () => oauth2ClientCredentials({ tokenUrl: `${tokens.origin}/garbled`, clientId: 'app', clientSecret: S.clientSecret }),
  refreshTokenRefused: () => oauth2RefreshToken({ tokenUrl: `${tokens.origin}/refuse`, clientId: 'app', refreshToken: S.refreshToken, onTokens: async () => {} }),
  refreshTokenSaveFails: () =>
    oauth2RefreshToken({ tokenUrl: `${tokens.origin}/token`, clientId: 'app', refreshToken: S.refreshToken, onTokens: async (t) => { throw new Error(`store rejected ${JSON.stringify(t)}`); } }),
  sessionRefused: () =>
    sessionToken({
      header: 'Session-Token',
      secrets: [S.password],
      login: async ({ http }) => (await http.json<{ token: string }>({ method: 'POST', path: `auth/login/refuse?password=${S.password}`, body: { password: S.password } })).token,
    }),
};

const paths: Record<string, Partial<HttpRequest> & { origin?: () => string }> = {
  400: { path: 'items/400', query: { token: 'x' } },
  401: { path: 'items/401' },
  403: { path: 'items/403' },
  404: { path: 'items/404', query: { apikey: S.apiKey, access_token: S.bearer } },
  409: { path: 'items/409', method: 'PATCH', body: { password: S.password } },
  412: { path: 'items/412', method: 'PATCH', headers: { cookie: `SAP_SESSIONID_ER9_100=${S.cookie}; sap-usercontext=sap-client=100`, 'x-csrf-token': S.csrf }, body: {} },
  429: { path: 'items/429' },
  500: { path: 'items/500' },
  503: { path: 'items/503' },
  redirect: { path: 'items/302' },
  badJson: { path: 'items/badjson' },
  wrongShape: { path: 'items/shape' },
  timeout: { path: 'items/slow', timeoutMs: 100 },
  refused: { path: 'items/x', origin: () => refused },
};

function captureLogs() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

async function leaksOf(label: string, auth: AuthProvider, request: Partial<HttpRequest> & { origin?: () => string }): Promise<string[]> {
  const { lines, logger } = captureLogs();
  const http = createHttpClient({ baseUrl: `${request.origin?.() ?? api.origin}/api/`, auth, logger, timeoutMs: 2_000, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } });
  try {
    const { origin: _origin, ...req } = request;
    const error = await http.json({ path: 'x', ...req, schema: z.object({ d: z.object({ results: z.array(z.unknown()) }) }) }).then(
      () => new Error(`${label}: expected a failure`),
      (caught: unknown) => caught,
    );
    expect(error, label).toBeInstanceOf(ConnectorError);
    // What the runtime does with a failed sync: log it and put it in an event.
    logger.error({ err: error, event: { error: (error as ConnectorError).toJSON() } }, 'sync failed');
    const surfaces = { message: (error as Error).message, json: JSON.stringify(error), inspect: inspect(error, { depth: 10 }), logs: lines.join('') };
    return Object.entries(surfaces).flatMap(([surface, text]) => SECRET_NEEDLES.filter((needle) => text.includes(needle)).map((needle) => `${label} → ${surface} contains ${needle}`));
  } finally {
    await http.close();
  }
}

describe('no secret leaks', () => {
  for (const [name, make] of Object.entries(providers)) {
    it(`${name}: every error path keeps the credentials out of messages, JSON, inspect and logs`, async () => {
      const leaks: string[] = [];
      for (const [pathName, request] of Object.entries(paths)) leaks.push(...(await leaksOf(`${name}/${pathName}`, make(), request)));
      expect(leaks).toEqual([]);
    });
  }

  it('token endpoint and login failures keep the credentials out too', async () => {
    const leaks: string[] = [];
    for (const [name, make] of Object.entries(authFailures)) leaks.push(...(await leaksOf(name, make(), { path: 'items/200' })));
    expect(leaks).toEqual([]);
  });

  it('the servers really echo the secrets (the test could catch a leak)', async () => {
    const http = createHttpClient({ baseUrl: `${api.origin}/api/`, auth: basicAuth('ops', S.password), retry: { retries: 0 } });
    const raw = await import('undici').then(({ request }) => request(`${api.origin}/api/items/401?apikey=${S.apiKey}`, { headers: { authorization: `Bearer ${S.bearer}` } }));
    expect(await raw.body.text()).toContain(S.bearer);
    const error = await http.request({ path: 'items/401' }).catch((caught: unknown) => caught as ConnectorError);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).sourceMessage).toContain('[redacted]');
    await http.close();
  });
});
