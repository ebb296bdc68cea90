/**
 * Keeps credentials out of error messages, error bodies and log lines. Two nets: query
 * parameters whose names say "secret" are blanked in every URL we print, and the literal values
 * of the connection's credentials (and the tokens fetched with them) are replaced wherever they
 * appear, e.g. when a source echoes the Authorization header back in its error body.
 */

export const REDACTED = '[redacted]';

/** Query parameter names (lower case, `-`/`_` ignored) whose values are never printed. */
const SECRET_QUERY_NAMES = new Set([
  'apikey',
  'accesskey',
  'accesstoken',
  'secretkey',
  'secret',
  'clientsecret',
  'token',
  'refreshtoken',
  'idtoken',
  'sessiontoken',
  'sessionid',
  'password',
  'passwd',
  'pwd',
  'signature',
  'sig',
  'oauthsignature',
  'oauthtoken',
  'code',
  'key',
  'auth',
  'authorization',
  'xamzsignature',
  'xamzcredential',
  'xamzsecuritytoken',
]);

/** Parts of names that mark a secret wherever they appear (`newPassword`, `x_client_secret`); paging tokens are not among them. */
const SECRET_NAME_PARTS = /password|passwd|secret|apikey|accesskey|privatekey|accesstoken|refreshtoken|idtoken|sessiontoken|authtoken|bearertoken/;

export function isSecretQueryName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_QUERY_NAMES.has(normalized) || SECRET_NAME_PARTS.test(normalized);
}

/** Field names in JSON bodies whose values are secrets (narrower than query names: `code` or `key` are ordinary there). */
export function isSecretFieldName(name: string): boolean {
  return SECRET_NAME_PARTS.test(name.toLowerCase().replace(/[-_]/g, '')) || name.toLowerCase() === 'token';
}

/** Headers a caller may set per request whose values are credentials (session cookies, CSRF tokens, keys). */
export function isSecretHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'authorization' || lower === 'proxy-authorization' || lower === 'cookie' || /token|apikey|api-key|secret|password|session/.test(lower);
}

/**
 * Secret values a request itself carries, beyond the connection's credentials: secret-named
 * query parameters, form fields and headers (a session cookie, a CSRF token), and secret-named
 * fields of a JSON body (a login's password).
 * A source echoing the request in its error body must not bring them back into a message.
 */
export function secretsInRequest(query: readonly [string, string][], form: Record<string, string> | undefined, body: unknown, headers: Record<string, string> = {}): string[] {
  const found = [...query, ...Object.entries(form ?? {})].filter(([name]) => isSecretQueryName(name)).map(([, value]) => value);
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeaderName(name)) continue;
    found.push(value);
    // Each cookie on its own too (SAP session cookies), and the credential after an auth scheme.
    if (name.toLowerCase() === 'cookie') found.push(...value.split(';').map((pair) => pair.slice(pair.indexOf('=') + 1).trim()));
    const scheme = /^(?:Basic|Bearer|OAuth|Token)\s+(.+)$/i.exec(value);
    if (scheme) found.push(scheme[1]!);
  }
  const walk = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    for (const [name, inner] of Object.entries(value)) {
      if (typeof inner === 'string' && isSecretFieldName(name)) found.push(inner);
      else walk(inner, depth + 1);
    }
  };
  walk(body, 0);
  return found;
}

/**
 * A URL safe to print: user info removed and secret-looking query values replaced. Works on
 * the raw string so that the rest of the URL reads exactly as it was sent.
 */
export function redactUrl(url: string, extraSecretNames: readonly string[] = []): string {
  const extra = new Set(extraSecretNames.map((name) => name.toLowerCase()));
  const withoutUserInfo = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
  const queryAt = withoutUserInfo.indexOf('?');
  if (queryAt === -1) return withoutUserInfo;
  const hashAt = withoutUserInfo.indexOf('#', queryAt);
  const head = withoutUserInfo.slice(0, queryAt + 1);
  const query = withoutUserInfo.slice(queryAt + 1, hashAt === -1 ? undefined : hashAt);
  const redacted = query
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      if (equals === -1) return part;
      const rawName = part.slice(0, equals);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      return isSecretQueryName(name) || extra.has(name.toLowerCase()) ? `${rawName}=${REDACTED}` : part;
    })
    .join('&');
  return head + redacted; // the fragment is dropped: it never reaches the server anyway
}

/** The spellings a secret may take in text: as is, percent-encoded, form-encoded. */
function variants(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  return [...new Set([secret, encoded, encoded.replace(/%20/g, '+')])];
}

/**
 * Replaces every occurrence of the given secrets in `text`. Secrets shorter than 4 characters
 * are ignored: replacing them would mangle ordinary words without protecting anything.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  const all = secrets
    .filter((secret) => typeof secret === 'string' && secret.length >= 4)
    .flatMap(variants)
    .sort((a, b) => b.length - a.length); // longest first, so a secret inside another goes too
  for (const secret of all) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}
