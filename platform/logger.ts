import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are blanked out wherever they appear in a log object (compared without
 * case), up to REDACTED_DEPTH objects deep. Secrets must never reach a log line; the redaction
 * is the backstop, not the plan: code should not log credentials at all. Session and CSRF
 * tokens are credentials too (SAP's `x-csrf-token`, a source's `set-cookie`).
 */
export const REDACTED_KEYS = [
  'password',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'client_secret',
  'clientSecret',
  'apiKey',
  'api_key',
  'x-api-key',
  'credentials',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
  'csrfToken',
  'csrf_token',
  'sessionToken',
  'session_token',
  'sessionId',
  'session_id',
] as const;

/** Objects deeper than this are left as they are; log objects are shallow in practice. */
export const REDACTED_DEPTH = 8;

const CENSOR = '[redacted]';
const SECRET_KEYS = new Set<string>(REDACTED_KEYS.map((key) => key.toLowerCase()));

/**
 * Besides the listed keys, any key that names a secret by its parts: connector configs call
 * theirs `consumerSecret`, `tokenSecret`, `privateKeyPem`, `proxyPassword`, and a new connector's
 * `webhookSigningSecret` must not need a line here to stay out of the logs.
 */
const SECRET_KEY_PATTERN = /secret|passw(or)?d|private_?key|passphrase|token$/;

export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEYS.has(lower) || SECRET_KEY_PATTERN.test(lower);
}

/**
 * A copy of `value` with the value of every REDACTED_KEYS key (any case, any depth up to
 * REDACTED_DEPTH, inside plain objects, arrays and errors) replaced by `[redacted]`; `value`
 * itself when nothing matched, so a clean log object costs one walk and no copy. This replaces
 * pino's path redaction: fast-redact has no any-depth wildcard, and one path per key and depth
 * (96 paths to reach three levels) made every log line ~8x slower than logging unredacted.
 */
export function redactSecrets(value: unknown, depth = 0, seen = new Set<object>()): unknown {
  if (value === null || typeof value !== 'object' || depth > REDACTED_DEPTH || seen.has(value)) return value;
  if (!isWalkable(value)) return value;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      value.forEach((item, index) => {
        const redacted = redactSecrets(item, depth + 1, seen);
        if (redacted !== item) (copy ??= [...value])[index] = redacted;
      });
      return copy ?? value;
    }
    let copy: Record<string, unknown> | null = null;
    // An error's cause is not enumerable but pino's err serializer prints it.
    const keys = value instanceof Error && Object.hasOwn(value, 'cause') ? [...Object.keys(value), 'cause'] : Object.keys(value);
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      const redacted = isSecretKey(key) ? CENSOR : redactSecrets(item, depth + 1, seen);
      if (redacted !== item) (copy ??= cloneKeepingPrototype(value))[key] = redacted;
    }
    return copy ?? value;
  } finally {
    seen.delete(value);
  }
}

/** Plain objects, arrays and errors; not Buffers, Dates, Maps or class instances of libraries. */
function isWalkable(value: object): boolean {
  if (Array.isArray(value) || value instanceof Error) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Keeps an error's class, message and stack (not enumerable) for pino's err serializer. */
function cloneKeepingPrototype(value: object): Record<string, unknown> {
  return Object.defineProperties(Object.create(Object.getPrototypeOf(value)), Object.getOwnPropertyDescriptors(value));
}

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; default stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    name: options.name ?? 'millrace',
    // Every logged object; children's bindings are redacted by withRedactedChildren.
    formatters: { log: (object: Record<string, unknown>) => redactSecrets(object) as Record<string, unknown> },
    base: { pid: process.pid },
  };
  return withRedactedChildren(options.destination ? pino(settings, options.destination) : pino(settings));
}

/**
 * Redacts the bindings of every child (`logger.child({ config })`) as they are given: pino prints
 * them into every line of the child without the log formatter, and gives children no bindings
 * formatter of their own. Children are prototypes of their parent, so they inherit this `child`.
 */
function withRedactedChildren(logger: Logger): Logger {
  const pinoChild = logger.child;
  logger.child = function child(this: Logger, bindings, childOptions) {
    return pinoChild.call(this, redactSecrets(bindings) as typeof bindings, childOptions);
  } as Logger['child'];
  return logger;
}
