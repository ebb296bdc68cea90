import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { scopeAllows, type ApiKeyScope } from './api-key-format.js';
import type { ApiKeyStore } from './api-key-store.js';

/** Who is calling: the key's id, its owner (tenant) and its scope. */
export interface AuthContext {
  keyId: string;
  owner: string;
  scope: ApiKeyScope;
  rateLimitPerMinute: number | null;
}

/** A route's access: a scope an API key must have, or `public` (health, OpenAPI, docs). */
export type RouteAccess = ApiKeyScope | 'public';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/**
 * `Authorization: Bearer mr_…` on every route that is not public, before the body is even read.
 * A route without an `access` setting needs an admin key: forgetting to declare one fails closed.
 */
export function registerAuthentication(app: FastifyInstance, keys: ApiKeyStore): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access ?? 'admin';
    if (access === 'public' || request.is404) return;
    const token = bearerToken(request);
    const stored = keys.authenticate(token);
    if (!stored) throw new ApiError('api_key_invalid', 'The API key is not valid (unknown or revoked).');
    request.auth = { keyId: stored.id, owner: stored.owner, scope: stored.scope, rateLimitPerMinute: stored.rate_limit_per_minute };
    if (!scopeAllows(stored.scope, access)) {
      throw new ApiError('scope_insufficient', `This route needs a key with the ${access} scope; this key has ${stored.scope}.`, { details: { needed: access, granted: stored.scope } });
    }
  });
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new ApiError('api_key_missing', 'No Authorization header.');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError('api_key_missing', 'The Authorization header must be `Bearer <API key>`.');
  return match[1]!;
}

/** The caller of an authenticated route (set by the onRequest hook). */
export function caller(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new Error(`route ${request.routeOptions.url} used caller() but is public`);
  return request.auth;
}
