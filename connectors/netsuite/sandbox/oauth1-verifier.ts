import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifies NetSuite token-based authentication (OAuth 1.0a, RFC 5849) on its own, with node:crypto,
 * so a signing bug in the client cannot hide behind the same library on both sides:
 * HMAC-SHA256 over `METHOD&enc(base URL)&enc(sorted params)`, where params are the oauth_*
 * header values (without realm and oauth_signature) plus the query string parameters; the key is
 * `enc(consumerSecret)&enc(tokenSecret)`. The realm must name the account (`1234567_SB1`), the
 * timestamp must be within the allowed skew and a nonce may be used once per consumer and token.
 */
export interface TbaCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface Oauth1Request {
  method: string;
  /** `http://127.0.0.1:4010` or `https://1234567-sb1.suitetalk.api.netsuite.com`: scheme + host as received. */
  origin: string;
  /** Path and raw query string, exactly as on the request line. */
  url: string;
  authorization: string | undefined;
}

export type Oauth1Outcome = { ok: true; credentials: TbaCredentials } | { ok: false; reason: string };

export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `OAuth realm="X", oauth_consumer_key="…"` → map of decoded values; undefined if not an OAuth header. */
export function parseOauthHeader(header: string): Map<string, string> | undefined {
  const match = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!match) return undefined;
  const params = new Map<string, string>();
  for (const part of match[1]!.split(',')) {
    const pair = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!pair) continue;
    params.set(decodeURIComponent(pair[1]!), decodeURIComponent(pair[2]!));
  }
  return params;
}

function queryParams(url: string): [string, string][] {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  if (!query) return [];
  return query.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    return [decodeURIComponent(key), decodeURIComponent(value)];
  });
}

/** RFC 5849 §3.4.1.2: lowercase scheme and host, default ports dropped, no query. */
export function baseStringUri(origin: string, url: string): string {
  const parsed = new URL(url.split('?')[0]!, origin);
  const defaultPort = (parsed.protocol === 'http:' && parsed.port === '80') || (parsed.protocol === 'https:' && parsed.port === '443');
  const host = parsed.hostname.toLowerCase() + (parsed.port && !defaultPort ? `:${parsed.port}` : '');
  return `${parsed.protocol.toLowerCase()}//${host}${parsed.pathname}`;
}

export function signatureBaseString(method: string, origin: string, url: string, oauthParams: Map<string, string>): string {
  const params: [string, string][] = [
    ...[...oauthParams].filter(([key]) => key !== 'realm' && key !== 'oauth_signature'),
    ...queryParams(url),
  ].map(([key, value]) => [percentEncode(key), percentEncode(value)]);
  params.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = params.map(([key, value]) => `${key}=${value}`).join('&');
  return `${method.toUpperCase()}&${percentEncode(baseStringUri(origin, url))}&${percentEncode(normalized)}`;
}

export interface Oauth1VerifierOptions {
  /** Account id as the realm must carry it: uppercase, underscore (`1234567_SB1`). */
  realm: string;
  credentials: () => readonly TbaCredentials[];
  now: () => number;
  maxSkewSeconds: number;
}

export class Oauth1Verifier {
  /** consumerKey|tokenId → nonce → timestamp seen; entries older than the skew window are pruned. */
  private readonly nonces = new Map<string, Map<string, number>>();
  private lastPruneSeconds = 0;

  constructor(private readonly options: Oauth1VerifierOptions) {}

  verify(request: Oauth1Request): Oauth1Outcome {
    if (!request.authorization) return { ok: false, reason: 'no Authorization header' };
    const params = parseOauthHeader(request.authorization);
    if (!params) return { ok: false, reason: 'not an OAuth header' };
    if (params.get('realm') !== this.options.realm) return { ok: false, reason: `realm must be ${this.options.realm}` };
    if (params.get('oauth_signature_method') !== 'HMAC-SHA256') return { ok: false, reason: 'signature method must be HMAC-SHA256' };
    const version = params.get('oauth_version');
    if (version !== undefined && version !== '1.0') return { ok: false, reason: 'oauth_version must be 1.0' };
    const credentials = this.options.credentials().find((c) => c.consumerKey === params.get('oauth_consumer_key') && c.tokenId === params.get('oauth_token'));
    if (!credentials) return { ok: false, reason: 'unknown or revoked consumer key / token' };
    const timestamp = Number(params.get('oauth_timestamp'));
    const nowSeconds = Math.floor(this.options.now() / 1000);
    if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > this.options.maxSkewSeconds) return { ok: false, reason: 'timestamp outside the allowed skew' };
    const nonce = params.get('oauth_nonce');
    if (!nonce) return { ok: false, reason: 'missing nonce' };
    const expected = createHmac('sha256', `${percentEncode(credentials.consumerSecret)}&${percentEncode(credentials.tokenSecret)}`)
      .update(signatureBaseString(request.method, request.origin, request.url, params))
      .digest();
    const given = Buffer.from(params.get('oauth_signature') ?? '', 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
    // Checked after the signature, so a forged request cannot burn a legitimate client's nonce.
    if (!this.rememberNonce(`${credentials.consumerKey}|${credentials.tokenId}`, nonce, timestamp, nowSeconds)) return { ok: false, reason: 'nonce already used' };
    return { ok: true, credentials };
  }

  private rememberNonce(scope: string, nonce: string, timestamp: number, nowSeconds: number): boolean {
    let seen = this.nonces.get(scope);
    if (!seen) this.nonces.set(scope, (seen = new Map()));
    // Pruned at most once a minute: a timestamp older than the skew window is refused anyway.
    if (nowSeconds - this.lastPruneSeconds >= 60) {
      this.lastPruneSeconds = nowSeconds;
      for (const nonces of this.nonces.values()) for (const [old, at] of nonces) if (nowSeconds - at > this.options.maxSkewSeconds * 2) nonces.delete(old);
    }
    if (seen.has(nonce)) return false;
    seen.set(nonce, timestamp);
    return true;
  }
}
