import { z } from 'zod';
import { deliveryQuerySchema } from '../../../sinks/webhooks/index.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { ApiError } from '../../errors.js';
import { errorResponses } from '../../schemas/common.js';
import { ownedSubscription } from './webhook-access.js';

const attemptSchema = z.object({
  attempt_id: z.string(),
  delivery_id: z.string(),
  event_id: z.string().describe('Also the webhook-id header: receivers dedupe on it.'),
  event_type: z.string(),
  subscription_id: z.string(),
  connection_id: z.string().nullable(),
  attempt: z.number(),
  trigger: z.string().describe('event, manual (retry), replay or test.'),
  url: z.string(),
  status_code: z.number().describe('0: no response (timeout, refused, TLS).'),
  duration_ms: z.number(),
  response_body: z.string().describe('The first 2 KB of the answer.'),
  error: z.string(),
  attempted_at: z.string(),
  next_attempt_at: z.string().nullable(),
  outcome: z.enum(['succeeded', 'retrying', 'failed', 'endpoint_disabled', 'skipped']),
  worker_id: z.string(),
});

const idParams = z.strictObject({ id: z.string().min(1).max(200) });
const deliveriesQuery = deliveryQuerySchema.omit({ subscription_id: true });

/** The delivery log of a subscription, manual retry of one delivery, replay of a time range, and test events. */
export function registerDeliveryRoutes(app: ZodApp, ctx: ApiContext): void {
  const tags = ['webhooks'];
  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Delivery attempts, newest first', params: idParams, querystring: deliveriesQuery, response: { 200: z.object({ data: z.array(attemptSchema) }), ...errorResponses(404) } },
    },
    async (request) => {
      ownedSubscription(ctx, request, request.params.id);
      return { data: await ctx.subscriptions.deliveries({ ...request.query, subscription_id: request.params.id }) };
    },
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:delivery_id/retry',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Send one delivery again (same body and webhook-id)',
        params: z.strictObject({ id: z.string().min(1).max(200), delivery_id: z.string().min(1).max(200) }),
        response: { 202: z.object({ delivery_id: z.string().describe('The new delivery; its attempts appear in the log.') }), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      ownedSubscription(ctx, request, request.params.id);
      const [attempt] = await ctx.subscriptions.deliveries({ subscription_id: request.params.id, delivery_id: request.params.delivery_id, limit: 1 });
      if (!attempt) throw new ApiError('webhook_delivery_not_found', `No delivery ${request.params.delivery_id} of subscription ${request.params.id} in the delivery log.`);
      return reply.code(202).send(await ctx.subscriptions.retryDelivery(request.params.delivery_id));
    },
  );

  app.post(
    '/v1/webhooks/:id/replay',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Send again every matching event of a time range',
        params: idParams,
        body: z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }),
        response: { 202: z.object({ scanned: z.number(), queued: z.number() }), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      ownedSubscription(ctx, request, request.params.id);
      return reply.code(202).send(await ctx.subscriptions.replay(request.params.id, request.body));
    },
  );

  app.post(
    '/v1/webhooks/:id/test',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'Send a signed webhook.test event', params: idParams, response: { 202: z.object({ event_id: z.string(), delivery_id: z.string() }), ...errorResponses(404) } },
    },
    async (request, reply) => {
      ownedSubscription(ctx, request, request.params.id);
      return reply.code(202).send(await ctx.subscriptions.sendTestEvent(request.params.id));
    },
  );
}
