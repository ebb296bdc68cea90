import type { FastifyInstance } from 'fastify';
import { INVALID_LOGIN, sendError } from './errors.js';
import type { Oauth1Verifier } from './oauth1-verifier.js';
import { TOKEN_PATH, type Oauth2Server } from './oauth2-server.js';
import { originOf } from './state.js';

/**
 * Authentication in front of every REST web services call: `Authorization: OAuth …` (TBA) or
 * `Authorization: Bearer …` (OAuth 2.0). Anything else, and every failed check, is the same
 * 401 INVALID_LOGIN body NetSuite sends (the reason shows only in the account's Login Audit
 * Trail, here in `loginAudit`).
 */
export interface LoginAuditEntry {
  at: number;
  method: 'tba' | 'oauth2' | 'none';
  ok: boolean;
  reason?: string;
}

/** Keeps the most recent entries only, so a benchmark's million logins do not pile up. */
const AUDIT_LIMIT = 1000;

export function registerAuth(app: FastifyInstance, oauth1: Oauth1Verifier, oauth2: Oauth2Server, auditLog: LoginAuditEntry[], now: () => number): void {
  const audit = {
    push(entry: LoginAuditEntry): void {
      auditLog.push(entry);
      if (auditLog.length > AUDIT_LIMIT) auditLog.splice(0, auditLog.length - AUDIT_LIMIT);
    },
  };
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (!path.startsWith('/services/rest/') || path === TOKEN_PATH) return;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('OAuth ')) {
      const outcome = oauth1.verify({ method: request.method, origin: originOf(request), url: request.url, authorization });
      audit.push({ at: now(), method: 'tba', ok: outcome.ok, ...(outcome.ok ? {} : { reason: outcome.reason }) });
      if (outcome.ok) return;
    } else if (authorization?.startsWith('Bearer ')) {
      const ok = oauth2.verifyBearer(authorization.slice('Bearer '.length).trim());
      audit.push({ at: now(), method: 'oauth2', ok, ...(ok ? {} : { reason: 'unknown, expired or revoked access token' }) });
      if (ok) return;
    } else {
      audit.push({ at: now(), method: 'none', ok: false, reason: 'no supported Authorization header' });
    }
    return sendError(reply, 401, [INVALID_LOGIN]);
  });

  app.post<{ Body: Record<string, unknown> }>(TOKEN_PATH, async (request, reply) => {
    const outcome = await oauth2.token(request.body ?? {}, `${originOf(request)}${TOKEN_PATH}`);
    audit.push({ at: now(), method: 'oauth2', ok: outcome.status === 200, ...(outcome.status === 200 ? {} : { reason: `token endpoint: ${outcome.body.error}` }) });
    return reply.code(outcome.status).header('content-type', 'application/json').header('cache-control', 'no-store').send(JSON.stringify(outcome.body));
  });
}
