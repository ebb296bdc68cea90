import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { defaultFaults, registerFaults } from '../../sandbox-kit/faults.js';
import { runSandbox, type RunningSandbox } from '../../sandbox-kit/server.js';
import { handleApi } from './api-routes.js';
import { checkBearer, handleTokenRequest, type SandboxClient } from './auth.js';
import { bcErrorBody, BcHttpError, sendBcError } from './bc-errors.js';
import { SandboxClock } from './clock.js';
import { CompanyStore } from './company-store.js';
import { SeededCompany } from './generate.js';
import { createControl, registerControlRoutes, type BcSandboxControl } from './control.js';
import { DOCUMENTED_LIMITS, LimitGate, type BcLimits } from './limits.js';
import { SandboxState, type BcFaults } from './state.js';

/**
 * A Business Central online simulator on one app and two path prefixes: the Microsoft identity
 * platform token endpoint (`/{tenant}/oauth2/v2.0/token`, as login.microsoftonline.com) and the
 * API (`/v2.0/{tenant}/{environment}/api/v2.0/…`, as api.businesscentral.dynamics.com).
 * Test fixture and demo source only: product code never imports it.
 */
export interface BcSandboxOptions {
  /** Open purchase orders, vendors and items per company (each). Default 10. */
  size?: number;
  /** Orders already fully invoiced (gone from purchaseOrders, kept as posted invoices). Default size/4. */
  closedOrders?: number;
  seed?: number;
  companies?: number;
  tenantId?: string;
  environment?: string;
  clients?: SandboxClient[];
  /** Lifetime of issued tokens. Default 300 s: shorter than the real ~3599 s so the demo refreshes too; tests use a few seconds. */
  tokenTtlSeconds?: number;
  limits?: Partial<BcLimits>;
}

export const SANDBOX_TENANT = '5c6241d0-74cc-48a2-b667-3eb0d738af72';
export const SANDBOX_CLIENT: SandboxClient = { clientId: '3f1c9b7e-2d4a-4b8e-9c61-0a5e7d2f4b13', clientSecret: 'sandbox-secret-value~0123456789' };

export interface BcSandbox {
  app: FastifyInstance;
  state: SandboxState;
  control: BcSandboxControl;
  faults: BcFaults;
  tenantId: string;
  environment: string;
  /** Ids of the seeded companies, in order. */
  companyIds: string[];
}

export function createBcSandbox(options: BcSandboxOptions = {}): BcSandbox {
  const size = options.size ?? 10;
  const seed = options.seed ?? 1;
  const tenantId = options.tenantId ?? SANDBOX_TENANT;
  const environment = options.environment ?? 'Production';
  const counts = { vendors: Math.max(size, 1), items: Math.max(size, 1), orders: size, closedOrders: options.closedOrders ?? Math.floor(size / 4) };
  const companyCount = options.companies ?? 1;
  const latestSeeded = Math.max(...Array.from({ length: companyCount }, (_, index) => new SeededCompany(seed, index, counts).latestSeededMs()));
  const clock = new SandboxClock(latestSeeded);
  const companies = Array.from({ length: companyCount }, (_, index) => new CompanyStore(seed, index, counts, clock));
  const faults: BcFaults = { ...defaultFaults(), changeWhilePaging: 0, processingMs: 0 };
  const auth = { tenantId, clients: options.clients ?? [SANDBOX_CLIENT], tokenTtlSeconds: options.tokenTtlSeconds ?? 300, revoked: false, tokensIssued: 0, generation: 0 };
  const gate = new LimitGate({ ...DOCUMENTED_LIMITS, ...options.limits });
  const state = new SandboxState(environment, companies, auth, faults, gate, clock);

  const app = Fastify({ logger: false });
  app.register(formbody);
  const isControl = (request: FastifyRequest): boolean => request.url.startsWith('/__sandbox');
  registerFaults(app, faults, {
    unavailable: () => ({ contentType: 'application/json; charset=utf-8', body: bcErrorBody('Internal_TenantUnavailable', `The tenant '${tenantId}' is not accessible`) }),
    rateLimited: () => ({ contentType: 'application/json; charset=utf-8', body: bcErrorBody('Application_TooManyRequests', 'Too many requests reached.  Actual (101). Maximum (100)') }),
  }, state.requestLog, isControl);

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof BcHttpError) return sendBcError(reply, error.status, error.code, error.message);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 400) return sendBcError(reply, 400, 'BadRequest', 'Invalid Request Body');
    return sendBcError(reply, 500, 'Internal_ServerError', error instanceof Error ? error.message : String(error));
  });

  app.post<{ Params: { tenant: string } }>('/:tenant/oauth2/v2.0/token', (request, reply) => handleTokenRequest(auth, request, reply));

  const api = '/v2.0/:tenant/:environment/api/v2.0/*';
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v2.0/')) return;
    if (!(await checkBearer(auth, request, reply))) return reply;
    if (!(await gate.admit(request, reply))) return reply;
    if (faults.processingMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.processingMs));
  });
  app.addHook('onResponse', async (request) => gate.release(request));
  app.route({
    method: ['GET', 'POST', 'PATCH', 'DELETE'],
    url: api,
    handler: (request, reply) => handleApi(state, request as never, reply),
  });

  const control = createControl(state);
  registerControlRoutes(app, state, control);
  return { app, state, control, faults, tenantId, environment, companyIds: companies.map((company) => company.id) };
}

export interface StartedBcSandbox extends BcSandbox {
  server: RunningSandbox;
  /** Base URL for the token endpoint (`loginBaseUrl` in the connection config). */
  loginBaseUrl: string;
  /** Base URL for the API (`apiBaseUrl` in the connection config). */
  apiBaseUrl: string;
}

/** Starts a sandbox on loopback (the demo and benchmarks use this). */
export async function startBcSandbox(options: BcSandboxOptions & { port?: number } = {}): Promise<StartedBcSandbox> {
  const sandbox = createBcSandbox(options);
  const server = await runSandbox(sandbox.app, options.port === undefined ? {} : { port: options.port });
  return { ...sandbox, server, loginBaseUrl: server.url, apiBaseUrl: server.url };
}

/** The connection config that points the connector at a running sandbox (demo and benchmarks). */
export function sandboxConnectionConfig(sandbox: StartedBcSandbox): Record<string, unknown> {
  return {
    tenantId: sandbox.tenantId,
    environment: sandbox.environment,
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    companyIds: [],
    apiBaseUrl: sandbox.apiBaseUrl,
    loginBaseUrl: sandbox.loginBaseUrl,
  };
}
