import { z } from 'zod';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { connectionIdParams, errorResponses } from '../../schemas/common.js';

const testResult = z.object({
  ok: z.boolean(),
  error: z.object({ code: z.string(), message: z.string(), retriable: z.boolean() }).optional().describe('What the source refused: host (unavailable), credentials (auth) or a permission.'),
});

const draftBody = z.strictObject({
  system: z.string().min(1).max(100),
  config: z.record(z.string(), z.unknown()),
});

/**
 * Tests host, credentials and permissions: of a stored connection, or of a draft before it is
 * created. A refused test is an answer (200, ok: false), not an error of this request.
 */
export function registerTestConnection(app: ZodApp, ctx: ApiContext): void {
  app.post(
    '/v1/connections/test',
    {
      config: { access: 'write' },
      schema: { tags: ['connections'], summary: 'Test a draft connection config', body: draftBody, response: { 200: testResult, ...errorResponses() } },
    },
    async (request) => ctx.connections.testConnection(request.body),
  );

  app.post(
    '/v1/connections/:id/test',
    {
      config: { access: 'write' },
      schema: { tags: ['connections'], summary: 'Test a connection', params: connectionIdParams, response: { 200: testResult, ...errorResponses(404) } },
    },
    async (request) => ctx.connections.testConnection(request.params.id, { owner: caller(request).owner }),
  );
}
