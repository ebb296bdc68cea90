import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT, sendCsrfFailed, sendLogonFailed, sendNoAuthorization, SYSTEM_ID } from './sap-errors.js';

/**
 * How an S/4HANA tenant authenticates API calls: HTTP Basic with a communication user, or a
 * bearer token from the OAuth 2.0 token endpoint (client credentials; `expires_in` comes back as
 * a string, as the ABAP OAuth server sends it). Writes need the CSRF token fetched with
 * `X-CSRF-Token: Fetch` and the session cookies that came with it; a missing, wrong or expired
 * token is refused with 403 and `x-csrf-token: Required`.
 */
export const ODATA_PREFIX = '/sap/opu/odata/sap/';
export const TOKEN_PATH = '/sap/bc/sec/oauth2/token';
export const SESSION_COOKIE = `SAP_SESSIONID_${SYSTEM_ID}_${CLIENT}`;
export const XSRF_COOKIE = `sap-XSRF_${SYSTEM_ID}_${CLIENT}`;

export interface SecurityOptions {
  users: { username: string; password: string }[];
  clients: { clientId: string; clientSecret: string }[];
  tokenTtlSeconds: number;
  csrfTtlSeconds: number;
}

interface Session {
  user: string;
  csrfToken: string;
  expiresAt: number;
}

export class SecurityState {
  /** When true every credential is refused (a locked communication user, a deleted arrangement). */
  revoked = false;
  /** Services the communication arrangement does not cover: 403 /IWFND/CM_CONSUMER/101. */
  readonly deniedServices = new Set<string>();
  readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  readonly sessions = new Map<string, Session>();
  tokenRequests = 0;
  csrfFetches = 0;

  constructor(readonly options: SecurityOptions) {}

  /** Ends every CSRF session, as a session timeout or a system restart does. */
  expireCsrfSessions(): void {
    this.sessions.clear();
  }

  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  issueToken(clientId: string): { token: string; ttl: number } {
    const token = randomBytes(24).toString('hex');
    this.tokens.set(token, { clientId, expiresAt: Date.now() + this.options.tokenTtlSeconds * 1000 });
    this.tokenRequests++;
    return { token, ttl: this.options.tokenTtlSeconds };
  }

  checkClient(clientId: string, secret: string): boolean {
    if (this.revoked) return false;
    return this.options.clients.some((client) => client.clientId === clientId && safeEqual(client.clientSecret, secret));
  }

  /** The user a request authenticates as, or the auth scheme to challenge with. */
  authenticate(header: string | undefined): { user: string } | { challenge: 'Basic' | 'Bearer' } {
    if (header?.startsWith('Bearer ')) {
      const entry = this.tokens.get(header.slice(7).trim());
      if (this.revoked || !entry || entry.expiresAt <= Date.now()) return { challenge: 'Bearer' };
      return { user: entry.clientId };
    }
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      const username = decoded.slice(0, separator);
      const password = decoded.slice(separator + 1);
      const known = this.options.users.some((user) => user.username === username && safeEqual(user.password, password));
      if (separator > 0 && known && !this.revoked) return { user: username };
    }
    return { challenge: 'Basic' };
  }
}

function safeEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0) cookies.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  return cookies;
}

export function serviceOfUrl(url: string): string | undefined {
  if (!url.startsWith(ODATA_PREFIX)) return undefined;
  const segment = url.slice(ODATA_PREFIX.length).split(/[/?]/)[0] ?? '';
  return segment.split(';')[0];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

function checkCsrf(state: SecurityState, request: FastifyRequest, user: string): boolean {
  const cookies = parseCookies(request.headers.cookie);
  const session = state.sessions.get(cookies.get(SESSION_COOKIE) ?? '');
  const token = request.headers['x-csrf-token'];
  if (!session || session.user !== user || session.expiresAt <= Date.now()) return false;
  return typeof token === 'string' && safeEqual(session.csrfToken, token);
}

function issueCsrf(state: SecurityState, reply: FastifyReply, user: string): void {
  const sessionId = randomBytes(20).toString('base64url');
  const csrfToken = randomBytes(16).toString('base64');
  state.sessions.set(sessionId, { user, csrfToken, expiresAt: Date.now() + state.options.csrfTtlSeconds * 1000 });
  state.csrfFetches++;
  reply.header('x-csrf-token', csrfToken);
  reply.header('set-cookie', [
    `${SESSION_COOKIE}=${sessionId}; path=/; secure; HttpOnly`,
    `${XSRF_COOKIE}=${randomBytes(12).toString('base64url')}; path=/sap/opu/odata/; secure; HttpOnly`,
  ]);
}

/** Authentication, authorization and CSRF for every OData request of the tenant. */
export function registerSecurity(app: FastifyInstance, state: SecurityState): void {
  app.addHook('onRequest', async (request, reply) => {
    const service = serviceOfUrl(request.url);
    if (service === undefined) return;
    const identity = state.authenticate(request.headers.authorization);
    if ('challenge' in identity) return sendLogonFailed(reply, identity.challenge);
    if (state.deniedServices.has(service)) return sendNoAuthorization(reply, service);
    if (WRITE_METHODS.has(request.method)) {
      if (!checkCsrf(state, request, identity.user)) return sendCsrfFailed(reply);
    } else if (String(request.headers['x-csrf-token'] ?? '').toLowerCase() === 'fetch') {
      issueCsrf(state, reply, identity.user);
    }
    (request as FastifyRequest & { sapUser?: string }).sapUser = identity.user;
  });
}

export function sapUserOf(request: FastifyRequest): string {
  return (request as FastifyRequest & { sapUser?: string }).sapUser ?? '';
}

/** POST /sap/bc/sec/oauth2/token, grant type client_credentials, client auth by Basic or form body. */
export function registerTokenEndpoint(app: FastifyInstance, state: SecurityState): void {
  app.post(TOKEN_PATH, async (request, reply) => {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    let clientId = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const header = request.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, separator));
      secret = decodeURIComponent(decoded.slice(separator + 1));
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'Grant type not supported' });
    }
    if (!state.checkClient(clientId, secret)) {
      return reply.code(401).send({ error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const { token, ttl } = state.issueToken(clientId);
    return reply.send({ access_token: token, token_type: 'Bearer', expires_in: String(ttl), scope: form.get('scope') ?? '' });
  });
}
