import { z } from 'zod';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { ApiError } from '../../errors.js';
import { connectionSchema } from '../../schemas/connection.js';
import { connectionIdParams, errorResponses } from '../../schemas/common.js';
import { connectionView, ownedConnection } from './connection-views.js';

const syncBody = z
  .strictObject({ stream: z.string().min(1).optional().describe('One stream; default: every stream of the connection.') })
  .nullish()
  .describe('Optional: without a body, every stream syncs.');

const resyncBody = z
  .strictObject({
    stream: z.string().min(1).optional().describe('The stream to read again from the beginning.'),
    entity: z.string().min(1).optional().describe('Or: every stream of this entity (purchase_order, work_order …).'),
  })
  .refine((body) => (body.stream === undefined) !== (body.entity === undefined), 'give exactly one of stream and entity');

/**
 * Pause, resume, sync now, and full resync per stream or entity. Each answers the connection as
 * it is after the request was stored; the owning worker picks the request up within a second.
 */
export function registerConnectionControl(app: ZodApp, ctx: ApiContext): void {
  const route = { config: { access: 'write' as const }, schema: { tags: ['connections'], params: connectionIdParams } };
  const answer = { 200: connectionSchema, ...errorResponses(404) };

  app.post('/v1/connections/:id/pause', { ...route, schema: { ...route.schema, summary: 'Pause polling', response: answer } }, async (request) => {
    await ctx.connections.pause(request.params.id, { owner: caller(request).owner });
    return connectionView(ctx, ctx.connections.get(request.params.id));
  });

  app.post('/v1/connections/:id/resume', { ...route, schema: { ...route.schema, summary: 'Resume polling', response: answer } }, async (request) => {
    await ctx.connections.resume(request.params.id, { owner: caller(request).owner });
    return connectionView(ctx, ctx.connections.get(request.params.id));
  });

  app.post(
    '/v1/connections/:id/sync',
    { ...route, schema: { ...route.schema, summary: 'Sync now, from the current cursors', body: syncBody, response: { 202: connectionSchema, ...errorResponses(404) } } },
    async (request, reply) => {
      await ctx.connections.syncNow(request.params.id, request.body?.stream, { owner: caller(request).owner });
      return reply.code(202).send(await connectionView(ctx, ctx.connections.get(request.params.id)));
    },
  );

  app.post(
    '/v1/connections/:id/resync',
    { ...route, schema: { ...route.schema, summary: 'Full resync of one stream or entity', body: resyncBody, response: { 202: connectionSchema, ...errorResponses(404) } } },
    async (request, reply) => {
      const scope = { owner: caller(request).owner };
      const connection = ownedConnection(ctx, request, request.params.id);
      const streams = request.body.stream !== undefined ? [request.body.stream] : connection.streams.filter((stream) => stream.entity === request.body.entity).map((stream) => stream.name);
      if (streams.length === 0) {
        const entities = [...new Set(connection.streams.map((stream) => stream.entity))];
        throw new ApiError('stream_unknown', `${connection.system} has no stream for entity ${request.body.entity}; its entities are ${entities.join(', ')}.`, {
          issues: [{ path: 'body.entity', message: `not an entity of this connection (${entities.join(', ')})` }],
        });
      }
      for (const stream of streams) await ctx.connections.fullResync(connection.id, stream, scope);
      return reply.code(202).send(await connectionView(ctx, ctx.connections.get(connection.id)));
    },
  );
}
