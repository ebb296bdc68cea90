import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { Logger } from '../../../platform/logger.js';
import { ConnectorError } from '../errors.js';
import { createHttpClient, type HttpClient, type HttpResponse } from '../http.js';
import type { RetryOptions } from '../retry.js';

/** How token requests are sent; token endpoints live on their own host, outside the API's limits. */
export interface TokenHttpOptions {
  timeoutMs?: number;
  /** Default: no retries here; the API request that needed the token retries as a whole. */
  retry?: RetryOptions;
  logger?: Logger;
  dispatcher?: Dispatcher;
}

export interface TokenEndpointOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  /** RFC 6749 §2.3.1: `body` sends client_id/client_secret as form fields, `basic` as HTTP Basic. Default `body`. */
  clientAuth?: 'body' | 'basic';
  http?: TokenHttpOptions;
}

export interface TokenResponse {
  accessToken: string;
  expiresInSeconds: number | null;
  refreshToken?: string;
}

const tokenBody = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
  refresh_token: z.string().min(1).optional(),
});

/** RFC 6749 §5.2 error codes that mean the credentials themselves were refused. */
const CREDENTIAL_ERRORS = new Set(['invalid_client', 'invalid_grant', 'unauthorized_client', 'access_denied']);

function tokenErrorFrom() {
  return (response: HttpResponse): ConnectorError | undefined => {
    if (response.status === 429 || response.status >= 500) return undefined; // default: retriable
    let body: { error?: unknown; error_description?: unknown } = {};
    try {
      body = JSON.parse(response.text()) as typeof body;
    } catch {
      // a non-JSON refusal (an HTML login page) is judged by its status alone
    }
    const code = typeof body.error === 'string' ? body.error : undefined;
    const said = typeof body.error_description === 'string' ? body.error_description : undefined;
    const options = { status: response.status, ...(code ? { sourceCode: code } : {}), ...(said ? { sourceMessage: said } : {}) };
    const quoted = `${code ?? `status ${response.status}`}${said ? `: ${said.slice(0, 300)}` : ''}`;
    if (response.status === 404) {
      return new ConnectorError('config', `the token endpoint ${response.url} does not exist (404); check the token URL and the tenant/account id`, options);
    }
    if (code === 'invalid_scope') {
      return new ConnectorError('config', `the token endpoint ${response.url} refused the requested scope (${quoted}); fix the scope in the connection settings`, options);
    }
    if (code === 'unsupported_grant_type' || code === 'invalid_request') {
      return new ConnectorError('config', `the token endpoint ${response.url} refused the request (${quoted}); the app registration may not allow this grant`, options);
    }
    if (code && !CREDENTIAL_ERRORS.has(code) && response.status !== 401) return undefined;
    const what = code === 'invalid_grant' ? 'refused the grant (expired, revoked or already used refresh token, or a bad assertion)' : 'refused the client credentials';
    return new ConnectorError('auth', `the token endpoint ${response.url} ${what} (${quoted}); re-enter the credentials or reconnect`, options);
  };
}

/** POSTs token requests (`application/x-www-form-urlencoded`) and reads RFC 6749 answers. */
export class TokenEndpoint {
  private readonly http: HttpClient;

  constructor(private readonly options: TokenEndpointOptions, secrets: () => string[]) {
    this.http = createHttpClient({
      baseUrl: options.tokenUrl,
      timeoutMs: options.http?.timeoutMs ?? 30_000,
      retry: { retries: 0, ...options.http?.retry },
      errorFrom: tokenErrorFrom(),
      secrets,
      ...(options.http?.logger ? { logger: options.http.logger } : {}),
      ...(options.http?.dispatcher ? { dispatcher: options.http.dispatcher } : {}),
    });
  }

  /** The Basic credential when `clientAuth: 'basic'` (form-encoded id and secret, per §2.3.1). */
  basicCredential(): string | undefined {
    if (this.options.clientAuth !== 'basic') return undefined;
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
    return Buffer.from(`${encode(this.options.clientId)}:${encode(this.options.clientSecret ?? '')}`).toString('base64');
  }

  async request(params: Record<string, string | undefined>): Promise<TokenResponse> {
    const basic = this.basicCredential();
    const client = basic ? {} : { client_id: this.options.clientId, client_secret: this.options.clientSecret };
    const body = await this.http.json({
      method: 'POST',
      path: this.options.tokenUrl,
      form: { ...params, ...client },
      ...(basic ? { headers: { authorization: `Basic ${basic}` } } : {}),
      schema: tokenBody,
    });
    return {
      accessToken: body.access_token,
      expiresInSeconds: body.expires_in === undefined ? null : Number(body.expires_in),
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    };
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
