import { z } from 'zod';
import { API_KEY_SCOPES } from '../../auth/api-key-format.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { apiSchemas } from '../../openapi.js';
import { errorResponses } from '../../schemas/common.js';

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    owner: z.string().describe('The tenant the key acts for: it sees only this owner\'s connections, records and subscriptions.'),
    scope: z.enum(API_KEY_SCOPES).describe('read: reads; write: reads and writes; admin: everything, including keys and SQL.'),
    prefix: z.string().describe('The first characters of the key, to recognise it.'),
    rate_limit_per_minute: z.number().nullable(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .register(apiSchemas, { id: 'ApiKey' });

const createBody = z.strictObject({
  name: z.string().trim().min(1).max(200).describe('What the key is for, e.g. "reporting job".'),
  scope: z.enum(API_KEY_SCOPES),
  rate_limit_per_minute: z.number().int().min(1).max(1_000_000).nullable().optional().describe('Requests per minute; default: the server\'s.'),
});

const idParams = z.strictObject({ id: z.string().min(1).max(100) });

/**
 * API keys of the caller's owner (admin keys only). Several keys may be active at once, so a
 * key is rotated by creating the new one, deploying it, then revoking the old one.
 */
export function registerApiKeyRoutes(app: ZodApp, ctx: ApiContext): void {
  app.post(
    '/v1/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (the key is shown once)',
        body: createBody,
        response: { 201: z.object({ api_key: apiKeySchema, key: z.string().describe('The secret key: store it now, it is never shown again.') }), ...errorResponses() },
      },
    },
    async (request, reply) => {
      const { owner } = caller(request);
      const { key, view } = await ctx.apiKeys.create({ ...request.body, owner });
      return reply.code(201).send({ api_key: view, key });
    },
  );

  app.get(
    '/v1/api-keys',
    { config: { access: 'admin' }, schema: { tags: ['api-keys'], summary: 'List the owner\'s API keys', response: { 200: z.object({ data: z.array(apiKeySchema) }), ...errorResponses() } } },
    async (request) => ({ data: ctx.apiKeys.list(caller(request).owner) }),
  );

  app.get(
    '/v1/api-keys/:id',
    { config: { access: 'admin' }, schema: { tags: ['api-keys'], summary: 'Get an API key', params: idParams, response: { 200: apiKeySchema, ...errorResponses(404) } } },
    async (request) => ctx.apiKeys.get(request.params.id, caller(request).owner),
  );

  app.delete(
    '/v1/api-keys/:id',
    { config: { access: 'admin' }, schema: { tags: ['api-keys'], summary: 'Revoke an API key', params: idParams, response: { 200: apiKeySchema, ...errorResponses(404) } } },
    async (request) => ctx.apiKeys.revoke(request.params.id, caller(request).owner),
  );
}
