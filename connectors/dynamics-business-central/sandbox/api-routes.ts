import type { FastifyReply, FastifyRequest } from 'fastify';
import { takeMalformedPage, malformed } from '../../sandbox-kit/faults.js';
import type { BcPurchaseOrderLine } from '../raw-types.js';
import { BcHttpError } from './bc-errors.js';
import type { CompanyStore } from './company-store.js';
import { EXPANDABLE, SCHEMAS, type EntitySetName } from './entity-schemas.js';
import type { InvoiceRow, OrderRow } from './generate.js';
import { matches } from './odata-filter.js';
import { parseListQuery, runListQuery, shapeEntity, type ListQuery } from './list-query.js';
import { addLine, checkIfMatch, createOrder, deleteOrderLine, patchLine, patchOrder } from './order-writes.js';
import type { SandboxState } from './state.js';
import type { Table, Timestamped } from './table.js';

/**
 * `/v2.0/{tenant}/{environment}/api/v2.0/…`: companies, and per company vendors, items,
 * purchaseOrders (+ purchaseOrderLines, receiveAndInvoice), purchaseOrderLines, purchaseInvoices.
 */
interface Segment { name: string; key?: string }

function parsePath(rest: string): Segment[] {
  return rest.split('/').filter(Boolean).map((part) => {
    const match = /^([A-Za-z.$]+)(?:\(([^)]*)\))?$/.exec(decodeURIComponent(part));
    if (!match) throw new BcHttpError(404, 'BadRequest_NotFound', `No HTTP resource was found that matches the request URI '${rest}'`);
    const key = match[2]?.replace(/^'(.*)'$/, '$1').toLowerCase();
    return key === undefined ? { name: match[1]! } : { name: match[1]!, key };
  });
}

const JSON_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

function maxPageSize(request: FastifyRequest): number | undefined {
  const prefer = String(request.headers.prefer ?? '');
  const match = /odata\.maxpagesize=(\d+)/i.exec(prefer);
  return match ? Number(match[1]) : undefined;
}

export async function handleApi(state: SandboxState, request: FastifyRequest<{ Params: { tenant: string; environment: string; '*': string } }>, reply: FastifyReply): Promise<unknown> {
  const { environment } = request.params;
  const rest = request.params['*'];
  const base = `${request.protocol}://${request.headers.host}/v2.0/${request.params.tenant}/${environment}/api/v2.0`;
  const notFound = () => new BcHttpError(404, 'BadRequest_NotFound', `No HTTP resource was found that matches the request URI '${base}/${rest}'`);
  if (environment !== state.environment) throw notFound();
  const segments = parsePath(rest);
  const query = request.query as Record<string, string | undefined>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const ifMatch = request.headers['if-match'] as string | undefined;
  const method = request.method;
  reply.header('odata-version', '4.0');

  const [root, set, sub] = segments;
  if (root?.name !== 'companies') throw notFound();
  if (!root.key) {
    if (segments.length > 1 || method !== 'GET') throw notFound();
    const companies = state.companies.map((store) => store.seed.company);
    return reply.type(JSON_TYPE).send({ '@odata.context': `${base}/$metadata#companies`, value: companies });
  }
  const store = state.companies.find((candidate) => candidate.id === root.key);
  if (!store) throw new BcHttpError(404, 'Internal_CompanyNotFound', `The company '${root.key}' does not exist`);
  const context = `${base}/$metadata#companies(${store.id})`;
  if (!set) return reply.type(JSON_TYPE).send({ '@odata.context': `${context}/$entity`, ...store.seed.company });

  const sendEntity = (entitySet: EntitySetName, entity: object, status = 200, expand?: string) => {
    const navigation = EXPANDABLE[entitySet];
    const record = entity as Record<string, unknown>;
    if (record['@odata.etag']) reply.header('etag', String(record['@odata.etag']));
    return reply.code(status).type(JSON_TYPE).send({ '@odata.context': `${context}/${entitySet}/$entity`, ...shapeEntity(record, expand === undefined ? {} : { expand }, navigation) });
  };

  const list = <T extends Timestamped>(entitySet: EntitySetName, table: Table<T>) => {
    const options = parseListQuery(query, entitySet);
    return sendPage(state, request, reply, store, `${context}/${entitySet}`, entitySet, table, options);
  };

  switch (set.name) {
    case 'vendors':
    case 'items': {
      const table = set.name === 'vendors' ? store.vendors : store.items;
      if (method !== 'GET' || sub) throw methodNotAllowed(method, set.name);
      if (!set.key) return list(set.name, table as Table<Timestamped>);
      const record = table.get(set.key);
      if (!record) throw recordNotFound(set.name, set.key);
      return sendEntity(set.name, record);
    }
    case 'itemLedgerEntries': {
      if (method !== 'GET' || sub) throw methodNotAllowed(method, set.name);
      if (!set.key) return list('itemLedgerEntries', store.ledger);
      const entry = store.ledger.get(set.key);
      if (!entry) throw recordNotFound(set.name, set.key);
      return sendEntity('itemLedgerEntries', entry);
    }
    case 'purchaseInvoices': {
      if (method !== 'GET' || sub) throw methodNotAllowed(method, set.name);
      if (!set.key) return list('purchaseInvoices', store.invoices);
      const invoice = store.invoices.get(set.key);
      if (!invoice) throw recordNotFound(set.name, set.key);
      return sendEntity('purchaseInvoices', invoice, 200, query.$expand);
    }
    case 'purchaseOrders':
      return handleOrders(state, store, context, segments, method, body, ifMatch, query, reply, sendEntity, list);
    case 'purchaseOrderLines': {
      if (!set.key) {
        if (method !== 'GET') throw methodNotAllowed(method, set.name);
        const options = parseListQuery(query, 'purchaseOrderLines');
        return sendLines(reply, `${context}/purchaseOrderLines`, allLines(store), options);
      }
      const owner = findLineOwner(store, set.key);
      if (!owner) throw recordNotFound(set.name, set.key);
      return handleLine(store, owner.order, owner.line, method, body, ifMatch, reply, sendEntity);
    }
    default:
      throw notFound();
  }
}

function methodNotAllowed(method: string, set: string): BcHttpError {
  return new BcHttpError(405, 'BadRequest_MethodNotAllowed', `'${method}' requests for '${set}' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services`);
}

function recordNotFound(set: string, key: string): BcHttpError {
  return new BcHttpError(404, 'Internal_RecordNotFound', `The ${set.replace(/s$/, '')} does not exist. Identification fields and values: Id='{${key.toUpperCase()}}'`);
}

type SendEntity = (set: EntitySetName, entity: object, status?: number, expand?: string) => FastifyReply;

function handleOrders(state: SandboxState, store: CompanyStore, context: string, segments: Segment[], method: string, body: Record<string, unknown>, ifMatch: string | undefined,
  query: Record<string, string | undefined>, reply: FastifyReply, sendEntity: SendEntity, list: (set: EntitySetName, table: Table<OrderRow>) => unknown): unknown {
  const [, set, sub] = segments;
  if (!set!.key) {
    if (method === 'GET') return list('purchaseOrders', store.orders);
    if (method !== 'POST') throw methodNotAllowed(method, 'purchaseOrders');
    const created = createOrder(store, state.clock, body);
    reply.header('location', `${reply.request.protocol}://${reply.request.headers.host}${reply.request.url.split('?')[0]}(${created.id})`);
    return sendEntity('purchaseOrders', created, 201, query.$expand);
  }
  const order = store.orders.get(set!.key);
  if (!order) throw recordNotFound('purchaseOrders', set!.key);
  if (!sub) {
    if (method === 'GET') return sendEntity('purchaseOrders', order, 200, query.$expand);
    if (method === 'PATCH') return sendEntity('purchaseOrders', patchOrder(store, order, ifMatch, body), 200, query.$expand);
    if (method === 'DELETE') {
      checkIfMatch(ifMatch, order['@odata.etag']);
      store.orders.delete(order.id);
      return reply.code(204).send();
    }
    throw methodNotAllowed(method, 'purchaseOrders');
  }
  if (sub.name === 'Microsoft.NAV.receiveAndInvoice') {
    if (method !== 'POST' || sub.key !== undefined) throw methodNotAllowed(method, sub.name);
    store.receiveAndInvoice(order.id, 1);
    return reply.code(204).send();
  }
  if (sub.name !== 'purchaseOrderLines') throw new BcHttpError(404, 'BadRequest_NotFound', `Resource not found for the segment '${sub.name}'`);
  if (!sub.key) {
    if (method === 'GET') return sendLines(reply, `${context}/purchaseOrders(${order.id})/purchaseOrderLines`, order.purchaseOrderLines, parseListQuery(query, 'purchaseOrderLines'));
    if (method === 'POST') return sendEntity('purchaseOrderLines', addLine(store, order, body), 201);
    throw methodNotAllowed(method, 'purchaseOrderLines');
  }
  const line = order.purchaseOrderLines.find((candidate) => candidate.id === sub.key);
  if (!line) throw recordNotFound('purchaseOrderLines', sub.key);
  return handleLine(store, order, line, method, body, ifMatch, reply, sendEntity);
}

function handleLine(store: CompanyStore, order: OrderRow, line: BcPurchaseOrderLine, method: string, body: Record<string, unknown>,
  ifMatch: string | undefined, reply: FastifyReply, sendEntity: SendEntity): unknown {
  if (method === 'GET') return sendEntity('purchaseOrderLines', line);
  if (method === 'PATCH') return sendEntity('purchaseOrderLines', patchLine(store, order, line, ifMatch, body));
  if (method === 'DELETE') {
    deleteOrderLine(store, order, line, ifMatch);
    return reply.code(204).send();
  }
  throw methodNotAllowed(method, 'purchaseOrderLines');
}

function allLines(store: CompanyStore): BcPurchaseOrderLine[] {
  return [...store.orders.defaultOrder()].flatMap((order) => order.purchaseOrderLines);
}

function findLineOwner(store: CompanyStore, lineId: string): { order: OrderRow; line: BcPurchaseOrderLine } | undefined {
  for (const order of store.orders.defaultOrder()) {
    const line = order.purchaseOrderLines.find((candidate) => candidate.id === lineId);
    if (line) return { order, line };
  }
  return undefined;
}

/** Lines have no change time of their own: served whole, filtered, without server paging. */
function sendLines(reply: FastifyReply, context: string, lines: BcPurchaseOrderLine[], options: ListQuery): FastifyReply {
  const { filter } = options;
  const value = filter ? lines.filter((line) => matchesLine(filter, line)) : lines;
  return reply.type(JSON_TYPE).send({ '@odata.context': context, value });
}

function matchesLine(filter: NonNullable<ListQuery['filter']>, line: BcPurchaseOrderLine): boolean {
  return matches(filter, line as unknown as Record<string, unknown>, SCHEMAS.purchaseOrderLines);
}

async function sendPage<T extends Timestamped>(state: SandboxState, request: FastifyRequest, reply: FastifyReply, store: CompanyStore, context: string,
  set: EntitySetName, table: Table<T>, options: ListQuery): Promise<FastifyReply> {
  const requested = maxPageSize(request);
  const page = runListQuery(table, set, options, requested ?? Number.POSITIVE_INFINITY);
  if (requested !== undefined) reply.header('preference-applied', `odata.maxpagesize=${requested}`);
  const navigation = EXPANDABLE[set];
  const expanded = options.expand ? `(${options.expand}())` : options.select ? `(${options.select.join(',')})` : '';
  const payload: Record<string, unknown> = {
    '@odata.context': `${context}${expanded}`,
    value: page.rows.map((row) => shapeEntity(row as unknown as Record<string, unknown>, options, navigation)),
  };
  if (page.next) {
    const url = new URL(`${request.protocol}://${request.headers.host}${request.url}`);
    url.searchParams.delete('$skip');
    url.searchParams.delete('$skiptoken');
    url.searchParams.delete('aid');
    if (page.next.top !== undefined) url.searchParams.set('$top', String(page.next.top));
    url.searchParams.set('aid', 'FIN');
    url.searchParams.set('$skiptoken', page.next.skiptoken);
    payload['@odata.nextLink'] = url.toString().replaceAll('%24', '$');
    state.afterPageWithMore(store, set, page.rows as unknown as Timestamped[], page.next.skiptoken, options);
  }
  const json = JSON.stringify(payload);
  if (takeMalformedPage(state.faults)) return reply.type(JSON_TYPE).send(malformed(json));
  return reply.type(JSON_TYPE).send(json);
}
