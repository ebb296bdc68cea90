import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, ifMatchHolds } from '../concurrency-tokens.js';
import { dateOnly, MS_PER_DAY } from '../edm.js';
import { findEntity } from '../entity-lookup.js';
import { blankRecord, bodyObject, parseInput } from '../input.js';
import { children, type SandboxRecord } from '../model.js';
import { parseKeyPredicate, parseResourcePath } from '../resource-path.js';
import { approximateNetValue, headerProblems, itemProblems, itemTarget, RELEASE_THRESHOLD } from '../rules/purchase-order-rules.js';
import { sendNotFound, sendODataError, type SapErrorDetail } from '../sap-errors.js';
import { ODATA_PREFIX, sapUserOf } from '../security.js';
import { entityUri, parseExpand, serializeEntity } from '../serialize.js';
import type { SapSandboxState } from '../state.js';
import { purchaseOrderItemType, purchaseOrderType, scheduleLineType } from '../types/purchase-order-types.js';
import { handleQueryError, parseODataUrl, serviceRootOf, sendJson } from './read-routes.js';

/**
 * Writes on API_PURCHASEORDER_PROCESS_SRV: deep insert of a purchase order with items (and their
 * schedule lines) → 201 with the created order; PATCH/MERGE of header fields or of one item →
 * 204. The order number is drawn from the tenant's number range; a purchase order whose net value
 * exceeds the release threshold starts "In Release" (03). Orders flagged for deletion cannot
 * change; an order another user is editing answers 409 (SAP's enqueue lock).
 */
const SERVICE = purchaseOrderType.service;

function rejected(reply: FastifyReply, problems: SapErrorDetail[]): FastifyReply {
  const first = problems[0]!;
  return sendODataError(reply, 400, first.code, first.message, SERVICE, problems);
}

function buildItem(order: SandboxRecord, input: SandboxRecord, position: number, today: number, schedule: Record<string, unknown>[] | undefined): SandboxRecord {
  const item: SandboxRecord = { ...blankRecord(purchaseOrderItemType), ...input };
  item.PurchaseOrder = order.PurchaseOrder;
  item.PurchaseOrderItem = String(Number(input.PurchaseOrderItem ?? position * 10));
  item.DocumentCurrency = order.DocumentCurrency;
  item.NetPriceQuantity = input.NetPriceQuantity ?? '1';
  item.OrderPriceUnit = input.OrderPriceUnit || input.PurchaseOrderQuantityUnit || 'PC';
  item.OrderPriceUnitToOrderUnitNmrtr = input.OrderPriceUnitToOrderUnitNmrtr ?? '1';
  item.OrdPriceUnitToOrderUnitDnmntr = input.OrdPriceUnitToOrderUnitDnmntr ?? '1';
  item.TaxDeterminationDate = today;
  item.GoodsReceiptIsExpected = input.GoodsReceiptIsExpected ?? true;
  item.InvoiceIsExpected = input.InvoiceIsExpected ?? true;
  const requested = schedule?.[0]?.ScheduleLineDeliveryDate;
  const deliveryMs = typeof requested === 'number' ? requested : today + 14 * MS_PER_DAY;
  item.to_ScheduleLine = [
    {
      ...blankRecord(scheduleLineType),
      PurchasingDocument: order.PurchaseOrder,
      PurchasingDocumentItem: item.PurchaseOrderItem,
      ScheduleLine: '1',
      DelivDateCategory: '1',
      ScheduleLineDeliveryDate: deliveryMs,
      SchedLineStscDeliveryDate: deliveryMs,
      ScheduleLineDeliveryTime: 0,
      PurchaseOrderQuantityUnit: item.PurchaseOrderQuantityUnit,
      ScheduleLineOrderQuantity: item.OrderQuantity,
    },
  ];
  return item;
}

function createPurchaseOrder(state: SapSandboxState, body: Record<string, unknown>, user: string): { order?: SandboxRecord; problems: SapErrorDetail[] } {
  const header = parseInput(purchaseOrderType, body, 'create');
  const problems = [...header.errors];
  const itemInputs = header.navigations.to_PurchaseOrderItem ?? [];
  if (itemInputs.length === 0) problems.push({ code: 'ME/080', message: 'Enter at least one item', target: 'to_PurchaseOrderItem' });
  problems.push(...headerProblems(state.tenant, header.values, 'create'));
  const now = state.tenant.nowMicros();
  const today = dateOnly(Math.floor(now / 1000));
  const order: SandboxRecord = { ...blankRecord(purchaseOrderType), ...header.values };
  order.PurchaseOrder = '';
  order.DocumentCurrency = header.values.DocumentCurrency || 'USD';
  const items = itemInputs.map((raw, position) => {
    const parsed = parseInput(purchaseOrderItemType, raw, 'create');
    const scheduleInputs = (parsed.navigations.to_ScheduleLine ?? []).map((line) => parseInput(scheduleLineType, line, 'create'));
    const item = buildItem(order, parsed.values, position + 1, today, scheduleInputs.map((line) => line.values));
    const target = (property: string) => itemTarget(item, property);
    problems.push(...parsed.errors.map((error) => ({ ...error, target: target(error.target ?? '') })));
    problems.push(...scheduleInputs.flatMap((line) => line.errors));
    problems.push(...itemProblems(state.tenant, item, target));
    return item;
  });
  if (problems.length > 0) return { problems };
  order.PurchaseOrder = state.tenant.newPurchaseOrderNumber();
  for (const item of items) {
    item.PurchaseOrder = order.PurchaseOrder;
    for (const line of children(item, 'to_ScheduleLine')) line.PurchasingDocument = order.PurchaseOrder;
  }
  order.to_PurchaseOrderItem = items;
  order.CreatedByUser = user;
  order.CreationDate = today;
  order.PurchaseOrderDate = header.values.PurchaseOrderDate ?? today;
  order.LastChangeDateTime = now;
  order.Language = header.values.Language || 'EN';
  order.PurchasingDocumentOrigin = '9';
  order.ExchangeRate = header.values.ExchangeRate || '1.00000';
  const needsRelease = approximateNetValue(order) > RELEASE_THRESHOLD;
  order.PurchasingProcessingStatus = needsRelease ? '03' : '02';
  order.ReleaseIsNotCompleted = needsRelease;
  return { order, problems: [] };
}

export function registerPurchaseOrderWrites(app: FastifyInstance, state: SapSandboxState): void {
  app.post(`${ODATA_PREFIX}${SERVICE}/A_PurchaseOrder`, async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body) return sendODataError(reply, 400, '/IWBEP/CM_MGW_RT/004', 'The request body is not a JSON object', SERVICE);
    const { order, problems } = createPurchaseOrder(state, body, sapUserOf(request));
    if (!order) return rejected(reply, problems);
    state.tenant.purchaseOrders.put(order);
    const serviceRoot = serviceRootOf(parseODataUrl(request).origin);
    const expand = parseExpand('to_PurchaseOrderItem,to_PurchaseOrderItem/to_ScheduleLine');
    reply.header('location', entityUri(purchaseOrderType, order, serviceRoot));
    return sendJson(reply, { d: serializeEntity(purchaseOrderType, order, { serviceRoot, expand, etagOf: (type, record) => etagOf(state.concurrencyTokens, type, record) }) }, 201);
  });

  const update = async (request: FastifyRequest, reply: FastifyReply) => {
    const { resource } = parseODataUrl(request);
    try {
      const path = parseResourcePath(resource);
      const entityType = path.entitySet === 'A_PurchaseOrder' ? purchaseOrderType : path.entitySet === 'A_PurchaseOrderItem' ? purchaseOrderItemType : undefined;
      if (!entityType || path.key === undefined || path.navigation) return sendNotFound(reply, path.entitySet, SERVICE);
      const found = findEntity(state.tenant, SERVICE, path.entitySet, parseKeyPredicate(path.key, entityType));
      if (!found) return sendNotFound(reply, entityType.typeName, SERVICE);
      if (entityType === purchaseOrderType && !ifMatchHolds(state.concurrencyTokens, entityType, found.root, request, reply)) return reply;
      const orderNumber = String(found.root.PurchaseOrder);
      const lockedBy = state.locks.get(orderNumber);
      if (lockedBy) return sendODataError(reply, 409, 'ME/006', `Purchase order ${orderNumber} is currently being processed by user ${lockedBy}`, SERVICE);
      if (found.root.PurchasingDocumentDeletionCode === 'L') {
        return rejected(reply, [{ code: 'ME/112', message: `Purchase order ${orderNumber} is flagged for deletion; changes are not possible`, target: '' }]);
      }
      const body = bodyObject(request.body) ?? {};
      const parsed = parseInput(entityType, body, 'update');
      const problems = [...parsed.errors];
      if (Object.keys(parsed.navigations).length > 0) problems.push({ code: '/IWBEP/CM_MGW_RT/004', message: 'Navigation properties cannot be changed with PATCH', target: '' });
      const order = structuredClone(found.root);
      const target = entityType === purchaseOrderType ? order : children(order, 'to_PurchaseOrderItem').find((item) => item.PurchaseOrderItem === found.record.PurchaseOrderItem)!;
      Object.assign(target, parsed.values);
      if (entityType === purchaseOrderType) problems.push(...headerProblems(state.tenant, parsed.values, 'update'));
      else problems.push(...itemProblems(state.tenant, target, (property) => property));
      if (problems.length > 0) return rejected(reply, problems);
      order.LastChangeDateTime = state.tenant.nowMicros();
      state.tenant.purchaseOrders.put(order);
      return reply.code(204).header('dataserviceversion', '2.0').send();
    } catch (error) {
      return handleQueryError(reply, error, SERVICE);
    }
  };
  app.route({ method: ['PATCH', 'MERGE'], url: `${ODATA_PREFIX}${SERVICE}/*`, handler: update });
}
