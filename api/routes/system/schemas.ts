import { z } from 'zod';
import { ENTITY_NAMES, ENTITY_PLURALS, isEntityName, type EntityName } from '../../../schemas/entities.js';
import { avroSchemaFor, entityModels, jsonSchemaFor, unifiedSubject, unifiedTopic, WRITABLE_ENTITIES, writeInputJsonSchema, type WritableEntityName } from '../../../schemas/index.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { ApiError } from '../../errors.js';
import { errorResponses } from '../../schemas/common.js';

const entityParams = z.strictObject({ entity: z.string().min(1).max(100).describe('purchase_order (or its plural, purchase_orders / purchase-orders).') });

const listing = z.object({
  registry_url: z.string().nullable().describe('The Confluent-compatible schema registry of the unified topics (Avro).'),
  data: z.array(
    z.object({
      entity: z.string(),
      name: z.string(),
      description: z.string(),
      api_path: z.string(),
      json_schema: z.string().describe('Where to GET its JSON Schema.'),
      topic: z.string().describe('The unified Kafka topic (Avro, Confluent wire format).'),
      subject: z.string().describe('The registry subject of its value schema.'),
      table: z.string().describe('The ClickHouse table (POST /v1/sql).'),
      writable: z.boolean(),
    }),
  ),
});

function entityOf(text: string): EntityName {
  const normalized = text.replace(/-/g, '_');
  const entity = isEntityName(normalized) ? normalized : ENTITY_NAMES.find((name) => ENTITY_PLURALS[name] === normalized);
  if (!entity) throw new ApiError('entity_unknown', `No entity ${text}; entities are ${ENTITY_NAMES.join(', ')}.`);
  return entity;
}

/**
 * The unified model: GET /v1/schemas (entities, their topics, subjects, tables and the registry),
 * GET /v1/schemas/{entity} (JSON Schema 2020-12 of a record), /write/{create|update} (JSON
 * Schema of a write input) and /avro (the Avro schema of the unified topic).
 */
export function registerSchemaRoutes(app: ZodApp, ctx: ApiContext): void {
  const prefix = ctx.topicPrefix ?? 'millrace.';
  const tags = ['schemas'];
  const access = { access: 'read' as const };
  const jsonAnswer = { 200: z.record(z.string(), z.unknown()), ...errorResponses(404) };

  app.get('/v1/schemas', { config: access, schema: { tags, summary: 'Entities of the unified model', response: { 200: listing, ...errorResponses() } } }, async () => ({
    registry_url: ctx.registryUrl ?? null,
    data: ENTITY_NAMES.map((entity) => ({
      entity,
      name: entityModels[entity].name,
      description: entityModels[entity].doc,
      api_path: `/v1/${ENTITY_PLURALS[entity].replace(/_/g, '-')}`,
      json_schema: `/v1/schemas/${entity}`,
      topic: unifiedTopic(prefix, entity),
      subject: unifiedSubject(prefix, entity),
      table: ENTITY_PLURALS[entity],
      writable: (WRITABLE_ENTITIES as readonly string[]).includes(entity),
    })),
  }));

  app.get('/v1/schemas/:entity', { config: access, schema: { tags, summary: 'JSON Schema of a unified record', params: entityParams, response: jsonAnswer } }, async (request) =>
    jsonSchemaFor(entityOf(request.params.entity)),
  );

  app.get(
    '/v1/schemas/:entity/write/:kind',
    { config: access, schema: { tags, summary: 'JSON Schema of a write input', params: entityParams.extend({ kind: z.enum(['create', 'update']) }), response: jsonAnswer } },
    async (request) => {
      const entity = entityOf(request.params.entity);
      if (!(WRITABLE_ENTITIES as readonly string[]).includes(entity)) throw new ApiError('write_not_supported', `${entity} records cannot be written; writable: ${WRITABLE_ENTITIES.join(', ')}.`);
      return writeInputJsonSchema(entity as WritableEntityName, request.params.kind);
    },
  );

  app.get('/v1/schemas/:entity/avro', { config: access, schema: { tags, summary: 'Avro schema of the unified topic', params: entityParams, response: jsonAnswer } }, async (request) =>
    avroSchemaFor(entityOf(request.params.entity)) as unknown as Record<string, unknown>,
  );
}
