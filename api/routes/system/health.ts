import { z } from 'zod';
import type { ApiContext, ZodApp } from '../../context.js';

const checkSchema = z.object({ ok: z.boolean(), detail: z.string().optional() });
const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.record(z.string(), checkSchema).describe('Each dependency: kafka, clickhouse, and the stages this process runs.'),
});

/** GET /healthz: 200 when every dependency answers, 503 with the failing ones otherwise. No key needed. */
export function registerHealth(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public', rateLimit: false },
      schema: { tags: ['system'], summary: 'Health of the API and what it depends on', security: [], response: { 200: healthSchema, 503: healthSchema } },
    },
    async (_request, reply) => {
      const checks: Record<string, { ok: boolean; detail?: string }> = { clickhouse: await clickhouseCheck(ctx) };
      if (ctx.health) Object.assign(checks, await ctx.health().catch((error: Error) => ({ stages: { ok: false, detail: error.message } })));
      const ok = Object.values(checks).every((check) => check.ok);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', checks });
    },
  );
}

async function clickhouseCheck(ctx: ApiContext): Promise<{ ok: boolean; detail?: string }> {
  try {
    await ctx.clickhouse.client.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then((result) => result.json());
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message.slice(0, 200) };
  }
}
