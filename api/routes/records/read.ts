import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EntityName } from '../../../schemas/entities.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { ApiError } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../reads/cursor.js';
import { expandRecords } from '../../reads/expand.js';
import { filterableColumns, type ListFilters } from '../../reads/record-store.js';
import { errorResponses, uuidParams } from '../../schemas/common.js';
import { apiRecordSchema, entityPath, getQuerySchema, listQuerySchema, listResponseSchema } from './record-schemas.js';

type Row = Record<string, unknown>;

/** Records are serialized as they are: validated before storage, and re-validating a page cost most of the request. */
const plainJson = () => (data: unknown) => JSON.stringify(data);

const rawSchema = z.object({
  id: z.string(),
  entity: z.string(),
  connection_id: z.string(),
  source_system: z.string(),
  remote_id: z.string(),
  synced_at: z.string().describe('When Millrace captured this image.'),
  version: z.string(),
  data: z.unknown().describe('The record exactly as the source system sent it.'),
});

/** The caller's connection ids, or just `connectionId` when given and owned (another owner's is not found). */
export function readableConnections(ctx: ApiContext, request: FastifyRequest, connectionId?: string): string[] {
  const owner = caller(request).owner;
  if (connectionId !== undefined) return [ctx.connections.get(connectionId, { owner }).id];
  return ctx.connections.list({ owner }).map((connection) => connection.id);
}

/** `{"data":[<texts joined by commas><tail>` written straight into the Buffer the socket takes, with no joined string between. */
function jsonListBody(texts: string[], tail: string): Buffer {
  const head = '{"data":[';
  let length = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, texts.length - 1);
  for (const text of texts) length += Buffer.byteLength(text);
  const body = Buffer.allocUnsafe(length);
  let offset = body.write(head);
  texts.forEach((text, index) => {
    if (index > 0) offset += body.write(',', offset);
    offset += body.write(text, offset);
  });
  body.write(tail, offset);
  return body;
}

function withRemoteData(record: Row): Row {
  const text = record.remote_data;
  if (typeof text === 'string') record.remote_data = JSON.parse(text) as unknown;
  return record;
}

/**
 * GET /v1/{entity} (list), /v1/{entity}/{id} and /v1/{entity}/{id}/raw, served from ClickHouse
 * for the caller's connections only.
 */
export function registerRecordReads(app: ZodApp, ctx: ApiContext, entity: EntityName): void {
  const path = entityPath(entity);
  const tags = ['records'];

  app.get(
    path,
    {
      config: { access: 'read' },
      serializerCompiler: plainJson,
      schema: { tags, summary: `List ${entity} records`, querystring: listQuerySchema(entity), response: { 200: listResponseSchema(entity), ...errorResponses(404) } },
    },
    async (request, reply) => {
      const query = request.query as Record<string, unknown> & z.output<ReturnType<typeof listQuerySchema>>;
      const connectionIds = readableConnections(ctx, request, query.connection_id);
      const equals = Object.fromEntries(filterableColumns(entity).filter((column) => query[column] !== undefined).map((column) => [column, String(query[column])]));
      const filters: ListFilters = {
        connectionIds,
        includeDeleted: query.include_deleted ?? false,
        equals,
        ...(query.cursor ? { after: decodeCursor(entity, query.cursor) } : {}),
        ...(query.modified_after ? { modifiedAfter: query.modified_after } : {}),
      };
      if (!query.expand?.length && !query.include_remote_data) {
        // The stored images as they are: the same text the object path prints, without parsing it.
        const page = await ctx.records.listJson(entity, filters, query.limit);
        const nextCursor = page.more && page.last ? encodeCursor(entity, page.last) : null;
        const body = jsonListBody(page.texts, `],"next_cursor":${JSON.stringify(nextCursor)}}`);
        // fastify sends a Buffer as it is; the response schema types objects only.
        return reply.type('application/json; charset=utf-8').send(body as never);
      }
      const { records, more } = await ctx.records.list(entity, filters, { limit: query.limit, includeRemoteData: query.include_remote_data ?? false });
      if (query.expand?.length) await expandRecords(ctx.records, connectionIds, entity, records, query.expand);
      const last = records[records.length - 1];
      return {
        data: query.include_remote_data ? records.map(withRemoteData) : records,
        next_cursor: more && last ? encodeCursor(entity, { connectionId: last.connection_id as string, id: last.id as string }) : null,
      };
    },
  );

  app.get(
    `${path}/:id`,
    {
      config: { access: 'read' },
      serializerCompiler: plainJson,
      schema: { tags, summary: `Get a ${entity} record`, params: uuidParams, querystring: getQuerySchema(entity), response: { 200: apiRecordSchema(entity), ...errorResponses(404) } },
    },
    async (request) => {
      const connectionIds = readableConnections(ctx, request);
      const record = await ctx.records.get(entity, connectionIds, request.params.id, request.query.include_remote_data ?? false);
      if (!record) throw notFound(entity, request.params.id);
      if (request.query.expand?.length) await expandRecords(ctx.records, connectionIds, entity, [record], request.query.expand);
      return request.query.include_remote_data ? withRemoteData(record) : record;
    },
  );

  app.get(
    `${path}/:id/raw`,
    {
      config: { access: 'read' },
      serializerCompiler: plainJson,
      schema: { tags, summary: `The raw source record of a ${entity}`, params: uuidParams, response: { 200: rawSchema, ...errorResponses(404) } },
    },
    async (request) => {
      const record = await ctx.records.get(entity, readableConnections(ctx, request), request.params.id, true);
      if (!record) throw notFound(entity, request.params.id);
      const field = (name: string) => String(record[name]);
      return {
        id: field('id'),
        entity,
        connection_id: field('connection_id'),
        source_system: field('source_system'),
        remote_id: field('remote_id'),
        synced_at: field('synced_at'),
        version: field('version'),
        data: JSON.parse(field('remote_data')) as unknown,
      };
    },
  );
}

export function notFound(entity: EntityName, id: string): ApiError {
  return new ApiError('record_not_found', `No ${entity} ${id} among this key's connections.`);
}
