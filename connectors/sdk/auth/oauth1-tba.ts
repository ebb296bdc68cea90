import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { parseQueryPairs } from '../url.js';
import type { AuthProvider, AuthRequest } from './types.js';

export interface OAuth1TbaOptions {
  /** NetSuite: the account id in upper case with `_` (`1234567_SB1`), not the host's `1234567-sb1`. */
  realm: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/**
 * OAuth 1.0a with HMAC-SHA256 (RFC 5849; NetSuite token-based authentication), signed by the
 * `oauth-1.0a` library. The signature base string covers the method, the URL without its
 * query, and every query and form parameter; `realm` goes in the header only, unsigned. The
 * tokens do not expire and cannot be refreshed, so a 401 is `auth` at once.
 */
export function oauth1Tba(options: OAuth1TbaOptions): AuthProvider {
  const oauth = new OAuth({
    consumer: { key: options.consumerKey, secret: options.consumerSecret },
    signature_method: 'HMAC-SHA256',
    realm: options.realm,
    hash_function: (baseString, key) => createHmac('sha256', key).update(baseString).digest('base64'),
  });
  const token = { key: options.tokenId, secret: options.tokenSecret };
  return {
    kind: 'oauth1_tba',
    async apply(request) {
      const signed = oauth.authorize({ url: baseUrlOf(request.url), method: request.method, data: signedParameters(request) }, token);
      request.headers.authorization = oauth.toHeader(signed).Authorization;
    },
    // The consumer key and token id are not secrets by RFC 5849, but NetSuite treats them as credentials.
    secrets: () => [options.consumerSecret, options.tokenSecret, options.consumerKey, options.tokenId],
  };
}

/** RFC 5849 §3.4.1.2: scheme and host lower case, default port dropped (WHATWG URL does both), no query. */
function baseUrlOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * The query's and the form body's parameters, decoded (RFC 5849 §3.4.1.3.1). The library gets
 * them as data rather than inside the URL because it would not read a `+` as a space.
 */
function signedParameters(request: AuthRequest): Record<string, string | string[]> {
  const parameters: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const existing = parameters[name];
    parameters[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  };
  for (const [name, value] of parseQueryPairs(request.url)) add(name, value);
  for (const [name, value] of Object.entries(request.form ?? {})) add(name, value);
  return parameters;
}
