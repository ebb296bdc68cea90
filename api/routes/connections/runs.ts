import { z } from 'zod';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { syncRunSchema } from '../../schemas/connection.js';
import { connectionIdParams, errorResponses } from '../../schemas/common.js';

const runsSchema = z.object({
  status: z.enum(['online', 'offline', 'auth_required', 'paused']),
  streams: z.record(
    z.string(),
    z.object({
      last_run: syncRunSchema.nullable(),
      last_success_at: z.string().nullable(),
      next_run_at: z.string().nullable(),
      last_error: z.object({ code: z.string(), message: z.string(), retriable: z.boolean() }).nullable(),
    }),
  ),
  runs: z.array(syncRunSchema).describe('The most recent runs, newest first, with their errors.'),
});

/** GET /v1/connections/{id}/runs: sync run history with errors, per stream and overall. */
export function registerSyncRuns(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/v1/connections/:id/runs',
    {
      config: { access: 'read' },
      schema: { tags: ['connections'], summary: 'Sync runs and their errors', params: connectionIdParams, response: { 200: runsSchema, ...errorResponses(404) } },
    },
    async (request) => ctx.connections.syncRuns(request.params.id, { owner: caller(request).owner }),
  );
}
