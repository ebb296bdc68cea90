import { z } from 'zod';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { purgeConnectionRecords } from '../../reads/purge-records.js';
import { connectionIdParams, errorResponses, queryFlag } from '../../schemas/common.js';
import { ownedConnection } from './connection-views.js';

const deleteQuery = z.strictObject({
  purge: queryFlag('Also remove the connection\'s records from ClickHouse and its sync state; default false (records are kept).'),
});

/**
 * DELETE /v1/connections/{id}: polling stops at once. Records stay in ClickHouse (and in the
 * unified topics) unless `purge=true`, which also removes the rows from the unified tables and
 * the connection's cursors and state, so creating it again starts from scratch.
 */
export function registerDeleteConnection(app: ZodApp, ctx: ApiContext): void {
  app.delete(
    '/v1/connections/:id',
    {
      config: { access: 'write' },
      schema: {
        tags: ['connections'],
        summary: 'Delete a connection (records kept unless purge=true)',
        params: connectionIdParams,
        querystring: deleteQuery,
        response: { 200: z.object({ id: z.string(), deleted: z.literal(true), purged: z.boolean() }), ...errorResponses(404) },
      },
    },
    async (request) => {
      const connection = ownedConnection(ctx, request, request.params.id);
      const purge = request.query.purge ?? false;
      await ctx.connections.delete(connection.id, { purge }, { owner: caller(request).owner });
      if (purge) await purgeConnectionRecords(ctx.clickhouse, connection.id);
      return { id: connection.id, deleted: true as const, purged: purge };
    },
  );
}
