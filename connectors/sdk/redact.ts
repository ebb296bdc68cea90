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

export function isSecretQueryName(name: string): boolean {
  return SECRET_QUERY_NAMES.has(name.toLowerCase().replace(/[-_]/g, ''));
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
