import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorError } from '../errors.js';
import { createHttpClient } from '../http.js';
import { sendJson, startLoopbackServer } from '../testing/loopback-server.js';
import { sessionToken, type SessionTokenOptions } from './session-token.js';
import { apiKeyAuth, basicAuth, bearerToken } from './static-credentials.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** An UpKeep-shaped API: `POST /api/v2/auth` logs in, `Session-Token` on every other call. */
async function upkeep() {
  const sessions = new Set<string>();
  let logins = 0;
  const server = await startLoopbackServer(async (request, response) => {
    if (request.url === '/api/v2/auth' && request.method === 'POST') {
      const { email, password } = JSON.parse(request.body) as { email: string; password: string };
      if (password !== 'pw-right') return sendJson(response, 401, { success: false, message: 'Invalid email or password' });
      await sleep(50);
      const token = `session-${++logins}`;
      sessions.add(token);
      return sendJson(response, 200, { success: true, result: { sessionToken: token, email } });
    }
    if (request.url === '/api/v2/auth' && request.method === 'DELETE') {
      sessions.delete(String(request.headers['session-token']));
      return sendJson(response, 200, { success: true });
    }
    const token = String(request.headers['session-token'] ?? '');
    if (!sessions.has(token)) return sendJson(response, 401, { success: false, message: 'Session expired' });
    sendJson(response, 200, { success: true, results: [], session: token });
  });
  cleanups.push(() => server.close());
  return { server, sessions, logins: () => logins };
}

const loginResult = z.object({ result: z.object({ sessionToken: z.string() }) });

function upkeepAuth(password: string, extra: Partial<SessionTokenOptions> = {}) {
  return sessionToken({
    header: 'Session-Token',
    login: async ({ http }) => (await http.json({ method: 'POST', path: 'auth', body: { email: 'ops@example.com', password }, retries: 0, schema: loginResult })).result.sessionToken,
    logout: async ({ http, token }) => {
      await http.request({ method: 'DELETE', path: 'auth', headers: { 'session-token': token } });
    },
    secrets: [password],
    ...extra,
  });
}

describe('sessionToken', () => {
  it('logs in once for many concurrent requests, inside the connection limits without deadlock', async () => {
    const { server, logins } = await upkeep();
    const http = createHttpClient({ baseUrl: `${server.origin}/api/v2`, auth: upkeepAuth('pw-right'), limits: { maxConcurrency: 1 } });
    const results = await Promise.all(Array.from({ length: 8 }, () => http.json<{ session: string }>({ path: 'work-orders' })));
    expect(results.every((result) => result.session === 'session-1')).toBe(true);
    expect(logins()).toBe(1);
    await http.close();
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/v2/auth' });
  });

  it('logs in again after a 401 and replays the request once', async () => {
    const { server, sessions, logins } = await upkeep();
    const saved: string[] = [];
    const http = createHttpClient({ baseUrl: `${server.origin}/api/v2`, auth: upkeepAuth('pw-right', { onSession: async (session) => { saved.push(session.token); } }) });
    cleanups.push(() => http.close());
    await http.json({ path: 'work-orders' });
    sessions.clear(); // the source ended the session
    const results = await Promise.all(Array.from({ length: 5 }, () => http.json<{ session: string }>({ path: 'assets' })));
    expect(results.every((result) => result.session === 'session-2')).toBe(true);
    expect(logins()).toBe(2);
    expect(saved).toEqual(['session-1', 'session-2']);
  });

  it('makes a refused login an auth error naming the login call', async () => {
    const { server } = await upkeep();
    const http = createHttpClient({ baseUrl: `${server.origin}/api/v2`, auth: upkeepAuth('pw-wrong'), retry: { retries: 3, minDelayMs: 1 } });
    cleanups.push(() => http.close());
    const error = await http.request({ path: 'work-orders' }).catch((caught: unknown) => caught as ConnectorError);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', status: 401, sourceMessage: 'Invalid email or password' });
    expect((error as ConnectorError).message).toContain(`POST ${server.origin}/api/v2/auth answered 401`);
    expect(server.requests).toHaveLength(1);
  });
});

describe('static credentials', () => {
  it('sends Basic, API key (header or query) and bearer credentials, and a 401 with them is auth at once', async () => {
    const server = await startLoopbackServer((request, response) => sendJson(response, request.url.includes('deny') ? 401 : 200, { authorization: request.headers.authorization ?? null, apikey: request.headers.apikey ?? null, url: request.url }));
    cleanups.push(() => server.close());
    const make = (auth: ReturnType<typeof basicAuth>) => {
      const http = createHttpClient({ baseUrl: `${server.origin}/maximo/api/os/`, auth, retry: { retries: 3, minDelayMs: 1 } });
      cleanups.push(() => http.close());
      return http;
    };
    await expect(make(basicAuth('COMM_USER', 'pässword')).json({ path: 'x' })).resolves.toMatchObject({ authorization: `Basic ${Buffer.from('COMM_USER:pässword').toString('base64')}` });
    await expect(make(apiKeyAuth({ header: 'apikey' }, 'k-1')).json({ path: 'x' })).resolves.toMatchObject({ apikey: 'k-1' });
    await expect(make(apiKeyAuth({ query: 'apikey' }, 'k 2')).json({ path: 'mxapiwodetail', query: { lean: 1 } })).resolves.toMatchObject({ url: '/maximo/api/os/mxapiwodetail?lean=1&apikey=k%202' });
    await expect(make(bearerToken('pat-3')).json({ path: 'x' })).resolves.toMatchObject({ authorization: 'Bearer pat-3' });
    const before = server.requests.length;
    await expect(make(basicAuth('u', 'p')).request({ path: 'deny' })).rejects.toMatchObject({ kind: 'auth' });
    expect(server.requests.length - before).toBe(1);
  });
});
