import { SignJWT, importPKCS8 } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandbox, type RunningSandbox } from '../../sandbox-kit/server.js';
import { createNetSuiteSandbox, type NetSuiteSandbox } from './index.js';
import { JWT_BEARER, TOKEN_PATH } from './oauth2-server.js';
import { randomNonce, tbaHeader } from './test-signing.js';

const INVALID_LOGIN_BODY = {
  type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.2',
  title: 'Unauthorized',
  status: 401,
  'o:errorDetails': [
    {
      detail: 'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
      'o:errorCode': 'INVALID_LOGIN',
    },
  ],
};

describe('NetSuite sandbox authentication', () => {
  let sandbox: NetSuiteSandbox;
  let running: RunningSandbox;
  let url: string;
  /** Moves the sandbox's clock (never the test's): expiry without sleeping. */
  let clockShiftMs = 0;

  beforeAll(async () => {
    sandbox = await createNetSuiteSandbox({ size: 10, accessTokenTtlSeconds: 60, now: () => Date.now() + clockShiftMs });
    running = await runSandbox(sandbox.app);
    url = `${running.url}/services/rest/record/v1/purchaseOrder?limit=5`;
  });
  afterAll(async () => running.close());

  const get = (authorization: string, target = url): Promise<Response> => fetch(target, { headers: { authorization } });
  const header = (overrides: Parameters<typeof tbaHeader>[4] = {}, realm = sandbox.accountId, target = url): string => tbaHeader(sandbox.credentials.tba, realm, 'GET', target, overrides);

  it('accepts a correctly signed TBA request, query parameters included in the signature', async () => {
    const response = await get(header());
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: unknown[] };
    expect(body.items).toHaveLength(5);
    expect(sandbox.loginAudit.at(-1)).toMatchObject({ method: 'tba', ok: true });
  });

  it('refuses a wrong consumer secret with NetSuite INVALID_LOGIN body', async () => {
    const response = await get(header({ consumerSecret: 'not-the-secret' }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(INVALID_LOGIN_BODY);
    expect(sandbox.loginAudit.at(-1)).toMatchObject({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a signature made for other query parameters', async () => {
    const signedFor = `${running.url}/services/rest/record/v1/purchaseOrder?limit=6`;
    const response = await get(header({}, sandbox.accountId, signedFor));
    expect(response.status).toBe(401);
  });

  it('refuses a stale timestamp and a replayed nonce', async () => {
    const stale = await get(header({ timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale.status).toBe(401);
    expect(sandbox.loginAudit.at(-1)?.reason).toBe('timestamp outside the allowed skew');
    const nonce = randomNonce();
    expect((await get(header({ nonce }))).status).toBe(200);
    const replay = await get(header({ nonce }));
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual(INVALID_LOGIN_BODY);
    expect(sandbox.loginAudit.at(-1)?.reason).toBe('nonce already used');
  });

  it('needs the realm in its uppercase _SB1 form', async () => {
    const response = await get(header({}, sandbox.accountId.toLowerCase()));
    expect(response.status).toBe(401);
    expect(sandbox.loginAudit.at(-1)?.reason).toMatch(/realm/);
  });

  it('answers requests without credentials with INVALID_LOGIN', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(INVALID_LOGIN_BODY);
  });

  async function assertion(overrides: { kid?: string; key?: string; aud?: string; alg?: string; lifetime?: number; scope?: unknown } = {}): Promise<string> {
    const m2m = sandbox.credentials.m2m;
    const key = await importPKCS8(overrides.key ?? m2m.privateKeyPem, overrides.alg ?? 'ES256');
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: overrides.scope ?? ['restlets', 'rest_webservices'] })
      .setProtectedHeader({ alg: overrides.alg ?? 'ES256', typ: 'JWT', kid: overrides.kid ?? m2m.certificateId })
      .setIssuer(m2m.clientId)
      .setAudience(overrides.aud ?? `${running.url}${TOKEN_PATH}`)
      .setIssuedAt(iat)
      .setExpirationTime(iat + (overrides.lifetime ?? 3000))
      .sign(key);
  }

  const token = (clientAssertion: string): Promise<Response> =>
    fetch(`${running.url}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: clientAssertion }).toString(),
    });

  it('issues a bearer token for a JWT assertion signed with the mapped certificate, and it expires', async () => {
    const response = await token(await assertion());
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string };
    expect(body).toMatchObject({ expires_in: 60, token_type: 'bearer' });
    expect((await get(`Bearer ${body.access_token}`)).status).toBe(200);
    clockShiftMs = 61_000;
    try {
      const expired = await get(`Bearer ${body.access_token}`);
      expect(expired.status).toBe(401);
      expect(await expired.json()).toEqual(INVALID_LOGIN_BODY);
    } finally {
      clockShiftMs = 0;
    }
  });

  it('refuses assertions signed with another key, for another audience, too long-lived, RS256, or without rest_webservices', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(await (await token(await assertion({ key: otherKey }))).json()).toEqual({ error: 'invalid_grant' });
    expect(await (await token(await assertion({ aud: 'https://elsewhere/token' }))).json()).toEqual({ error: 'invalid_grant' });
    expect(await (await token(await assertion({ lifetime: 7200 }))).json()).toEqual({ error: 'invalid_grant' });
    expect(await (await token(await assertion({ scope: ['restlets'] }))).json()).toEqual({ error: 'invalid_scope' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(await (await token(await assertion({ key: rsa, alg: 'RS256' }))).json()).toEqual({ error: 'invalid_grant' });
    const unknown = await token(await assertion({ kid: 'no-such-certificate' }));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: 'invalid_client' });
  });

  it('revocation refuses TBA tokens, new access tokens and those already issued', async () => {
    const issued = ((await (await token(await assertion())).json()) as { access_token: string }).access_token;
    sandbox.control.revokeCredentials();
    try {
      expect((await get(header())).status).toBe(401);
      expect((await get(`Bearer ${issued}`)).status).toBe(401);
      expect((await token(await assertion())).status).toBe(401);
    } finally {
      sandbox.control.restoreCredentials();
    }
    expect((await get(header())).status).toBe(200);
  });
});
