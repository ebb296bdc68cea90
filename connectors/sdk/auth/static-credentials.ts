import { appendQuery } from '../url.js';
import type { AuthProvider } from './types.js';

/**
 * Credentials that never change during a connection's life: HTTP Basic (SAP communication
 * users, Limble), API keys (Maximo `apikey`), fixed bearer tokens. A 401 with these cannot be
 * fixed by retrying, so they have no `onUnauthorized`: the client throws `auth` at once.
 */

/** `Authorization: Basic base64(username:password)` (RFC 7617, UTF-8). */
export function basicAuth(username: string, password: string): AuthProvider {
  const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  return {
    kind: 'basic',
    async apply(request) {
      request.headers.authorization = `Basic ${encoded}`;
    },
    // The base64 form counts too: a source echoing the header would otherwise leak the password.
    secrets: () => [password, encoded],
  };
}

export type ApiKeyPlacement = { header: string; prefix?: string } | { query: string };

/** An API key in a header (`{ header: 'apikey' }`, optionally with a prefix) or a query parameter (`{ query: 'apikey' }`). */
export function apiKeyAuth(placement: ApiKeyPlacement, key: string): AuthProvider {
  return {
    kind: 'api_key',
    async apply(request) {
      if ('query' in placement) {
        request.url = appendQuery(request.url, [[placement.query, key]]);
        return;
      }
      request.headers[placement.header.toLowerCase()] = `${placement.prefix ?? ''}${key}`;
    },
    secrets: () => [key],
  };
}

/** `Authorization: Bearer <token>` with a token issued outside Millrace (a personal access token). */
export function bearerToken(token: string): AuthProvider {
  return {
    kind: 'api_key',
    async apply(request) {
      request.headers.authorization = `Bearer ${token}`;
    },
    secrets: () => [token],
  };
}
