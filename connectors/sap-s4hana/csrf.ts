import type { Logger } from '../../platform/logger.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../sdk/http.js';
import { ConnectorError } from '../sdk/errors.js';
import { isCsrfFailure } from './odata/sap-errors.js';

/**
 * SAP's CSRF protection for writes: a GET with `X-CSRF-Token: Fetch` returns a token in the
 * `x-csrf-token` header and session cookies (`SAP_SESSIONID_<SID>_<client>`, `sap-XSRF_…`); every
 * POST/PATCH/MERGE/DELETE sends the token and all those cookies. When the session expired (about
 * 30 minutes) SAP answers 403 `x-csrf-token: Required`; the token is fetched again and the write
 * retried exactly once. Concurrent writers share one fetch.
 */
export class CsrfSession {
  private token: string | null = null;
  private cookies = '';
  private fetching: Promise<void> | null = null;
  fetches = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly query: () => Record<string, string>,
    private readonly logger?: Logger,
  ) {}

  /** Forgets the token (after SAP refused it, or when the caller knows the session ended). */
  invalidate(): void {
    this.token = null;
    this.cookies = '';
  }

  private async fetchToken(servicePath: string, signal?: AbortSignal): Promise<void> {
    if (!this.fetching) {
      this.fetching = (async () => {
        const response = await this.http.request({
          method: 'GET',
          path: servicePath,
          query: this.query(),
          headers: { 'x-csrf-token': 'Fetch' },
          ...(signal ? { signal } : {}),
        });
        const token = response.headers['x-csrf-token'];
        if (!token || token.toLowerCase() === 'required') {
          throw new ConnectorError('invalid_response', `${response.method} ${response.url} returned no CSRF token; SAP sends one for "X-CSRF-Token: Fetch" on the service root, so a proxy may be stripping the header`);
        }
        this.token = token;
        this.cookies = cookieHeader(response);
        this.fetches++;
        this.logger?.debug({ service: servicePath, cookies: response.setCookies.length }, 'fetched SAP CSRF token');
      })().finally(() => {
        this.fetching = null;
      });
    }
    await this.fetching;
  }

  /** Sends a write with the token and cookies; a CSRF refusal re-fetches the token and retries once. */
  async write(servicePath: string, request: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      if (!this.token) await this.fetchToken(servicePath, request.signal);
      try {
        return await this.http.request({
          ...request,
          query: { ...this.query(), ...(request.query as Record<string, string> | undefined) },
          headers: { ...request.headers, 'x-csrf-token': this.token!, ...(this.cookies ? { cookie: this.cookies } : {}) },
          // Writes are not idempotent: a retry could create a second purchase order.
          retries: 0,
        });
      } catch (error) {
        if (!isCsrfFailure(error) || attempt > 1) throw error;
        this.logger?.info({ service: servicePath }, 'SAP refused the CSRF token (session expired); fetching a new one and retrying once');
        this.invalidate();
      }
    }
  }
}

/** `Set-Cookie` headers → one `Cookie` header (name=value pairs; attributes dropped). */
export function cookieHeader(response: HttpResponse): string {
  return response.setCookies
    .map((cookie) => cookie.split(';')[0]!.trim())
    .filter((pair) => pair.includes('='))
    .join('; ');
}
