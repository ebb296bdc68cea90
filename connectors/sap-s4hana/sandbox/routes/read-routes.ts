import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { malformed, takeMalformedPage } from '../../../sandbox-kit/faults.js';
import { etagOf as tokenOf } from '../concurrency-tokens.js';
import { entityTypeOf, findEntity } from '../entity-lookup.js';
import { FilterSyntaxError } from '../filter-parser.js';
import { FilterTypeError } from '../filter-eval.js';
import { metadataDocument, reachableTypes } from '../metadata-document.js';
import { children, type EntityTypeDef, type SandboxRecord } from '../model.js';
import { QueryOptionError, runQuery } from '../query.js';
import { parseKeyPredicate, parseResourcePath, ResourcePathError } from '../resource-path.js';
import { sendNotFound, sendODataError } from '../sap-errors.js';
import { ODATA_PREFIX } from '../security.js';
import { parseExpand, serializeEntity, unknownExpansions } from '../serialize.js';
import type { SapSandboxState } from '../state.js';

/**
 * GET on the OData services: service document, `$metadata`, collections (with the query
 * options in query.ts and server paging), single entities by key, and navigation collections.
 */
export interface ParsedODataUrl {
  service: string;
  resource: string;
  origin: string;
}

export function parseODataUrl(request: FastifyRequest): ParsedODataUrl {
  const path = request.url.split('?')[0]!;
  const rest = path.slice(ODATA_PREFIX.length);
  const slash = rest.indexOf('/');
  const serviceSegment = slash < 0 ? rest : rest.slice(0, slash);
  const resource = slash < 0 ? '' : decodeURIComponent(rest.slice(slash + 1));
  return { service: serviceSegment.split(';')[0]!, resource, origin: `${request.protocol}://${request.host}` };
}

export function serviceRootOf(origin: string): (service: string) => string {
  return (service) => `${origin}${ODATA_PREFIX}${service}`;
}

export function sendJson(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').header('dataserviceversion', '2.0').send(JSON.stringify(body));
}

function wantsJson(request: FastifyRequest, query: Record<string, string | undefined>): boolean {
  if (query.$format !== undefined) return query.$format === 'json';
  return String(request.headers.accept ?? '').includes('json');
}

export function handleQueryError(reply: FastifyReply, error: unknown, service: string): FastifyReply {
  if (error instanceof FilterSyntaxError || error instanceof FilterTypeError) {
    return sendODataError(reply, 400, '005056A509B11EE1B9A8FEC11C21578E', error.message, service);
  }
  if (error instanceof QueryOptionError) return sendODataError(reply, 400, error.sapCode, error.message, service);
  if (error instanceof ResourcePathError) return sendNotFound(reply, error.message.replace(/^.*'(.*)'$/, '$1'), service);
  throw error;
}

export function registerReadRoutes(app: FastifyInstance, state: SapSandboxState): void {
  app.get(`${ODATA_PREFIX}*`, async (request, reply) => {
    const { service, resource, origin } = parseODataUrl(request);
    const query = request.query as Record<string, string | undefined>;
    const serviceRoot = serviceRootOf(origin);
    const etagOf = (entityType: EntityTypeDef, record: SandboxRecord) => tokenOf(state.concurrencyTokens, entityType, record);
    const roots = ['A_PurchaseOrder', 'MaintenanceOrder', 'Equipment', 'A_BusinessPartner', 'A_Supplier', 'A_Product', 'A_MatlStkInAcctMod']
      .map((set) => state.tenant.collection(service, set)?.entityType)
      .filter((type) => type !== undefined);
    if (roots.length === 0) return sendNotFound(reply, service, undefined);
    if (resource === '$metadata') {
      return reply.header('content-type', 'application/xml').send(metadataDocument(service, reachableTypes(roots)));
    }
    if (!wantsJson(request, query)) {
      return reply
        .code(406)
        .header('content-type', 'application/xml')
        .send('<?xml version="1.0" encoding="utf-8"?><error><code>SANDBOX/406</code><message xml:lang="en">This sandbox serves JSON only: send Accept: application/json or $format=json</message></error>');
    }
    if (resource === '') return sendJson(reply, { d: { EntitySets: roots.map((type) => type.entitySet) } });
    try {
      const path = parseResourcePath(resource);
      const entityType = entityTypeOf(state.tenant, service, path.entitySet);
      if (!entityType) return sendNotFound(reply, path.entitySet, service);
      if (path.key === undefined) {
        const collection = state.tenant.collection(service, path.entitySet);
        if (!collection) return sendNotFound(reply, path.entitySet, service);
        const result = runQuery(collection, query, state.paging);
        const serializeOptions = { serviceRoot, expand: result.expand, etagOf, ...(result.select ? { select: result.select } : {}) };
        const d: Record<string, unknown> = { results: result.records.map((record) => serializeEntity(entityType, record, serializeOptions)) };
        if (result.count !== undefined) d.__count = String(result.count);
        if (result.nextQuery) d.__next = `${serviceRoot(service)}/${path.entitySet}?${result.nextQuery}`;
        state.afterPage(collection, result.records);
        const body = JSON.stringify({ d });
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('dataserviceversion', '2.0')
          .send(takeMalformedPage(state.faults) ? malformed(body) : body);
      }
      const found = findEntity(state.tenant, service, path.entitySet, parseKeyPredicate(path.key, entityType));
      if (!found) return sendNotFound(reply, entityType.typeName, service);
      const expand = parseExpand(query.$expand);
      if (path.navigation === undefined) {
        const unknown = unknownExpansions(expand, entityType);
        if (unknown.length > 0) return sendODataError(reply, 400, '/IWBEP/CM_MGW_RT/021', `Property ${unknown[0]} not found in type ${entityType.typeName}`, service);
        const etag = etagOf(entityType, found.record);
        if (etag !== null) reply.header('etag', etag);
        return sendJson(reply, { d: serializeEntity(entityType, found.record, { serviceRoot, expand, etagOf }) });
      }
      const navigation = entityType.navigations[path.navigation];
      if (!navigation) return sendNotFound(reply, path.navigation, service);
      const related = children(found.record, path.navigation).map((child) => serializeEntity(navigation.target(), child, { serviceRoot, expand, etagOf }));
      return sendJson(reply, { d: navigation.many ? { results: related } : (related[0] ?? null) });
    } catch (error) {
      return handleQueryError(reply, error, service);
    }
  });
}
