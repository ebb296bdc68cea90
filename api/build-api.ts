import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyError } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { v7 as uuidv7 } from 'uuid';
import { ENTITY_PLURALS } from '../schemas/entities.js';
import { registerAuthentication } from './auth/authenticate.js';
import { resolveContext, type ApiDeps, type ZodApp } from './context.js';
import { toApiError } from './error-mapping.js';
import { ApiError, errorBody } from './errors.js';
import { registerOpenApi } from './openapi.js';
import { registerRoutes } from './routes/index.js';

/**
 * The HTTP API as a fastify instance, not yet listening: `await app.listen({ host, port })`.
 * Every route validates params, query and body with zod (unknown fields refused), answers
 * errors from the catalogue (errors.ts) and appears in the OpenAPI document at /openapi.json.
 */
export async function buildApi(deps: ApiDeps): Promise<ZodApp> {
  const ctx = resolveContext(deps);
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }),
    // Requests are logged by the onResponse hook below (debug, warn for 5xx), not twice at info.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.settings.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => uuidv7(),
    return503OnClosing: true,
    rewriteUrl: (request) => snakeCaseAlias(request.url ?? '/'),
  }).withTypeProvider<ZodTypeProvider>() as unknown as ZodApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await registerOpenApi(app);
  registerAuthentication(app, ctx.apiKeys);
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    max: (request) => request.auth?.rateLimitPerMinute ?? ctx.settings.rateLimitPerMinute,
    keyGenerator: (request) => request.auth?.keyId ?? `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new ApiError('rate_limited', `Too many requests: at most ${context.max} per minute for this key. Retry in ${context.after}.`, { details: { limit_per_minute: context.max } }),
  });
  app.addHook('onResponse', async (request, reply) => {
    const fields = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), key: request.auth?.keyId };
    if (reply.statusCode >= 500) request.log.warn(fields, 'request failed');
    else request.log.debug(fields, 'request');
  });
  await registerRoutes(app, ctx);
  return app;
}

/** `/v1/purchase_orders…` is accepted as well as `/v1/purchase-orders…` (the table and topic spelling). */
const SNAKE_PATHS = Object.values(ENTITY_PLURALS)
  .filter((plural) => plural.includes('_'))
  .map((plural) => ({ from: `/v1/${plural}`, to: `/v1/${plural.replace(/_/g, '-')}` }));

function snakeCaseAlias(url: string): string {
  for (const { from, to } of SNAKE_PATHS) {
    if (url === from || url.startsWith(`${from}/`) || url.startsWith(`${from}?`)) return to + url.slice(from.length);
  }
  return url;
}

function registerErrorHandling(app: ZodApp): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const mapped = toApiError(error);
    if (!mapped) {
      // Unknown failures are logged with their stack; the caller gets the code and request id only.
      request.log.error({ err: error, url: request.url, method: request.method }, 'unhandled API error');
      const internal = new ApiError('internal_error', 'The server failed to answer this request.');
      return reply.code(500).type('application/json').send(errorBody(internal, request.id));
    }
    if (mapped.status >= 500) request.log.warn({ code: mapped.code, message: mapped.message }, 'API error');
    for (const [name, value] of Object.entries(mapped.extra.headers ?? {})) reply.header(name, value);
    return reply.code(mapped.status).type('application/json').send(errorBody(mapped, request.id));
  });
  app.setNotFoundHandler({}, async (request, reply) => {
    const error = new ApiError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
    return reply.code(404).type('application/json').send(errorBody(error, request.id));
  });
}
