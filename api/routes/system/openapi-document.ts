import type { ZodApp } from '../../context.js';

/** GET /openapi.json: the OpenAPI 3.1 document generated from the routes' zod schemas. */
export function registerOpenApiDocument(app: ZodApp): void {
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    return reply.type('application/json').send(JSON.stringify(app.swagger()));
  });
}
