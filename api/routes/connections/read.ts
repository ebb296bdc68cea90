import { z } from 'zod';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { connectionSchema } from '../../schemas/connection.js';
import { connectionIdParams, errorResponses } from '../../schemas/common.js';
import { connectionView, connectionViews, ownedConnection } from './connection-views.js';

const listQuery = z.strictObject({
  system: z.string().min(1).optional().describe('Only connections of this connector.'),
  status: z.enum(['online', 'offline', 'auth_required', 'paused']).optional(),
});

/** GET /v1/connections and /v1/connections/{id}: the caller's connections with status, last sync, next run, lag and record counts. */
export function registerReadConnections(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/v1/connections',
    {
      config: { access: 'read' },
      schema: { tags: ['connections'], summary: 'List connections', querystring: listQuery, response: { 200: z.object({ data: z.array(connectionSchema) }), ...errorResponses() } },
    },
    async (request) => {
      const connections = ctx.connections.list({ owner: caller(request).owner, ...request.query });
      return { data: await connectionViews(ctx, connections) };
    },
  );

  app.get(
    '/v1/connections/:id',
    {
      config: { access: 'read' },
      schema: { tags: ['connections'], summary: 'Get a connection', params: connectionIdParams, response: { 200: connectionSchema, ...errorResponses(404) } },
    },
    async (request) => connectionView(ctx, ownedConnection(ctx, request, request.params.id)),
  );
}
