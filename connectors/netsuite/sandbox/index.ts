import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { defaultFaults, registerFaults, type RequestLogEntry } from '../../sandbox-kit/faults.js';
import { runSandbox, type RunningSandbox } from '../../sandbox-kit/server.js';
import { AsyncJobs } from './async-jobs.js';
import { NetSuiteSandboxControl, registerControlRoutes } from './control.js';
import { CONCURRENCY_LIMIT_EXCEEDED, errorBody } from './errors.js';
import { Oauth1Verifier, type TbaCredentials } from './oauth1-verifier.js';
import { Oauth2Server, type M2mClient } from './oauth2-server.js';
import { registerAsyncRoutes } from './routes-async.js';
import { registerAuth, type LoginAuditEntry } from './routes-auth.js';
import { registerRecordRoutes } from './routes-record.js';
import { registerSuiteQLRoutes } from './routes-suiteql.js';
import type { NetSuiteFaults, SandboxState } from './state.js';
import { NetSuiteStore } from './store.js';

/**
 * A NetSuite account on loopback: SuiteTalk REST record service, SuiteQL, async jobs, TBA and
 * OAuth 2.0 (client credentials) authentication, concurrency governance, and a seeded dataset
 * of purchase orders, vendors and inventory items. Product code never imports this.
 */
export interface NetSuiteSandboxOptions {
  /** Account id as the OAuth realm carries it (`1234567_SB1` for a sandbox account). */
  accountId?: string;
  /** Number of purchase orders (vendors: size/10, items: size/5, at least 3 and 5). */
  size?: number;
  seed?: number;
  now?: () => number;
  tba?: TbaCredentials[];
  m2m?: M2mClient[];
  /** Allowed clock skew of an OAuth 1.0a timestamp, seconds (default 300). */
  maxSkewSeconds?: number;
  accessTokenTtlSeconds?: number;
  /** Account concurrency governance limit: requests beyond it get 429 (default 5). */
  concurrencyLimit?: number;
  /** The integration user's time zone as a UTC offset in minutes: the SuiteQL session clock (default 0). */
  sessionUtcOffsetMinutes?: number;
  /** How long an async job waits for a processor, ms (default 25). */
  asyncJobDelayMs?: number;
}

export interface M2mSigningKey {
  clientId: string;
  certificateId: string;
  privateKeyPem: string;
  algorithm: 'ES256';
}

export interface NetSuiteSandbox {
  app: FastifyInstance;
  store: NetSuiteStore;
  faults: NetSuiteFaults;
  control: NetSuiteSandboxControl;
  requestLog: RequestLogEntry[];
  loginAudit: LoginAuditEntry[];
  accountId: string;
  /** The default credentials the sandbox accepts (for tests and the demo). */
  credentials: { tba: TbaCredentials; m2m: M2mSigningKey };
  /** Highest number of requests in flight at once so far (concurrency governance). */
  peakConcurrency(): number;
  /** Async job processing delay, ms; tests may change it. */
  asyncJobDelayMs: number;
}

function hexFrom(label: string, seed: number): string {
  return createHash('sha256').update(`${label}:${seed}`).digest('hex');
}

export async function createNetSuiteSandbox(options: NetSuiteSandboxOptions = {}): Promise<NetSuiteSandbox> {
  const accountId = options.accountId ?? '1234567_SB1';
  const seed = options.seed ?? 42;
  const now = options.now ?? Date.now;
  const tbaDefault: TbaCredentials = { consumerKey: hexFrom('consumer-key', seed), consumerSecret: hexFrom('consumer-secret', seed), tokenId: hexFrom('token-id', seed), tokenSecret: hexFrom('token-secret', seed) };
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const m2mDefault: M2mSigningKey = { clientId: hexFrom('client-id', seed), certificateId: hexFrom('certificate-id', seed).slice(0, 43), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'ES256' };
  const tba = options.tba ?? [tbaDefault];
  const m2m = options.m2m ?? [{ clientId: m2mDefault.clientId, certificateId: m2mDefault.certificateId, publicKey }];
  let revoked = false;

  const store = new NetSuiteStore({ size: options.size ?? 10, seed, now });
  const faults: NetSuiteFaults = { ...defaultFaults(), maxConcurrent: options.concurrencyLimit ?? 5, deniedTypes: [], mutateDuringPaging: 0 };
  const sandbox = { asyncJobDelayMs: options.asyncJobDelayMs ?? 25 } as NetSuiteSandbox;
  const state: SandboxState = { store, faults, jobs: new AsyncJobs(() => sandbox.asyncJobDelayMs, now), sessionUtcOffsetMinutes: options.sessionUtcOffsetMinutes ?? 0 };
  const oauth1 = new Oauth1Verifier({ realm: accountId, credentials: () => (revoked ? [] : tba), now, maxSkewSeconds: options.maxSkewSeconds ?? 300 });
  const oauth2 = new Oauth2Server({ clients: () => (revoked ? [] : m2m), now, accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600 });
  const control = new NetSuiteSandboxControl(
    state,
    (value) => {
      revoked = value;
      if (value) oauth2.revokeAll();
    },
    () => oauth2.expireAll(),
  );

  const app = Fastify({ logger: false });
  await app.register(formbody);
  // NetSuite sends its own media types; treat them as JSON like application/json.
  app.addContentTypeParser(/^application\/.*json/, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch {
      const error = new Error('Invalid JSON in the request body.') as Error & { statusCode: number };
      error.statusCode = 400;
      done(error, undefined);
    }
  });
  const requestLog: RequestLogEntry[] = [];
  registerFaults(app, faults, {
    unavailable: () => ({ contentType: 'application/json', body: JSON.stringify(errorBody(503, [{ detail: 'The service is temporarily unavailable. Try again later.', 'o:errorCode': 'SERVICE_UNAVAILABLE' }])) }),
    rateLimited: () => ({ contentType: 'application/vnd.oracle.resource+json; type=error', body: JSON.stringify(errorBody(429, [CONCURRENCY_LIMIT_EXCEEDED])) }),
  }, requestLog);
  const loginAudit: LoginAuditEntry[] = [];
  registerAuth(app, oauth1, oauth2, loginAudit, now);
  registerRecordRoutes(app, state);
  registerSuiteQLRoutes(app, state, (type, id, note) => control.touch(type, id, note));
  registerAsyncRoutes(app, state);
  registerControlRoutes(app, state, control);
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    reply.code(status).header('content-type', 'application/vnd.oracle.resource+json; type=error').send(JSON.stringify(errorBody(status, [{ detail: error.message, 'o:errorCode': status === 400 ? 'INVALID_CONTENT' : 'UNEXPECTED_ERROR' }])));
  });

  return Object.assign(sandbox, {
    app,
    store,
    faults,
    control,
    requestLog,
    loginAudit,
    accountId,
    credentials: { tba: tbaDefault, m2m: m2mDefault },
    peakConcurrency: () => (app as unknown as { sandboxPeakConcurrency: () => number }).sandboxPeakConcurrency(),
  });
}

/** The connection config (input of the connector's config schema) that reaches this sandbox at `url`. */
export function sandboxConnectionConfig(sandbox: NetSuiteSandbox, url: string, auth: 'tba' | 'oauth2_m2m' = 'tba'): Record<string, unknown> {
  const { tba, m2m } = sandbox.credentials;
  const credentials = auth === 'tba' ? { authType: 'tba', ...tba } : { authType: 'oauth2_m2m', clientId: m2m.clientId, certificateId: m2m.certificateId, privateKeyPem: m2m.privateKeyPem, jwtAlgorithm: m2m.algorithm };
  return { accountId: sandbox.accountId, baseUrl: url, ...credentials };
}

export interface StartedNetSuiteSandbox {
  sandbox: NetSuiteSandbox;
  running: RunningSandbox;
  url: string;
  /** A demo connection's config for the `netsuite` connector (token-based authentication). */
  connectionConfig: Record<string, unknown>;
}

/** Starts a sandbox on a port for the demo (`npm start`) and benchmarks. */
export async function startNetSuiteSandbox(options: { port?: number; size?: number; seed?: number } & NetSuiteSandboxOptions = {}): Promise<StartedNetSuiteSandbox> {
  const sandbox = await createNetSuiteSandbox(options);
  const running = await runSandbox(sandbox.app, options.port === undefined ? {} : { port: options.port });
  return { sandbox, running, url: running.url, connectionConfig: sandboxConnectionConfig(sandbox, running.url) };
}
