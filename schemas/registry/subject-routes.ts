/**
 * /subjects: list subjects and versions, register, look up, read and delete (Confluent REST API).
 */
import type { FastifyInstance } from 'fastify';
import { parseVersion, type RegistryService, type SchemaRequest } from './registry-service.js';
import type { VersionEntry } from './registry-state.js';

type SubjectParams = { subject: string };
type VersionParams = { subject: string; version: string };
type Flags = { deleted?: string; permanent?: string; subjectPrefix?: string };

const flag = (value: string | undefined) => value === 'true';

function versionBody(entry: VersionEntry) {
  return { subject: entry.subject, version: entry.version, id: entry.id, schema: entry.schema };
}

export function subjectRoutes(app: FastifyInstance, service: RegistryService): void {
  const { state } = service;

  app.get<{ Querystring: Flags }>('/subjects', async (request) => state.subjectNames(flag(request.query.deleted), request.query.subjectPrefix ?? ''));

  app.get<{ Params: SubjectParams; Querystring: Flags }>('/subjects/:subject/versions', (request) =>
    service.fresh(() => {
      const { subject } = request.params;
      const includeDeleted = flag(request.query.deleted);
      service.entryOf(subject, 'latest', includeDeleted);
      return state.entries(subject, includeDeleted).map((entry) => entry.version);
    }),
  );

  app.post<{ Params: SubjectParams; Body: SchemaRequest }>('/subjects/:subject/versions', (request) =>
    service.register(request.params.subject, request.body ?? {}),
  );

  app.post<{ Params: SubjectParams; Body: SchemaRequest; Querystring: Flags }>('/subjects/:subject', async (request) =>
    versionBody(await service.lookup(request.params.subject, request.body ?? {}, flag(request.query.deleted))),
  );

  app.get<{ Params: VersionParams; Querystring: Flags }>('/subjects/:subject/versions/:version', async (request) => {
    const version = parseVersion(request.params.version);
    return versionBody(await service.fresh(() => service.entryOf(request.params.subject, version, flag(request.query.deleted))));
  });

  // The schema alone, as JSON (not wrapped in a string).
  app.get<{ Params: VersionParams; Querystring: Flags }>('/subjects/:subject/versions/:version/schema', async (request, reply) => {
    const version = parseVersion(request.params.version);
    const entry = await service.fresh(() => service.entryOf(request.params.subject, version, flag(request.query.deleted)));
    return reply.send(entry.schema);
  });

  app.delete<{ Params: SubjectParams; Querystring: Flags }>('/subjects/:subject', (request) =>
    service.deleteSubject(request.params.subject, flag(request.query.permanent)),
  );

  app.delete<{ Params: VersionParams; Querystring: Flags }>('/subjects/:subject/versions/:version', (request) =>
    service.deleteVersion(request.params.subject, parseVersion(request.params.version), flag(request.query.permanent)),
  );
}
