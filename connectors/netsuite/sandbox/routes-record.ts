import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { malformed, takeMalformedPage } from '../../sandbox-kit/faults.js';
import { UUID, jobBody, type CapturedResponse } from './async-jobs.js';
import { errorBody, invalidParameter, nonexistentId, sendError } from './errors.js';
import { collectionBody, pagingParams } from './paging.js';
import { createPurchaseOrder, updatePurchaseOrder } from './po-writes.js';
import { recordTypeOf, type PurchaseOrder, type RecordType } from './records.js';
import { recordHref, renderRecord } from './render.js';
import { originOf, type SandboxState } from './state.js';

/**
 * The record service: `/services/rest/record/v1/{type}[/{id}]`. Lists return ids and links only;
 * a GET returns the body (sublists expanded with `expandSubResources=true`); POST creates (204,
 * the new record's URL in `Location`), PATCH updates (204), DELETE removes (204) and logs the
 * deletion. Any write may run asynchronously with `Prefer: respond-async`.
 */
const PERMISSION: Record<RecordType, string> = { purchaseorder: 'Transactions -> Purchase Order', vendor: 'Lists -> Vendors', inventoryitem: 'Lists -> Items' };

type Params = { type: string; id?: string };

function resolveType(state: SandboxState, request: FastifyRequest<{ Params: Params }>, reply: FastifyReply): RecordType | undefined {
  const type = recordTypeOf(request.params.type);
  if (!type) {
    sendError(reply, 404, [{ detail: `Record type '${request.params.type}' does not exist.`, 'o:errorCode': 'NONEXISTENT_ID', 'o:errorUrl': request.url }]);
    return undefined;
  }
  if (state.faults.deniedTypes.includes(type)) {
    sendError(reply, 403, [{ detail: `Permission Violation: You need the '${PERMISSION[type]}' permission to access this page. Please contact your account administrator.`, 'o:errorCode': 'INSUFFICIENT_PERMISSION' }]);
    return undefined;
  }
  return type;
}

const error = (status: number, detail: ReturnType<typeof nonexistentId>): CapturedResponse => ({ status, headers: {}, body: errorBody(status, [detail]) });

function create(state: SandboxState, type: RecordType, body: unknown, origin: string): CapturedResponse {
  if (type !== 'purchaseorder') return error(405, { detail: `Creating ${type} records is not supported by this sandbox.`, 'o:errorCode': 'INVALID_REQUEST' });
  const outcome = createPurchaseOrder(state.store, body);
  if (!outcome.ok) return error(400, outcome.error);
  return { status: 204, headers: { location: recordHref(origin, type, outcome.record.id) }, body: undefined };
}

function patch(state: SandboxState, type: RecordType, id: string, body: unknown, replace: string[]): CapturedResponse {
  if (type !== 'purchaseorder') return error(405, { detail: `Updating ${type} records is not supported by this sandbox.`, 'o:errorCode': 'INVALID_REQUEST' });
  const existing = state.store.get('purchaseorder', id);
  if (!existing) return error(404, nonexistentId());
  const outcome = updatePurchaseOrder(state.store, existing as PurchaseOrder, body, replace);
  return outcome.ok ? { status: 204, headers: {}, body: undefined } : error(400, outcome.error);
}

function remove(state: SandboxState, type: RecordType, id: string): CapturedResponse {
  return state.store.delete(type, id) ? { status: 204, headers: {}, body: undefined } : error(404, nonexistentId());
}

function send(reply: FastifyReply, response: CapturedResponse): FastifyReply {
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  if (response.body === undefined) return reply.code(response.status).send();
  const contentType = response.status >= 400 ? 'application/vnd.oracle.resource+json; type=error' : 'application/vnd.oracle.resource+json; type=singular';
  return reply.code(response.status).header('content-type', contentType).send(JSON.stringify(response.body));
}

/** Runs a write now, or as an async job when the client prefers (honouring the idempotency key). */
function write(state: SandboxState, request: FastifyRequest, reply: FastifyReply, work: () => CapturedResponse): FastifyReply {
  const prefer = String(request.headers.prefer ?? '').toLowerCase();
  if (!prefer.includes('respond-async')) return send(reply, work());
  const origin = originOf(request);
  const key = request.headers['x-netsuite-idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !UUID.test(key))) {
    return sendError(reply, 400, [{ detail: 'The idempotency key must be a UUID (RFC 4122).', 'o:errorCode': 'INVALID_HEADER', 'o:errorHeader': 'X-NetSuite-Idempotency-Key' }]);
  }
  const previous = typeof key === 'string' ? state.jobs.jobForKey(key) : undefined;
  if (previous) {
    reply.header('preference-applied', 'respond-async').header('location', `${origin}/services/rest/async/v1/job/${previous.id}`);
    return sendError(reply, 400, [{ detail: 'A request with the same idempotency key is already submitted. See the "Location" header for a link to the previously submitted job', 'o:errorCode': 'IDEMPOTENCY_ERROR' }], 'Conflict');
  }
  const job = state.jobs.submit(typeof key === 'string' ? key : undefined, work);
  return reply.code(202).header('preference-applied', 'respond-async').header('location', `${origin}/services/rest/async/v1/job/${job.id}`).header('content-type', 'application/json').send(JSON.stringify(jobBody(origin, job)));
}

export function registerRecordRoutes(app: FastifyInstance, state: SandboxState): void {
  app.get<{ Params: Params; Querystring: Record<string, string> }>('/services/rest/record/v1/:type', async (request, reply) => {
    const type = resolveType(state, request, reply);
    if (!type) return reply;
    if (request.query.q !== undefined) return sendError(reply, 400, [invalidParameter('The q filter is not available in this sandbox; use SuiteQL.', 'q')]);
    const paging = pagingParams(request.query);
    if ('error' in paging) return sendError(reply, 400, [paging.error]);
    const ids: string[] = [];
    let total = 0;
    for (const id of state.store.idOrder(type)) {
      if (total >= paging.offset && ids.length < paging.limit) ids.push(id);
      total++;
    }
    const origin = originOf(request);
    const items = ids.map((id) => ({ links: [{ rel: 'self', href: recordHref(origin, type, id) }], id }));
    const body = JSON.stringify(collectionBody(`${origin}/services/rest/record/v1/${type}`, paging, items, total));
    return reply.header('content-type', 'application/vnd.oracle.resource+json; type=collection').send(takeMalformedPage(state.faults) ? malformed(body) : body);
  });

  app.get<{ Params: Params & { id: string }; Querystring: Record<string, string> }>('/services/rest/record/v1/:type/:id', async (request, reply) => {
    const type = resolveType(state, request, reply);
    if (!type) return reply;
    const record = state.store.get(type, request.params.id);
    if (!record) return sendError(reply, 404, [nonexistentId()]);
    let body = renderRecord({ origin: originOf(request), expand: request.query.expandSubResources === 'true' }, type, record);
    if (request.query.fields) {
      const wanted = new Set(['links', 'id', ...request.query.fields.split(',').map((field) => field.trim())]);
      body = Object.fromEntries(Object.entries(body).filter(([key]) => wanted.has(key)));
    }
    return reply.header('content-type', 'application/vnd.oracle.resource+json; type=singular').send(JSON.stringify(body));
  });

  app.post<{ Params: Params }>('/services/rest/record/v1/:type', async (request, reply) => {
    const type = resolveType(state, request, reply);
    if (!type) return reply;
    const origin = originOf(request);
    return write(state, request, reply, () => create(state, type, request.body, origin));
  });

  app.patch<{ Params: Params & { id: string }; Querystring: Record<string, string> }>('/services/rest/record/v1/:type/:id', async (request, reply) => {
    const type = resolveType(state, request, reply);
    if (!type) return reply;
    const replace = (request.query.replace ?? '').split(',').filter(Boolean);
    return write(state, request, reply, () => patch(state, type, request.params.id, request.body, replace));
  });

  app.delete<{ Params: Params & { id: string } }>('/services/rest/record/v1/:type/:id', async (request, reply) => {
    const type = resolveType(state, request, reply);
    if (!type) return reply;
    return write(state, request, reply, () => remove(state, type, request.params.id));
  });
}
