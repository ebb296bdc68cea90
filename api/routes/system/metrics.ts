import type { ApiContext, ZodApp } from '../../context.js';

/**
 * GET /metrics: Prometheus text format from the registry the stages feed (records captured,
 * lag, dead letters, webhook outcomes: see platform/metrics.ts). No key needed: expose the API
 * port only where your Prometheus runs, as usual for /metrics.
 */
export function registerMetrics(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/metrics',
    { config: { access: 'public', rateLimit: false }, schema: { tags: ['system'], summary: 'Prometheus metrics', security: [] } },
    async (_request, reply) => {
      if (!ctx.metrics) return reply.code(200).type('text/plain; version=0.0.4').send('');
      const body = await ctx.metrics.metrics();
      return reply.code(200).type(ctx.metrics.contentType).send(body);
    },
  );
}
