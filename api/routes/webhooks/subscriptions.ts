import { z } from 'zod';
import { subscriptionCreateSchema, subscriptionSchema, subscriptionUpdateSchema } from '../../../sinks/webhooks/index.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { apiSchemas } from '../../openapi.js';
import { errorResponses } from '../../schemas/common.js';
import { assertOwnedConnections, ownedSubscription } from './webhook-access.js';

const subscription = subscriptionSchema.register(apiSchemas, { id: 'WebhookSubscription' });
const createBody = subscriptionCreateSchema.omit({ owner: true });
const idParams = z.strictObject({ id: z.string().min(1).max(200) });
const withSecret = z.object({ subscription, secret: z.string().describe('The signing secret (whsec_…): shown this once.') });

/**
 * Webhook subscriptions of the caller's owner: create (the signing secret is shown once), list,
 * get, update, delete and secret rotation. The service (sinks/webhooks) checks URLs against
 * private addresses and plain http; this file adds ownership.
 */
export function registerSubscriptionRoutes(app: ZodApp, ctx: ApiContext): void {
  const tags = ['webhooks'];
  app.post(
    '/v1/webhooks',
    { config: { access: 'write' }, schema: { tags, summary: 'Subscribe an endpoint', body: createBody, response: { 201: withSecret, ...errorResponses(404) } } },
    async (request, reply) => {
      assertOwnedConnections(ctx, request, request.body.connection_ids);
      const created = await ctx.subscriptions.create({ ...request.body, owner: caller(request).owner });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'List subscriptions', querystring: z.strictObject({ connection_id: z.string().min(1).optional().describe('Those that receive this connection\'s events.') }), response: { 200: z.object({ data: z.array(subscription) }), ...errorResponses() } },
    },
    async (request) => ({ data: ctx.subscriptions.list({ owner: caller(request).owner, ...(request.query.connection_id ? { connectionId: request.query.connection_id } : {}) }) }),
  );

  app.get(
    '/v1/webhooks/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'Get a subscription', params: idParams, response: { 200: subscription, ...errorResponses(404) } } },
    async (request) => ownedSubscription(ctx, request, request.params.id),
  );

  app.patch(
    '/v1/webhooks/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Update a subscription', params: idParams, body: subscriptionUpdateSchema, response: { 200: subscription, ...errorResponses(404) } } },
    async (request) => {
      ownedSubscription(ctx, request, request.params.id);
      assertOwnedConnections(ctx, request, request.body.connection_ids);
      return ctx.subscriptions.update(request.params.id, request.body);
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Delete a subscription', params: idParams, response: { 200: z.object({ id: z.string(), deleted: z.literal(true) }), ...errorResponses(404) } } },
    async (request) => {
      ownedSubscription(ctx, request, request.params.id);
      await ctx.subscriptions.delete(request.params.id);
      return { id: request.params.id, deleted: true as const };
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Rotate the signing secret',
        params: idParams,
        body: z.strictObject({ grace_seconds: z.number().int().min(0).max(7 * 24 * 3600).optional().describe('How long the old secret keeps signing beside the new one; default 86400.') }).nullish(),
        response: { 200: z.object({ secret: z.string(), previous_expires_at: z.string().nullable() }), ...errorResponses(404) },
      },
    },
    async (request) => {
      ownedSubscription(ctx, request, request.params.id);
      const grace = request.body?.grace_seconds;
      return ctx.subscriptions.rotateSecret(request.params.id, grace === undefined ? {} : { graceSeconds: grace });
    },
  );
}
