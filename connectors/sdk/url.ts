/**
 * URL building for the HTTP client. Query strings are written with RFC 3986 percent-encoding
 * (a space is `%20`, a `+` is `%2B`), never the form encoding of URLSearchParams, because OData
 * servers and OAuth 1.0a signatures read `+` differently; one unambiguous spelling avoids both.
 */

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];
export type Query = Record<string, QueryValue>;

/** Characters left readable in query components: legal there (RFC 3986 `pchar`) and common in OData. */
const KEEP = /%(24|2C|3A|40|2F)/g;
const KEPT: Record<string, string> = { '%24': '$', '%2C': ',', '%3A': ':', '%40': '@', '%2F': '/' };

export function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(KEEP, (match) => KEPT[match] ?? match);
}

/** `name=value` pairs of a query (undefined and null values are left out; arrays repeat the name). */
export function queryPairs(query: Query | undefined): [string, string][] {
  if (!query) return [];
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) pairs.push([name, String(item)]);
  }
  return pairs;
}

/** Appends parameters to a URL string, keeping the existing query string byte for byte. */
export function appendQuery(url: string, pairs: readonly [string, string][]): string {
  if (pairs.length === 0) return url;
  const hashAt = url.indexOf('#');
  const withoutHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const encoded = pairs.map(([name, value]) => `${encodeQueryComponent(name)}=${encodeQueryComponent(value)}`).join('&');
  const separator = !withoutHash.includes('?') ? '?' : withoutHash.endsWith('?') || withoutHash.endsWith('&') ? '' : '&';
  return `${withoutHash}${separator}${encoded}`;
}

/**
 * Parses a query string into decoded pairs the way RFC 5849 §3.4.1.3.1 (and every form decoder)
 * does: split on `&`, then `=`, `+` read as a space, percent escapes decoded.
 */
export function parseQueryPairs(url: string): [string, string][] {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return [];
  const hashAt = url.indexOf('#', queryAt);
  const raw = url.slice(queryAt + 1, hashAt === -1 ? undefined : hashAt);
  if (raw === '') return [];
  return raw.split('&').filter(Boolean).map((part) => {
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    const value = equals === -1 ? '' : part.slice(equals + 1);
    return [decodeFormComponent(name), decodeFormComponent(value)];
  });
}

function decodeFormComponent(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // a stray `%` is kept literally rather than failing the request
  }
}

/**
 * Resolves a request path against the client's base URL. `path` is appended to the base URL
 * (a leading `/` is optional and does not jump to the host root) unless it is an absolute
 * `http(s)://` URL, such as an OData `__next` or `@odata.nextLink`.
 */
export function resolveUrl(baseUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return new URL(path).toString();
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const relative = path.startsWith('/') ? path.slice(1) : path;
  return new URL(`${base}${relative}`).toString();
}
