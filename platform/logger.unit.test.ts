import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, isSecretKey, REDACTED_KEYS, redactSecrets } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ destination, level: 'debug' }), lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

const SECRET = 'S3cr3t-value-that-must-not-leak';

describe('log redaction', () => {
  it('blanks every secret key at the top level and three objects deep, keeping the other fields', () => {
    const { logger, lines, parsed } = capture();
    for (const key of REDACTED_KEYS) {
      logger.info({ [key]: SECRET, keep: 'top' }, 'top level');
      logger.info({ req: { headers: { [key]: SECRET, accept: 'application/json' } } }, 'nested');
      logger.info({ err: { response: { headers: { [key]: SECRET } } }, status: 401 }, 'deep');
    }
    expect(lines).toHaveLength(REDACTED_KEYS.length * 3);
    expect(lines.join('\n')).not.toContain(SECRET);
    const entries = parsed();
    REDACTED_KEYS.forEach((key, index) => {
      const [top, nested, deep] = entries.slice(index * 3, index * 3 + 3);
      expect(top).toMatchObject({ [key]: '[redacted]', keep: 'top', msg: 'top level' });
      expect(nested!.req.headers).toEqual({ [key]: '[redacted]', accept: 'application/json' });
      expect(deep).toMatchObject({ err: { response: { headers: { [key]: '[redacted]' } } }, status: 401 });
    });
  });

  it("blanks secrets in a child's bindings, at every generation, keeping the other bindings", () => {
    const { logger, lines, parsed } = capture();
    const child = logger.child({ component: 'netsuite', config: { accountId: '1234567', tokenSecret: SECRET } });
    const grandchild = child.child({ connection_id: 'conn_1', credentials: { password: SECRET } }, { level: 'info' });
    child.info('child line');
    grandchild.info({ step: 2 }, 'grandchild line');
    grandchild.debug('below its own level');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(SECRET);
    const [first, second] = parsed();
    expect(first).toMatchObject({ component: 'netsuite', config: { accountId: '1234567', tokenSecret: '[redacted]' }, msg: 'child line' });
    expect(second).toMatchObject({ component: 'netsuite', connection_id: 'conn_1', credentials: '[redacted]', step: 2, msg: 'grandchild line' });
  });

  it('blanks keys that name a secret by their parts, as connector configs spell them', () => {
    const names = ['consumerSecret', 'tokenSecret', 'privateKeyPem', 'private_key', 'proxyPassword', 'db_passwd', 'webhookSigningSecret', 'bearerToken', 'PASSPHRASE'];
    const kept = ['tokenId', 'consumerKey', 'accountId', 'clientId', 'tokens_used', 'display_name'];
    for (const name of names) expect(isSecretKey(name), name).toBe(true);
    for (const name of kept) expect(isSecretKey(name), name).toBe(false);
    const { logger, lines } = capture();
    logger.info({ config: Object.fromEntries([...names, ...kept].map((name) => [name, SECRET])) }, 'config');
    const logged = JSON.parse(lines[0]!).config as Record<string, string>;
    for (const name of names) expect(logged[name]).toBe('[redacted]');
    for (const name of kept) expect(logged[name]).toBe(SECRET);
  });

  it('covers session and CSRF keys, cookies and authorization in any case and inside arrays', () => {
    const { logger, lines, parsed } = capture();
    logger.warn(
      {
        'x-csrf-token': SECRET,
        response: { headers: { 'set-cookie': [`SAP_SESSIONID=${SECRET}; path=/`], 'Set-Cookie': SECRET, Cookie: SECRET } },
        session: { sessionToken: SECRET, session_token: SECRET, expiresIn: 3600 },
        attempts: [{ headers: { Authorization: `Bearer ${SECRET}` }, status: 401 }],
        a: { b: { c: { d: { e: { authorization: SECRET } } } } },
      },
      'source refused the session',
    );
    expect(lines.join('\n')).not.toContain(SECRET);
    const [entry] = parsed();
    expect(entry).toMatchObject({
      'x-csrf-token': '[redacted]',
      response: { headers: { 'set-cookie': '[redacted]', 'Set-Cookie': '[redacted]', Cookie: '[redacted]' } },
      session: { sessionToken: '[redacted]', session_token: '[redacted]', expiresIn: 3600 },
      attempts: [{ headers: { Authorization: '[redacted]' }, status: 401 }],
      a: { b: { c: { d: { e: { authorization: '[redacted]' } } } } },
      msg: 'source refused the session',
    });
  });

  it('redacts fields of a logged error and its cause, keeping message and stack', () => {
    const { logger, lines, parsed } = capture();
    const cause = Object.assign(new Error('login failed'), { headers: { cookie: SECRET } });
    const error = Object.assign(new Error('sync failed', { cause }), { sessionToken: SECRET, code: 'SYNC' });
    logger.child({ component: 'producer' }).error({ err: error }, 'sync failed');
    expect(lines.join('\n')).not.toContain(SECRET);
    const [entry] = parsed();
    expect(entry).toMatchObject({ component: 'producer', err: { type: 'Error', code: 'SYNC', sessionToken: '[redacted]' } });
    expect(entry!.err.message).toMatch(/^sync failed/);
    expect(entry!.err.stack).toContain('sync failed');
    // The caller's objects are left as they were: only the log line is redacted.
    expect(error.sessionToken).toBe(SECRET);
    expect(cause.headers.cookie).toBe(SECRET);
  });

  it('returns a clean object itself, and survives cycles', () => {
    const clean = { a: 1, b: { c: [1, 2, { d: 'x' }] } };
    expect(redactSecrets(clean)).toBe(clean);
    const cyclic: Record<string, unknown> = { token: SECRET };
    cyclic.self = cyclic;
    const redacted = redactSecrets(cyclic) as Record<string, unknown>;
    expect(redacted.token).toBe('[redacted]');
    expect(cyclic.token).toBe(SECRET);
  });
});
