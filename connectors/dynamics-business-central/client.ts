import type { Logger } from '../../platform/logger.js';
import { oauth2ClientCredentials } from '../sdk/auth/oauth2-client-credentials.js';
import { ConnectorError, isConnectorError } from '../sdk/errors.js';
import { createHttpClient, type HttpClient } from '../sdk/http.js';
import type { RetryOptions } from '../sdk/retry.js';
import type { Query } from '../sdk/url.js';
import { bcErrorFrom } from './bc-errors.js';
import type { BcConfig } from './config.js';
import type { BcCollection, BcCompany } from './raw-types.js';

/**
 * One connection's way into Business Central: client-credentials tokens from the Microsoft
 * identity platform (cached, refreshed before expiry and once after a 401), the API root
 * `{apiBaseUrl}/v2.0/{tenant}/{environment}/api/v2.0`, the environment's limits (5 requests at
 * once, 20 a second), and server-driven paging through `@odata.nextLink`.
 */
export interface BcClient {
  config: BcConfig;
  http: HttpClient;
  /** `https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}/api/v2.0` */
  apiRoot: string;
  /** The companies this connection covers: `companyIds`, or every company the app sees. */
  companyIds(signal?: AbortSignal): Promise<string[]>;
  /** Pages of a collection; each record gets its page's `@odata.context` + `/$entity`, as when read alone. */
  pages<T extends object>(path: string, query: Query, signal?: AbortSignal): AsyncGenerator<T[]>;
  /** One entity, or null on 404. */
  getOne<T extends object>(path: string, query?: Query, signal?: AbortSignal): Promise<T | null>;
  close(): Promise<void>;
}

/** `retry` is for tests that must not wait through the production back-off. */
export function createBcClient(config: BcConfig, logger?: Logger, overrides: { retry?: RetryOptions } = {}): BcClient {
  const apiBase = config.apiBaseUrl.replace(/\/+$/, '');
  const apiRoot = `${apiBase}/v2.0/${encodeURIComponent(config.tenantId)}/${encodeURIComponent(config.environment)}/api/v2.0`;
  const auth = oauth2ClientCredentials({
    tokenUrl: `${config.loginBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(config.tenantId)}/oauth2/v2.0/token`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scope: config.scope,
    ...(logger ? { http: { logger } } : {}),
  });
  const http = createHttpClient({
    baseUrl: `${apiRoot}/`,
    auth,
    timeoutMs: config.timeoutMs,
    retry: overrides.retry ?? { retries: 5, minDelayMs: 500, maxDelayMs: 30_000 },
    limits: { maxConcurrency: config.maxConcurrency, requestsPerSecond: config.requestsPerSecond },
    errorFrom: bcErrorFrom,
    ...(logger ? { logger } : {}),
  });

  async function* pages<T extends object>(path: string, query: Query, signal?: AbortSignal): AsyncGenerator<T[]> {
    let next: { path: string; query?: Query } | undefined = { path, query };
    while (next) {
      const page: BcCollection<T> = await http.json<BcCollection<T>>({
        path: next.path,
        ...(next.query ? { query: next.query } : {}),
        headers: { prefer: `odata.maxpagesize=${config.pageSize}` },
        ...(signal ? { signal } : {}),
      });
      if (!page || typeof page !== 'object' || !Array.isArray(page.value) || typeof page['@odata.context'] !== 'string') {
        throw new ConnectorError('invalid_response', `GET ${path}: expected an OData collection ({"@odata.context", "value": […]}), got ${JSON.stringify(page).slice(0, 120)}`);
      }
      const context = `${page['@odata.context']}/$entity`;
      yield page.value.map((record) => ({ '@odata.context': context, ...record }));
      const link = page['@odata.nextLink'];
      if (link !== undefined && typeof link !== 'string') throw new ConnectorError('invalid_response', `GET ${path}: @odata.nextLink is not a string`);
      next = link ? { path: link } : undefined;
    }
  }

  return {
    config,
    http,
    apiRoot,
    pages,
    async companyIds(signal) {
      if (config.companyIds.length > 0) return config.companyIds;
      // Listed at every read, so a company added to the environment is picked up at the next sync.
      const ids: string[] = [];
      for await (const page of pages<BcCompany>('companies', {}, signal)) ids.push(...page.map((company) => company.id.toLowerCase()));
      if (ids.length === 0) throw new ConnectorError('permission', `GET ${apiRoot}/companies listed no company: give the Entra application access to at least one company`);
      return ids;
    },
    async getOne<T extends object>(path: string, query?: Query, signal?: AbortSignal): Promise<T | null> {
      try {
        return await http.json<T>({ path, ...(query ? { query } : {}), ...(signal ? { signal } : {}) });
      } catch (error) {
        if (isConnectorError(error) && error.kind === 'not_found') return null;
        throw error;
      }
    },
    close: () => http.close(),
  };
}

/** `companies(<id>)/<rest>` */
export function companyPath(companyId: string, rest: string): string {
  return `companies(${companyId})/${rest}`;
}
