import Fastify, { type FastifyInstance } from 'fastify';
import { defaultFaults, registerFaults } from '../../sandbox-kit/faults.js';
import { runSandbox, type RunningSandbox } from '../../sandbox-kit/server.js';
import type { TokenEntitySet } from './concurrency-tokens.js';
import { SapSandboxControl, registerControlRoutes } from './control.js';
import type { DatasetSizes } from './data/catalog.js';
import type { PagingSettings } from './query.js';
import { registerMaintenanceOrderWrites } from './routes/maintenance-order-writes.js';
import { registerPurchaseOrderWrites } from './routes/purchase-order-writes.js';
import { registerReadRoutes } from './routes/read-routes.js';
import { rateLimitedBody, unavailableBody } from './sap-errors.js';
import { registerSecurity, registerTokenEndpoint, SecurityState } from './security.js';
import type { SapSandboxState } from './state.js';
import { SapTenant } from './tenant.js';

/**
 * A simulated SAP S/4HANA Cloud tenant serving the OData V2 APIs Millrace's connector uses, at
 * the real URL layout (`/sap/opu/odata/sap/<SERVICE>/…`, `/sap/bc/sec/oauth2/token`).
 * Test fixture and demo source only: product code never imports it.
 */
export interface SapSandboxOptions {
  seed?: number;
  /** Records per entity set unless `sizes` says otherwise (10 for unit tests, 1,000,000 for benchmarks). */
  size?: number;
  sizes?: Partial<DatasetSizes>;
  itemsPerOrder?: number;
  /** Change times of generated records start here. */
  baseTime?: Date;
  paging?: Partial<PagingSettings>;
  users?: { username: string; password: string }[];
  clients?: { clientId: string; clientSecret: string }[];
  tokenTtlSeconds?: number;
  csrfTtlSeconds?: number;
  /** Entity sets to serve with an ETag and to change only with If-Match; none by default, as in SAP's EDMX (concurrency-tokens.ts). */
  concurrencyTokens?: readonly TokenEntitySet[];
}

export const SANDBOX_CREDENTIALS = {
  username: 'MILLRACE_COMM_USER',
  password: 'Sandbox-Comm-Password-1',
  clientId: 'MILLRACE_OAUTH_CLIENT',
  clientSecret: 'Sandbox-Client-Secret-1',
} as const;

export interface SapSandbox {
  app: FastifyInstance;
  state: SapSandboxState;
  control: SapSandboxControl;
}

export function createSapSandbox(options: SapSandboxOptions = {}): SapSandbox {
  const size = options.size ?? 10;
  const sizes: DatasetSizes = {
    purchaseOrders: size,
    maintenanceOrders: size,
    equipment: size,
    businessPartners: size,
    products: size,
    ...options.sizes,
  };
  const tenant = new SapTenant({
    seed: options.seed ?? 1,
    baseMs: (options.baseTime ?? new Date(Date.UTC(2024, 0, 1))).getTime(),
    sizes,
    itemsPerOrder: options.itemsPerOrder ?? 5,
  });
  const security = new SecurityState({
    users: options.users ?? [{ username: SANDBOX_CREDENTIALS.username, password: SANDBOX_CREDENTIALS.password }],
    clients: options.clients ?? [{ clientId: SANDBOX_CREDENTIALS.clientId, clientSecret: SANDBOX_CREDENTIALS.clientSecret }],
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    csrfTtlSeconds: options.csrfTtlSeconds ?? 1800,
  });
  const state: SapSandboxState = {
    tenant,
    security,
    faults: defaultFaults(),
    requestLog: [],
    paging: { defaultPageSize: 100, maxPageSize: 5000, ...options.paging },
    changeWhilePaging: null,
    concurrencyTokens: new Set(options.concurrencyTokens ?? []),
    locks: new Map(),
    afterPage: () => {},
  };
  const control = new SapSandboxControl(state);
  state.afterPage = (collection, records) => {
    const change = state.changeWhilePaging;
    if (!change || change.entitySet !== collection.entityType.entitySet) return;
    for (const record of records.slice(0, change.recordsPerPage)) {
      control.touch(change.entitySet, String(record[collection.entityType.keys[0]!]));
    }
  };

  const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024 });
  app.addHttpMethod('MERGE', { hasBody: true });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  registerFaults(app, state.faults, { unavailable: () => unavailableBody, rateLimited: () => rateLimitedBody }, state.requestLog);
  registerSecurity(app, security);
  registerTokenEndpoint(app, security);
  registerReadRoutes(app, state);
  registerPurchaseOrderWrites(app, state);
  registerMaintenanceOrderWrites(app, state);
  registerControlRoutes(app, control);
  return { app, state, control };
}

export type RunningSapSandbox = SapSandbox &
  RunningSandbox & {
    /** What a connection's `baseUrl` is set to: the tenant's API host. */
    baseUrl: string;
    credentials: typeof SANDBOX_CREDENTIALS;
  };

/** Starts a sandbox on loopback (port 0 = any free port) for tests, benchmarks and the demo. */
export async function startSapSandbox(options: SapSandboxOptions & { port?: number; host?: string } = {}): Promise<RunningSapSandbox> {
  const sandbox = createSapSandbox(options);
  const running = await runSandbox(sandbox.app, { ...(options.port !== undefined ? { port: options.port } : {}), ...(options.host ? { host: options.host } : {}) });
  return { ...sandbox, ...running, baseUrl: running.url, credentials: SANDBOX_CREDENTIALS };
}
