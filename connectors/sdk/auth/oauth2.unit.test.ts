import { setTimeout as sleep } from 'node:timers/promises';
import { exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../errors.js';
import { createHttpClient, type HttpClient } from '../http.js';
import { sendJson, startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../testing/loopback-server.js';
import { oauth2ClientCredentials } from './oauth2-client-credentials.js';
import { oauth2JwtBearer } from './oauth2-jwt-bearer.js';
import { oauth2RefreshToken, type OAuth2Tokens } from './oauth2-refresh-token.js';
import type { AuthProvider } from './types.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/**
 * A token endpoint and an API on loopback. The API accepts the tokens in `valid` and answers
 * 401 to anything else; the token endpoint issues `tok-1`, `tok-2` … as `respond` decides.
 */
async function authServers(respond: (request: RecordedRequest, issue: () => string) => { status: number; body: unknown }, options: { tokenDelayMs?: number } = {}) {
  let issued = 0;
  const valid = new Set<string>();
  const apiSaw: { token: string; at: number }[] = [];
  const tokens = await startLoopbackServer(async (request, response) => {
    if (options.tokenDelayMs) await sleep(options.tokenDelayMs);
    const { status, body } = respond(request, () => {
      const token = `tok-${++issued}`;
      valid.add(token);
      return token;
    });
    sendJson(response, status, body);
  });
  const api = await startLoopbackServer(async (request, response) => {
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    apiSaw.push({ token, at: Date.now() });
    await sleep(5);
    if (!valid.has(token)) return sendJson(response, 401, { error: { code: 'Authentication_InvalidCredentials', message: 'The credentials provided are incorrect' } });
    sendJson(response, 200, { value: [], token });
  });
  cleanups.push(() => tokens.close(), () => api.close());
  return { tokens, api, valid, apiSaw, tokenUrl: `${tokens.origin}/tenant-1/oauth2/v2.0/token`, issuedCount: () => issued };
}

function apiClient(api: LoopbackServer, auth: AuthProvider): HttpClient {
  const http = createHttpClient({ baseUrl: `${api.origin}/v2.0/`, auth, retry: { retries: 2, minDelayMs: 1 } });
  cleanups.push(() => http.close());
  return http;
}

const form = (request: RecordedRequest) => Object.fromEntries(new URLSearchParams(request.body));

describe('oauth2ClientCredentials', () => {
  it('fetches one token, caches it, and sends the client credentials in the form', async () => {
    const s = await authServers((_request, issue) => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: issue() } }));
    const http = apiClient(s.api, oauth2ClientCredentials({ tokenUrl: s.tokenUrl, clientId: 'app-1', clientSecret: 'sec-1', scope: ['https://api.businesscentral.dynamics.com/.default'] }));
    for (let i = 0; i < 5; i++) await expect(http.json({ path: 'companies' })).resolves.toMatchObject({ token: 'tok-1' });
    expect(s.tokens.requests).toHaveLength(1);
    expect(form(s.tokens.requests[0]!)).toEqual({ grant_type: 'client_credentials', scope: 'https://api.businesscentral.dynamics.com/.default', client_id: 'app-1', client_secret: 'sec-1' });
  });

  it('makes exactly one token request for 20 concurrent requests (single flight)', async () => {
    const s = await authServers((_request, issue) => ({ status: 200, body: { expires_in: 3599, access_token: issue() } }), { tokenDelayMs: 100 });
    const http = apiClient(s.api, oauth2ClientCredentials({ tokenUrl: s.tokenUrl, clientId: 'app-1', clientSecret: 'sec-1' }));
    const results = await Promise.all(Array.from({ length: 20 }, () => http.json<{ token: string }>({ path: 'companies' })));
    expect(results.every((result) => result.token === 'tok-1')).toBe(true);
    expect(s.tokens.requests).toHaveLength(1);
    expect(s.api.requests).toHaveLength(20);
  });

  it('fetches one new token when the cached one nears expiry', async () => {
    const s = await authServers((_request, issue) => ({ status: 200, body: { expires_in: 2, access_token: issue() } }));
    const http = apiClient(s.api, oauth2ClientCredentials({ tokenUrl: s.tokenUrl, clientId: 'app-1', clientSecret: 'sec-1' }));
    await expect(http.json({ path: 'a' })).resolves.toMatchObject({ token: 'tok-1' });
    await expect(http.json({ path: 'b' })).resolves.toMatchObject({ token: 'tok-1' });
    // A 2 s token is refreshed after half its life; the test waits past that on purpose.
    await sleep(1_100);
    const after = await Promise.all(Array.from({ length: 5 }, () => http.json<{ token: string }>({ path: 'c' })));
    expect(after.map((result) => result.token)).toEqual(Array(5).fill('tok-2'));
    expect(s.tokens.requests).toHaveLength(2);
  });

  it('sends the client as HTTP Basic when asked', async () => {
    const s = await authServers((_request, issue) => ({ status: 200, body: { expires_in: 3599, access_token: issue() } }));
    const http = apiClient(s.api, oauth2ClientCredentials({ tokenUrl: s.tokenUrl, clientId: 'app 1', clientSecret: 's:e/c', clientAuth: 'basic' }));
    await http.json({ path: 'a' });
    const request = s.tokens.requests[0]!;
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('app+1:s%3Ae%2Fc').toString('base64')}`);
    expect(form(request)).toEqual({ grant_type: 'client_credentials' });
  });

  it('turns invalid_client into auth without calling the API or retrying', async () => {
    const s = await authServers(() => ({ status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } }));
    const http = apiClient(s.api, oauth2ClientCredentials({ tokenUrl: s.tokenUrl, clientId: 'app-1', clientSecret: 'wrong' }));
    const error = await http.request({ path: 'a' }).catch((caught: unknown) => caught as ConnectorError);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', retriable: false, sourceCode: 'invalid_client' });
    expect((error as ConnectorError).message).toContain('refused the client credentials');
    expect(s.tokens.requests).toHaveLength(1);
    expect(s.api.requests).toHaveLength(0);
  });

  it('refreshes once after a 401 from the API and succeeds with the new token', async () => {
    const s = await authServers((_request, issue) => ({ status: 200, body: { expires_in: 3599, access_token: issue() } }));
    const http = apiClient(s.api, oauth2ClientCredentials({ tokenUrl: s.tokenUrl, clientId: 'app-1', clientSecret: 'sec-1' }));
    await http.json({ path: 'a' });
    s.valid.delete('tok-1'); // revoked at the source before it expired
    const results = await Promise.all(Array.from({ length: 10 }, () => http.json<{ token: string }>({ path: 'b' })));
    expect(results.every((result) => result.token === 'tok-2')).toBe(true);
    expect(s.tokens.requests).toHaveLength(2); // ten 401s, one refresh
  });

  it('throws auth on a second 401 after the refresh, without looping', async () => {
    const s = await authServers((_request, issue) => {
      const token = issue();
      s.valid.delete(token); // the API accepts none of them (app not registered in the tenant)
      return { status: 200, body: { expires_in: 3599, access_token: token } };
    });
    const http = apiClient(s.api, oauth2ClientCredentials({ tokenUrl: s.tokenUrl, clientId: 'app-1', clientSecret: 'sec-1' }));
    const error = await http.request({ path: 'a' }).catch((caught: unknown) => caught as ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', status: 401, sourceCode: 'Authentication_InvalidCredentials' });
    expect(s.api.requests).toHaveLength(2);
    expect(s.tokens.requests).toHaveLength(2);
  });
});

describe('oauth2RefreshToken', () => {
  it('awaits onTokens with the rotated refresh token before the new access token is used', async () => {
    const events: string[] = [];
    const s = await authServers((request, issue) => {
      const token = issue();
      return { status: 200, body: { access_token: token, expires_in: 3600, refresh_token: `${form(request).refresh_token}-rotated` } };
    });
    const saved: OAuth2Tokens[] = [];
    let savedAt = 0;
    const http = apiClient(
      s.api,
      oauth2RefreshToken({
        tokenUrl: s.tokenUrl,
        clientId: 'app-1',
        refreshToken: 'rt-0',
        onTokens: async (tokens) => {
          events.push('save started');
          await sleep(100); // a slow connection store
          saved.push(tokens);
          savedAt = Date.now();
          events.push('saved');
        },
      }),
    );
    await Promise.all([http.json({ path: 'a' }), http.json({ path: 'b' })]);
    events.push(...s.apiSaw.map(({ token }) => `api saw ${token}`));
    expect(events).toEqual(['save started', 'saved', 'api saw tok-1', 'api saw tok-1']);
    expect(Math.min(...s.apiSaw.map(({ at }) => at))).toBeGreaterThanOrEqual(savedAt);
    expect(saved).toMatchObject([{ accessToken: 'tok-1', refreshToken: 'rt-0-rotated', refreshTokenRotated: true }]);

    // The next refresh uses the rotated token, never the one it replaced.
    s.valid.delete('tok-1');
    await http.json({ path: 'c' });
    expect(form(s.tokens.requests[1]!)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-0-rotated', client_id: 'app-1' });
    expect(saved[1]).toMatchObject({ refreshToken: 'rt-0-rotated-rotated' });
  });

  it('does not use a token whose save failed, and refreshes with the rotated token next time', async () => {
    const s = await authServers((request, issue) => ({ status: 200, body: { access_token: issue(), expires_in: 3600, refresh_token: `${form(request).refresh_token}+` } }));
    let failSave = true;
    const http = apiClient(
      s.api,
      oauth2RefreshToken({
        tokenUrl: s.tokenUrl,
        clientId: 'app-1',
        refreshToken: 'rt',
        onTokens: async () => {
          if (failSave) throw new Error('connection store unreachable');
        },
      }),
    );
    const error = await http.request({ path: 'a', retries: 0 }).catch((caught: unknown) => caught as ConnectorError);
    expect(error).toMatchObject({ kind: 'unavailable', retriable: true });
    expect((error as ConnectorError).message).toContain('could not be saved');
    expect(s.api.requests).toHaveLength(0);
    failSave = false;
    await expect(http.json({ path: 'a' })).resolves.toMatchObject({ token: 'tok-2' });
    expect(form(s.tokens.requests[1]!).refresh_token).toBe('rt+');
  });

  it('starts from a stored access token, and turns invalid_grant into auth', async () => {
    const s = await authServers(() => ({ status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS70008: The refresh token has expired due to inactivity.' } }));
    s.valid.add('stored');
    const http = apiClient(s.api, oauth2RefreshToken({ tokenUrl: s.tokenUrl, clientId: 'app-1', refreshToken: 'rt', accessToken: 'stored', accessTokenExpiresAt: Date.now() + 3_600_000, onTokens: async () => {} }));
    await expect(http.json({ path: 'a' })).resolves.toMatchObject({ token: 'stored' });
    expect(s.tokens.requests).toHaveLength(0);
    s.valid.delete('stored');
    const error = await http.request({ path: 'b' }).catch((caught: unknown) => caught as ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', sourceCode: 'invalid_grant' });
    expect(s.tokens.requests).toHaveLength(1);
  });
});

describe('oauth2JwtBearer', () => {
  it('signs a client assertion the token server verifies, and caches the token', async () => {
    const { privateKey, publicKey } = await generateKeyPair('PS256', { extractable: true });
    const privateKeyPem = await exportPKCS8(privateKey);
    const verifyKey = await importSPKI(await exportSPKI(publicKey), 'PS256');
    const verified: Record<string, unknown>[] = [];
    let tokenUrl = '';
    const s = await authServers(() => ({ status: 200, body: { access_token: 'never-used', expires_in: 3600 } }));
    // Replace the token endpoint's answer with one that checks the assertion.
    const checking = await startLoopbackServer(async (request, response) => {
      const body = form(request);
      try {
        const { payload, protectedHeader } = await jwtVerify(body.client_assertion!, verifyKey, { issuer: 'client-9', audience: tokenUrl });
        verified.push({ ...payload, ...protectedHeader, grant: body.grant_type, type: body.client_assertion_type });
        s.valid.add('jwt-tok');
        sendJson(response, 200, { access_token: 'jwt-tok', token_type: 'bearer', expires_in: 3600 });
      } catch (error) {
        sendJson(response, 400, { error: 'invalid_request', error_description: String(error) });
      }
    });
    cleanups.push(() => checking.close());
    tokenUrl = `${checking.origin}/services/rest/auth/oauth2/v1/token`;
    const http = apiClient(s.api, oauth2JwtBearer({ tokenUrl, clientId: 'client-9', privateKeyPem, keyId: 'cert-abc', algorithm: 'PS256', scope: ['rest_webservices', 'restlets'] }));
    await expect(http.json({ path: 'a' })).resolves.toMatchObject({ token: 'jwt-tok' });
    await http.json({ path: 'b' });
    expect(checking.requests).toHaveLength(1);
    expect(verified[0]).toMatchObject({
      alg: 'PS256',
      typ: 'JWT',
      kid: 'cert-abc',
      iss: 'client-9',
      scope: 'rest_webservices,restlets',
      grant: 'client_credentials',
      type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    const claims = verified[0] as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
  });

  it('explains an unreadable private key as a configuration error', async () => {
    const s = await authServers(() => ({ status: 200, body: { access_token: 'x', expires_in: 3600 } }));
    const http = apiClient(s.api, oauth2JwtBearer({ tokenUrl: s.tokenUrl, clientId: 'c', privateKeyPem: '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----', keyId: 'k', scope: 'rest_webservices' }));
    const error = await http.request({ path: 'a' }).catch((caught: unknown) => caught as ConnectorError);
    expect(error).toMatchObject({ kind: 'config' });
    expect((error as ConnectorError).message).toContain('PKCS#8');
    expect(s.tokens.requests).toHaveLength(0);
  });
});
