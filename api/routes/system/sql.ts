import { z } from 'zod';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { errorResponses } from '../../schemas/common.js';

/**
 * POST /v1/sql (admin keys): read-only SQL over the unified tables (purchase_orders …, see GET
 * /v1/schemas) and the webhook delivery log, limited to the caller's connections and
 * subscriptions, with a time limit and a row limit.
 */
export function registerSql(app: ZodApp, ctx: ApiContext): void {
  const { sqlMaxRows, sqlTimeoutSeconds } = ctx.settings;
  app.post(
    '/v1/sql',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['sql'],
        summary: 'Run a read-only SQL query',
        body: z.strictObject({
          query: z.string().min(1).max(100_000).describe('One SELECT (ClickHouse SQL), without SETTINGS or FORMAT.'),
          max_rows: z.number().int().min(1).max(sqlMaxRows).optional().describe(`Rows answered at most (default and maximum ${sqlMaxRows}).`),
          timeout_seconds: z.number().int().min(1).max(sqlTimeoutSeconds).optional().describe(`Time limit (default and maximum ${sqlTimeoutSeconds} s).`),
        }),
        response: {
          200: z.object({
            columns: z.array(z.object({ name: z.string(), type: z.string() })),
            rows: z.array(z.record(z.string(), z.unknown())),
            row_count: z.number(),
            truncated: z.boolean().describe('More rows matched than max_rows.'),
            elapsed_ms: z.number(),
          }),
          ...errorResponses(408),
        },
      },
    },
    async (request) => {
      const { owner } = caller(request);
      const scope = {
        connectionIds: ctx.connections.list({ owner }).map((connection) => connection.id),
        subscriptionIds: ctx.subscriptions.list({ owner }).map((subscription) => subscription.id),
      };
      return ctx.sql.run(request.body.query, scope, { maxRows: request.body.max_rows ?? sqlMaxRows, timeoutSeconds: request.body.timeout_seconds ?? sqlTimeoutSeconds });
    },
  );
}
