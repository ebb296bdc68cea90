import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ZodApp } from './context.js';

/**
 * OpenAPI 3.1 from the routes' zod schemas (@fastify/swagger), served at /openapi.json, with
 * Swagger UI at /docs. Named component schemas come from `apiSchemas` (a registry of the API's
 * own, so the model's schemas in schemas/ keep their plain JSON Schema output).
 */
export const apiSchemas = z.registry<{ id: string }>();

export const OPENAPI_TAGS = [
  { name: 'connections', description: 'Connect source systems, control their syncs, see their health.' },
  { name: 'records', description: 'Unified records per entity, read from ClickHouse; writes back to the source.' },
  { name: 'passthrough', description: 'Authenticated requests to the source system through a connection.' },
  { name: 'webhooks', description: 'Subscriptions, the delivery log, retries and replay.' },
  { name: 'schemas', description: 'The unified model as JSON Schema; the Avro schema registry.' },
  { name: 'sql', description: 'Read-only SQL over the unified tables.' },
  { name: 'api-keys', description: 'API keys of the caller\'s owner.' },
  { name: 'system', description: 'Health, metrics and this document.' },
];

const DOCS_PREFIX = '/docs';

export async function registerOpenApi(app: ZodApp): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Millrace API',
        version: '1',
        description:
          'The unified API for industrial systems (ERP, CMMS, EAM). Authenticate with `Authorization: Bearer mr_…`. ' +
          'Errors answer `{ error: { code, message, fix, issues?, details?, request_id } }`; every code is listed in docs/api-errors.md.',
      },
      tags: OPENAPI_TAGS,
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A Millrace API key, mr_<scope>_…' } } },
      security: [{ apiKey: [] }],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: apiSchemas, skipList: [`${DOCS_PREFIX}/`, `${DOCS_PREFIX}/*`, `${DOCS_PREFIX}/static/*`, `${DOCS_PREFIX}/json`, `${DOCS_PREFIX}/yaml`, `${DOCS_PREFIX}/uiConfig`, `${DOCS_PREFIX}/initOAuth`] }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: apiSchemas }),
  });
  // Swagger UI's own routes are public: they only serve the UI and the document.
  await app.register(async (child) => {
    child.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: 'public' };
    });
    await child.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true, uiConfig: { deepLinking: true } });
  });
}
