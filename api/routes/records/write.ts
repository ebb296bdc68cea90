import { z } from 'zod';
import type { Logger } from '../../../platform/logger.js';
import { writeInputSchema, type WritableEntityName } from '../../../schemas/index.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { errorResponses, queryFlag, uuidParams } from '../../schemas/common.js';
import { idempotencyKeyOf, replyIdempotently } from '../../writes/idempotent-reply.js';
import { checkSourceRules, executeWrite, writeOperations } from '../../writes/record-writer.js';
import { resolveReferences } from '../../writes/reference-resolver.js';
import { notFound, readableConnections } from './read.js';
import { entityPath } from './record-schemas.js';

const outcomeSchema = z.object({
  id: z.string().describe('The Millrace id the record has (and will have in reads).'),
  entity: z.string(),
  connection_id: z.string(),
  remote_id: z.string().describe('The record\'s key in the source system.'),
  captured: z.boolean().describe('True: the source\'s copy was captured at once and appears in reads within seconds. False: it appears after the next poll.'),
});

const dryRunSchema = z.object({
  dry_run: z.literal(true),
  valid: z.literal(true).describe('The input passed the unified model and the source system\'s rules; nothing was sent to the source.'),
  entity: z.string(),
  connection_id: z.string(),
  input: z.record(z.string(), z.unknown()).describe('The input as it would be written (decimals and timestamps canonical, the remote id of each Millrace id filled in beside it).'),
});

const headers = z.looseObject({
  'idempotency-key': z.string().optional().describe('Makes retries safe: the same key and body within 24 h answer the first result instead of writing again.'),
});

/**
 * POST /v1/{entity}?connection_id= (create) and PATCH /v1/{entity}/{id} (update) for the
 * writable entities: unified input → model validation (400) → Millrace ids resolved to the
 * source's keys within the connection (422 `reference_not_found`) → the source's rules (422) →
 * `dry_run=true` stops there → the connector writes → the record is captured at once. An update
 * is based on the stored record (its remote_data and remote_updated_at): a source with
 * concurrency control refuses it with 409 `source_conflict` when the record changed since.
 */
export function registerRecordWrites(app: ZodApp, ctx: ApiContext, entity: WritableEntityName): void {
  const path = entityPath(entity);
  const tags = ['records'];

  app.post(
    path,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: `Create a ${entity} in the source system`,
        headers,
        querystring: z.strictObject({
          connection_id: z.string().min(1).max(200).describe('The connection (source system) to create the record in.'),
          dry_run: queryFlag('Validate only: nothing is sent to the source.'),
        }),
        body: writeInputSchema(entity, 'create'),
        response: { 201: outcomeSchema, 200: dryRunSchema, ...errorResponses(404, 405, 409, 422, 424, 502, 503) },
      },
    },
    async (request, reply) => {
      const { owner } = caller(request);
      const key = idempotencyKeyOf(request);
      const connection = ctx.connections.get(request.query.connection_id, { owner });
      // A connector that cannot write the entity says so (405) before any lookup.
      const operations = writeOperations(ctx.connector(connection.system), entity, 'create');
      const input = await resolveReferences(ctx.records, entity, connection.id, request.body as unknown as Record<string, unknown>);
      checkSourceRules(operations, input, 'create');
      if (request.query.dry_run) return reply.code(200).send({ dry_run: true as const, valid: true as const, entity, connection_id: connection.id, input });
      return replyIdempotently(ctx, request, reply, owner, key, 201, () =>
        executeWrite(ctx.connections, { entity, kind: 'create', connectionId: connection.id, system: connection.system, input, ...(key ? { idempotencyKey: key } : {}) }, request.log as unknown as Logger),
      );
    },
  );

  app.patch(
    `${path}/:id`,
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: `Update a ${entity} in the source system`,
        headers,
        params: uuidParams,
        querystring: z.strictObject({ dry_run: queryFlag('Validate only: nothing is sent to the source.') }),
        body: writeInputSchema(entity, 'update'),
        response: { 200: z.union([outcomeSchema, dryRunSchema]), ...errorResponses(404, 405, 409, 422, 424, 502, 503) },
      },
    },
    async (request, reply) => {
      const { owner } = caller(request);
      const key = idempotencyKeyOf(request);
      const record = await ctx.records.get(entity, readableConnections(ctx, request), request.params.id, true);
      if (!record) throw notFound(entity, request.params.id);
      const connection = ctx.connections.get(String(record.connection_id), { owner });
      const operations = writeOperations(ctx.connector(connection.system), entity, 'update');
      const input = await resolveReferences(ctx.records, entity, connection.id, request.body as unknown as Record<string, unknown>);
      checkSourceRules(operations, input, 'update');
      if (request.query.dry_run) return reply.code(200).send({ dry_run: true as const, valid: true as const, entity, connection_id: connection.id, input });
      const baseVersion = { remoteData: JSON.parse(String(record.remote_data)) as unknown, remoteUpdatedAt: (record.remote_updated_at as string | null) ?? null };
      return replyIdempotently(ctx, request, reply, owner, key, 200, () =>
        executeWrite(
          ctx.connections,
          { entity, kind: 'update', connectionId: connection.id, system: connection.system, input, remoteId: String(record.remote_id), baseVersion, ...(key ? { idempotencyKey: key } : {}) },
          request.log as unknown as Logger,
        ),
      );
    },
  );
}
