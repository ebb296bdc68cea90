/**
 * /schemas (by global id), /config (compatibility levels) and /compatibility (dry-run checks).
 */
import type { FastifyInstance } from 'fastify';
import { registryErrors } from './errors.js';
import { parseVersion, type RegistryService, type SchemaRequest } from './registry-service.js';

type IdParams = { id: string };
type Flags = { deleted?: string; defaultToGlobal?: string; verbose?: string };

function parseId(text: string): number {
  if (!/^\d{1,10}$/.test(text)) throw registryErrors.schemaNotFound();
  return Number(text);
}

export function schemaAndConfigRoutes(app: FastifyInstance, service: RegistryService): void {
  const { state } = service;

  const schemaText = (id: number) =>
    service.fresh(() => {
      const text = state.schemaText(id);
      if (text === undefined) throw registryErrors.schemaNotFound(id);
      return text;
    });

  app.get('/', async () => ({}));
  app.get('/schemas/types', async () => ['AVRO']);

  // `subject` and `format` (sent by Confluent's clients) change nothing for Avro schemas.
  app.get<{ Params: IdParams }>('/schemas/ids/:id', async (request) => ({ schema: await schemaText(parseId(request.params.id)) }));

  app.get<{ Params: IdParams }>('/schemas/ids/:id/schema', async (request, reply) => reply.send(await schemaText(parseId(request.params.id))));

  app.get<{ Params: IdParams; Querystring: Flags }>('/schemas/ids/:id/versions', async (request) => {
    const id = parseId(request.params.id);
    await schemaText(id);
    return state.usesOf(id, request.query.deleted === 'true');
  });

  app.get<{ Params: IdParams; Querystring: Flags }>('/schemas/ids/:id/subjects', async (request) => {
    const id = parseId(request.params.id);
    await schemaText(id);
    return [...new Set(state.usesOf(id, request.query.deleted === 'true').map((use) => use.subject))];
  });

  app.get('/config', async () => ({ compatibilityLevel: state.globalCompatibility() }));
  app.put<{ Body: { compatibility?: unknown } }>('/config', async (request) => ({
    compatibility: await service.setCompatibility(null, request.body?.compatibility),
  }));
  app.delete('/config', async () => ({ compatibilityLevel: await service.deleteCompatibility(null) }));

  app.get<{ Params: { subject: string }; Querystring: Flags }>('/config/:subject', (request) =>
    service.fresh(() => {
      const level = state.subjectCompatibility(request.params.subject);
      if (level) return { compatibilityLevel: level };
      if (request.query.defaultToGlobal === 'true') return { compatibilityLevel: state.globalCompatibility() };
      throw registryErrors.subjectConfigNotFound(request.params.subject);
    }),
  );
  app.put<{ Params: { subject: string }; Body: { compatibility?: unknown } }>('/config/:subject', async (request) => ({
    compatibility: await service.setCompatibility(request.params.subject, request.body?.compatibility),
  }));
  app.delete<{ Params: { subject: string } }>('/config/:subject', async (request) => ({
    compatibilityLevel: await service.deleteCompatibility(request.params.subject),
  }));

  const compatibilityReply = (result: { is_compatible: boolean; messages: string[] }, verbose: boolean) =>
    verbose ? result : { is_compatible: result.is_compatible };

  app.post<{ Params: { subject: string; version: string }; Body: SchemaRequest; Querystring: Flags }>(
    '/compatibility/subjects/:subject/versions/:version',
    async (request) => {
      const version = parseVersion(request.params.version);
      const result = await service.checkCompatibility(request.params.subject, version, request.body ?? {});
      return compatibilityReply(result, request.query.verbose === 'true');
    },
  );
  app.post<{ Params: { subject: string }; Body: SchemaRequest; Querystring: Flags }>('/compatibility/subjects/:subject/versions', async (request) => {
    const result = await service.checkCompatibility(request.params.subject, 'all', request.body ?? {});
    return compatibilityReply(result, request.query.verbose === 'true');
  });
}
