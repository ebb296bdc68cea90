import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignJWT, jwtVerify } from 'jose';
import { INVALID_CREDENTIALS_MESSAGE, sendBcError } from './bc-errors.js';

/**
 * Microsoft identity platform client-credentials tokens (`POST /{tenant}/oauth2/v2.0/token`) and
 * their check on the API. Token errors use the identity platform's body
 * (`error`, `error_description` with the AADSTS code, `error_codes`, `trace_id`, `correlation_id`);
 * API 401s use Business Central's body with code `Authentication_InvalidCredentials` and a
 * `WWW-Authenticate: Bearer` challenge.
 */
export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
}

export interface AuthState {
  tenantId: string;
  clients: SandboxClient[];
  tokenTtlSeconds: number;
  /** Revoked: the token endpoint refuses the secret and the API refuses every token already issued. */
  revoked: boolean;
  tokensIssued: number;
  /** Tokens carry the generation they were issued in; expiring all tokens starts a new one. */
  generation: number;
}

const signingKey = randomBytes(32);

function identityError(reply: FastifyReply, status: number, error: string, aadsts: number, description: string): FastifyReply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace('Z', 'Z');
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send({
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  });
}

export async function handleTokenRequest(state: AuthState, request: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const form = (request.body ?? {}) as Record<string, string | undefined>;
  if (request.params.tenant !== state.tenantId) {
    return identityError(reply, 400, 'invalid_request', 90002, `Tenant '${request.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  }
  if (form.grant_type !== 'client_credentials') {
    return identityError(reply, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.grant_type ?? ''}'.`);
  }
  const client = state.clients.find((candidate) => candidate.clientId === form.client_id);
  if (!client) {
    return identityError(reply, 400, 'unauthorized_client', 700016, `Application with identifier '${form.client_id ?? ''}' was not found in the directory '${state.tenantId}'.`);
  }
  if (state.revoked || form.client_secret !== client.clientSecret) {
    return identityError(reply, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`);
  }
  if (form.scope !== BC_SCOPE) {
    return identityError(reply, 400, 'invalid_scope', 1002012, `The provided value for scope ${form.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ tid: state.tenantId, appid: client.clientId, roles: ['API.ReadWrite.All'], gen: state.generation })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience('https://api.businesscentral.dynamics.com')
    .setIssuer(`https://sts.windows.net/${state.tenantId}/`)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + state.tokenTtlSeconds)
    .setJti(randomUUID())
    .sign(signingKey);
  state.tokensIssued++;
  return reply.header('cache-control', 'no-store, no-cache').send({
    token_type: 'Bearer',
    expires_in: state.tokenTtlSeconds,
    ext_expires_in: state.tokenTtlSeconds,
    access_token: token,
  });
}

/** Checks the API request's bearer token; answers 401 and returns false when it is not good. */
export async function checkBearer(state: AuthState, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const header = request.headers.authorization ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  let valid = false;
  if (token && !state.revoked) {
    try {
      const { payload } = await jwtVerify(token, signingKey, { audience: 'https://api.businesscentral.dynamics.com' });
      valid = payload.tid === state.tenantId && payload.gen === state.generation;
    } catch {
      valid = false;
    }
  }
  if (valid) return true;
  reply.header('www-authenticate', `Bearer authorization_uri="https://login.microsoftonline.com/${state.tenantId}/oauth2/authorize", resource_id="https://api.businesscentral.dynamics.com", error="invalid_token"`);
  sendBcError(reply, 401, 'Authentication_InvalidCredentials', INVALID_CREDENTIALS_MESSAGE);
  return false;
}
