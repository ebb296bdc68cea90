import type { Logger } from '../../../platform/logger.js';
import type { HttpClient } from '../http.js';
import type { AuthKind } from '../types.js';

/** The request an auth provider decorates, once per attempt, just before it is sent. */
export interface AuthRequest {
  readonly method: string;
  /**
   * Absolute URL as it will be sent, query included (RFC 3986 encoded: a space is `%20`).
   * A provider adding query parameters replaces it (`appendQuery` in `sdk/url.ts`).
   */
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parameters of an `application/x-www-form-urlencoded` body (OAuth 1.0a signs them). */
  readonly form?: Readonly<Record<string, string>>;
}

export interface AuthAttachContext {
  /**
   * A client to the same base URL without auth and without the connection's limits, for login
   * calls (a session login must not wait for a slot the waiting request itself holds).
   */
  http: HttpClient;
  logger?: Logger;
}

/**
 * Adds credentials to requests. Lifecycle: `attach` once when a client is created with the
 * provider; `apply` before every attempt; `onUnauthorized` after a 401; `close` with the client.
 */
export interface AuthProvider {
  readonly kind: AuthKind;
  /**
   * Adds headers or query parameters. May fetch a token first; concurrent calls share one
   * fetch. Throws `ConnectorError` (`auth` when the token endpoint refuses the credentials).
   */
  apply(request: AuthRequest, signal?: AbortSignal): Promise<void>;
  /**
   * Called after the source answered 401 to `request` (the object `apply` decorated). Resolves
   * true when a fresh credential is ready and the request should be replayed once; false (or
   * absent) makes the 401 an `auth` error. Many concurrent 401s cause one refresh.
   */
  onUnauthorized?(request: AuthRequest, signal?: AbortSignal): Promise<boolean>;
  /** Every secret value in play (configured and fetched), so messages and logs can scrub them. */
  secrets(): string[];
  attach?(context: AuthAttachContext): void;
  close?(): Promise<void>;
}
