import { z } from 'zod';
import { connectionWebhookSchema, subscriptionSchema } from '../../../sinks/webhooks/index.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { ApiError } from '../../errors.js';
import { connectionSchema } from '../../schemas/connection.js';
import { errorResponses } from '../../schemas/common.js';
import { connectionView } from './connection-views.js';

const webhookInput = connectionWebhookSchema.omit({ owner: true }).describe('A webhook subscription for this connection\'s events, created with it.');

const createBody = z.strictObject({
  system: z.string().min(1).max(100).describe('The connector id, e.g. sap_s4hana, netsuite, dynamics365_business_central (GET /v1/connectors).'),
  name: z.string().trim().min(1).max(200),
  config: z.record(z.string(), z.unknown()).describe('The connector\'s configuration, secrets included; secrets are encrypted at rest and never shown again.'),
  schedule: z.record(z.string(), z.number().int()).optional().describe('Poll interval in seconds per stream; streams not named use their default.'),
  paused: z.boolean().optional().describe('Create without polling yet.'),
  test: z.boolean().optional().describe('Test host, credentials and permissions first; nothing is created if the test fails.'),
  webhook: webhookInput.optional(),
});

const createdSchema = z.object({
  connection: connectionSchema,
  webhook: z.object({ subscription: subscriptionSchema, secret: z.string().describe('The signing secret: shown this once.') }).nullable(),
});

/**
 * POST /v1/connections: the initial connection flow. Optionally tests the source first, stores
 * the connection (owned by the caller's owner) and subscribes a webhook to its events. If the
 * webhook is refused (e.g. a private address), the connection is removed again and the refusal
 * answered, so a failed request leaves nothing behind.
 */
export function registerCreateConnection(app: ZodApp, ctx: ApiContext): void {
  app.post(
    '/v1/connections',
    {
      config: { access: 'write' },
      schema: { tags: ['connections'], summary: 'Create a connection (and its webhook)', body: createBody, response: { 201: createdSchema, ...errorResponses(422) } },
    },
    async (request, reply) => {
      const { owner } = caller(request);
      const body = request.body;
      if (body.test) {
        const outcome = await ctx.connections.testConnection({ system: body.system, config: body.config });
        if (!outcome.ok) throw new ApiError('connection_test_failed', `The connection test failed: ${outcome.error.message}`, { details: { error: outcome.error } });
      }
      const wantsWebhook = body.webhook !== undefined;
      const created = await ctx.connections.create({
        system: body.system,
        name: body.name,
        config: body.config,
        owner,
        // Held paused until its webhook exists, so a refused webhook leaves no polling behind.
        paused: wantsWebhook ? true : (body.paused ?? false),
        ...(body.schedule ? { schedule: body.schedule } : {}),
      });
      let webhook = null;
      if (wantsWebhook) {
        try {
          webhook = await ctx.subscriptions.createForConnection(created.id, { ...body.webhook, owner });
        } catch (error) {
          await ctx.connections.delete(created.id, { purge: true }).catch((cleanup) => request.log.error({ err: cleanup, connection_id: created.id }, 'removing the connection after its webhook was refused failed'));
          throw error;
        }
        if (!body.paused) await ctx.connections.resume(created.id);
      }
      const connection = ctx.connections.get(created.id);
      return reply.code(201).send({ connection: await connectionView(ctx, connection), webhook });
    },
  );
}
