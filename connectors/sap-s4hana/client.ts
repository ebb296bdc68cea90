import type { Logger } from '../../platform/logger.js';
import { basicAuth } from '../sdk/auth/static-credentials.js';
import { oauth2ClientCredentials } from '../sdk/auth/oauth2-client-credentials.js';
import type { AuthProvider } from '../sdk/auth/types.js';
import { ConnectorError } from '../sdk/errors.js';
import { createHttpClient, type HttpClient, type HttpMethod, type HttpResponse } from '../sdk/http.js';
import type { RetryOptions } from '../sdk/retry.js';
import type { ConnectorContext } from '../sdk/types.js';
import { defaultTokenUrl, servicesRoot, type SapConfig } from './config.js';
import { CsrfSession } from './csrf.js';
import { readCollection, readEntity, type ODataCollection, type ODataRecord } from './odata/page.js';
import { sapErrorFrom } from './odata/sap-errors.js';

/**
 * The per-connection SAP client: the SDK HTTP client (auth, retries of retriable failures,
 * rate limit, SAP error mapping) rooted at `<baseUrl>/sap/opu/odata/sap/`, OData envelope
 * checks, `sap-client` on every call, and the CSRF session for writes.
 */
export type QueryParams = Record<string, string | number | undefined>;

export class SapClient {
  readonly http: HttpClient;
  readonly csrf: CsrfSession;

  /** `tuning` changes retry timing only (tests make backoff fast); connect() never passes it. */
  constructor(readonly config: SapConfig, readonly logger: Logger, tuning: { retry?: RetryOptions } = {}) {
    this.http = createHttpClient({
      baseUrl: servicesRoot(config),
      auth: authProvider(config),
      timeoutMs: config.timeoutMs,
      retry: { retries: 4, minDelayMs: 500, maxDelayMs: 30_000, ...tuning.retry },
      limits: { maxConcurrency: config.maxConcurrency, requestsPerSecond: config.requestsPerSecond },
      errorFrom: sapErrorFrom,
      logger,
    });
    this.csrf = new CsrfSession(this.http, () => this.clientQuery(), logger);
  }

  /** `sap-client` for on-premise systems; nothing for Cloud tenants. */
  clientQuery(): Record<string, string> {
    return this.config.sapClient ? { 'sap-client': this.config.sapClient } : {};
  }

  private query(params: QueryParams): Record<string, string | number> {
    const query: Record<string, string | number> = { ...this.clientQuery() };
    for (const [name, value] of Object.entries(params)) if (value !== undefined) query[name] = value;
    return query;
  }

  async collection(service: string, entitySet: string, params: QueryParams, signal?: AbortSignal): Promise<ODataCollection> {
    const response = await this.http.request({ path: `${service}/${entitySet}`, query: this.query(params), ...(signal ? { signal } : {}) });
    return readCollection(response.json(), `${response.method} ${response.url}`);
  }

  /** Follows a `__next` link exactly as SAP sent it (its `$skiptoken` is opaque). */
  async next(nextUrl: string, signal?: AbortSignal): Promise<ODataCollection> {
    const response = await this.http.request({ path: nextUrl, ...(signal ? { signal } : {}) });
    return readCollection(response.json(), `${response.method} ${response.url}`);
  }

  /** One entity by its resource path (`A_PurchaseOrder('4500000001')`); null when SAP answers 404. */
  async entity(service: string, resource: string, params: QueryParams = {}, signal?: AbortSignal): Promise<ODataRecord | null> {
    try {
      const response = await this.http.request({ path: `${service}/${resource}`, query: this.query(params), ...(signal ? { signal } : {}) });
      return readEntity(response.json(), `${response.method} ${response.url}`);
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  /** A write through the CSRF session (never retried automatically); `headers` carry `If-Match` for entities with an ETag. */
  write(service: string, method: HttpMethod, resource: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.csrf.write(`${service}/`, { method, path: `${service}/${resource}`, body, headers: { ...headers, 'content-type': 'application/json' } });
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function authProvider(config: SapConfig): AuthProvider {
  if (config.authKind === 'basic') return basicAuth(config.username!, config.password!);
  return oauth2ClientCredentials({
    tokenUrl: config.tokenUrl ?? defaultTokenUrl(config),
    clientId: config.clientId!,
    clientSecret: config.clientSecret!,
    clientAuth: 'basic',
    ...(config.scope ? { scope: config.scope } : {}),
  });
}

export function createSapClient(ctx: ConnectorContext<SapConfig>): SapClient {
  return new SapClient(ctx.config, ctx.logger);
}
