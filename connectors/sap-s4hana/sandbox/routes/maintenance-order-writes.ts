import type { FastifyInstance, FastifyReply } from 'fastify';
import { etagOf, ifMatchHolds } from '../concurrency-tokens.js';
import { statusText } from '../data/maintenance-orders.js';
import { findEntity } from '../entity-lookup.js';
import { blankRecord, bodyObject, parseInput } from '../input.js';
import type { SandboxRecord } from '../model.js';
import { parseKeyPredicate, parseResourcePath } from '../resource-path.js';
import { sendNotFound, sendODataError, type SapErrorDetail } from '../sap-errors.js';
import { ODATA_PREFIX, sapUserOf } from '../security.js';
import { entityUri, parseExpand, serializeEntity } from '../serialize.js';
import type { SapSandboxState } from '../state.js';
import { maintenanceOrderOperationType, maintenanceOrderType } from '../types/maintenance-order-types.js';
import { handleQueryError, parseODataUrl, sendJson, serviceRootOf } from './read-routes.js';

/**
 * Writes on API_MAINTENANCEORDER: create an order (with operations; SAP adds operation 0010 when
 * none is given) → 201 in status CRTD; PATCH/MERGE of header fields → 204. Closed or
 * deletion-flagged orders refuse changes. Message codes follow the IW/IWO1 classes (illustrative).
 */
const SERVICE = maintenanceOrderType.service;

function rejected(reply: FastifyReply, problems: SapErrorDetail[]): FastifyReply {
  const first = problems[0]!;
  return sendODataError(reply, 400, first.code, first.message, SERVICE, problems);
}

function orderProblems(state: SapSandboxState, values: SandboxRecord, mode: 'create' | 'update'): SapErrorDetail[] {
  const problems: SapErrorDetail[] = [];
  if (mode === 'create') {
    for (const property of ['MaintenanceOrderType', 'MaintenanceOrderDesc', 'MaintenancePlanningPlant', 'MainWorkCenter']) {
      if (values[property] === undefined || values[property] === '') {
        problems.push({ code: 'IWO1/011', message: `Enter a value in field ${property}`, propertyref: property, target: property });
      }
    }
    if (!values.Equipment && !values.FunctionalLocation) {
      problems.push({ code: 'IW/042', message: 'Enter an equipment or a functional location', propertyref: 'Equipment', target: 'Equipment' });
    }
  }
  if (typeof values.Equipment === 'string' && values.Equipment !== '' && !state.tenant.equipment.get(values.Equipment)) {
    problems.push({ code: 'IS/200', message: `Equipment ${values.Equipment} does not exist`, propertyref: 'Equipment', target: 'Equipment' });
  }
  if (values.MaintPriority !== undefined && !['', '1', '2', '3', '4'].includes(String(values.MaintPriority))) {
    problems.push({ code: 'IW/207', message: `Priority ${String(values.MaintPriority)} is not defined for priority type PM`, propertyref: 'MaintPriority', target: 'MaintPriority' });
  }
  return problems;
}

function createOrder(state: SapSandboxState, body: Record<string, unknown>, user: string): { order?: SandboxRecord; problems: SapErrorDetail[] } {
  const parsed = parseInput(maintenanceOrderType, body, 'create');
  const problems = [...parsed.errors, ...orderProblems(state, parsed.values, 'create')];
  const operationInputs = (parsed.navigations.to_MaintenanceOrderOperation ?? []).map((raw) => parseInput(maintenanceOrderOperationType, raw, 'create'));
  problems.push(...operationInputs.flatMap((operation) => operation.errors));
  if (problems.length > 0) return { problems };
  const number = state.tenant.newMaintenanceOrderNumber();
  const nowMs = Math.floor(state.tenant.nowMicros() / 1_000_000) * 1000;
  const order: SandboxRecord = { ...blankRecord(maintenanceOrderType), ...parsed.values };
  const equipment = typeof order.Equipment === 'string' && order.Equipment ? state.tenant.equipment.get(order.Equipment) : undefined;
  Object.assign(order, {
    MaintenanceOrder: number,
    MaintPriorityType: 'PM',
    MaintenancePlant: order.MaintenancePlant || order.MaintenancePlanningPlant,
    EquipmentName: equipment?.EquipmentName ?? '',
    FunctionalLocation: order.FunctionalLocation || equipment?.FunctionalLocation || '',
    MaintenanceOrderInternalID: `OR00000${number}`,
    MaintenanceObjectList: '0',
    LastChangeDateTime: nowMs,
    CreatedByUser: user,
    SystemStatusText: statusText(['CRTD', 'MANC', 'NMAT']),
    UserStatusText: '',
    TechnicalObject: String(order.Equipment || order.FunctionalLocation),
    TechnicalObjectLabel: String(order.Equipment || order.FunctionalLocation),
    TechObjIsEquipOrFuncnlLoc: order.Equipment ? 'EAMS_EQUI' : 'EAMS_FL',
  });
  const operations = operationInputs.length > 0 ? operationInputs.map((operation) => operation.values) : [{ OperationDescription: order.MaintenanceOrderDesc }];
  order.to_MaintenanceOrderOperation = operations.map((values, position) => ({
    ...blankRecord(maintenanceOrderOperationType),
    OperationControlKey: 'YBM1',
    WorkCenter: order.MainWorkCenter,
    Plant: order.MaintenancePlanningPlant,
    MaintOrdOperationDurationUnit: 'H',
    MaintOrdOpWorkDurationUnit: 'H',
    ...values,
    MaintenanceOrder: number,
    MaintenanceOrderOperation: String(values.MaintenanceOrderOperation ?? (position + 1) * 10).padStart(4, '0'),
    MaintenanceOrderSubOperation: '',
    SystemStatusText: 'CRTD',
    MaintOrderOperationInternalID: String(position + 1),
    to_MaintOrderOpComponent: [],
  }));
  return { order, problems: [] };
}

export function registerMaintenanceOrderWrites(app: FastifyInstance, state: SapSandboxState): void {
  app.post(`${ODATA_PREFIX}${SERVICE}/MaintenanceOrder`, async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body) return sendODataError(reply, 400, '/IWBEP/CM_MGW_RT/004', 'The request body is not a JSON object', SERVICE);
    const { order, problems } = createOrder(state, body, sapUserOf(request));
    if (!order) return rejected(reply, problems);
    state.tenant.maintenanceOrders.put(order);
    const serviceRoot = serviceRootOf(parseODataUrl(request).origin);
    reply.header('location', entityUri(maintenanceOrderType, order, serviceRoot));
    const etags = { etagOf: (type: typeof maintenanceOrderType, record: SandboxRecord) => etagOf(state.concurrencyTokens, type, record) };
    return sendJson(reply, { d: serializeEntity(maintenanceOrderType, order, { serviceRoot, expand: parseExpand('to_MaintenanceOrderOperation'), ...etags }) }, 201);
  });

  app.route({
    method: ['PATCH', 'MERGE'],
    url: `${ODATA_PREFIX}${SERVICE}/*`,
    handler: async (request, reply) => {
      try {
        const path = parseResourcePath(parseODataUrl(request).resource);
        if (path.entitySet !== 'MaintenanceOrder' || path.key === undefined || path.navigation) return sendNotFound(reply, path.entitySet, SERVICE);
        const found = findEntity(state.tenant, SERVICE, 'MaintenanceOrder', parseKeyPredicate(path.key, maintenanceOrderType));
        if (!found) return sendNotFound(reply, maintenanceOrderType.typeName, SERVICE);
        if (!ifMatchHolds(state.concurrencyTokens, maintenanceOrderType, found.record, request, reply)) return reply;
        const statuses = String(found.record.SystemStatusText ?? '').split(/\s+/);
        if (statuses.includes('CLSD') || statuses.includes('DLFL')) {
          return rejected(reply, [{ code: 'IW/010', message: `Order ${String(found.record.MaintenanceOrder)} is closed or flagged for deletion; changes are not possible`, target: '' }]);
        }
        const parsed = parseInput(maintenanceOrderType, bodyObject(request.body) ?? {}, 'update');
        const problems = [...parsed.errors, ...orderProblems(state, parsed.values, 'update')];
        if (problems.length > 0) return rejected(reply, problems);
        const order = { ...structuredClone(found.record), ...parsed.values };
        order.LastChangeDateTime = Math.floor(state.tenant.nowMicros() / 1_000_000) * 1000;
        state.tenant.maintenanceOrders.put(order);
        return reply.code(204).header('dataserviceversion', '2.0').send();
      } catch (error) {
        return handleQueryError(reply, error, SERVICE);
      }
    },
  });
}
