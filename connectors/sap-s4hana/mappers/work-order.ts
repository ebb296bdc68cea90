import type { MappedAssignee, MappedWorkOrder, MappedWorkOrderPart, MappedWorkOrderTask } from '../../../schemas/index.js';
import type { MapContext } from '../../sdk/types.js';
import { divide, sum } from '../decimal.js';
import { RawReader } from './raw-reader.js';
import { remoteWorkOrderStatus, taskStatus, workOrderPriority, workOrderStatus, workOrderType } from './work-order-status.js';

/**
 * MaintenanceOrder (with `to_MaintenanceOrderOperation` and each operation's
 * `to_MaintOrderOpComponent` expanded) → unified work order: operations become tasks,
 * components become parts. Time confirmations are not part of this API, so labor is empty and
 * actual hours come from the operations' `ActualWorkQuantity`.
 */
const HOURS_PER_UNIT: Record<string, string> = { H: '1', HR: '1', STD: '1', MIN: '60', S: '3600' };

/** A work duration in SAP's unit → hours; null for units that are not time (or unknown). */
export function toHours(value: string | null, unit: string | null): string | null {
  if (value === null) return null;
  const per = HOURS_PER_UNIT[(unit ?? 'H').toUpperCase()];
  return per === undefined ? null : divide(value, per, 9);
}

function mapOperation(operation: RawReader, orderNumber: string): { task: MappedWorkOrderTask; started: string | null; ended: string | null } {
  const sequenceText = operation.requiredText('MaintenanceOrderOperation');
  const unit = operation.text('MaintOrdOpWorkDurationUnit');
  const status = taskStatus(operation.text('SystemStatusText'), operation.flag('IsMarkedForDeletion'));
  const started = operation.dateAndTime('OpActualExecutionStartDate', 'OpActualExecutionStartTime');
  const ended = operation.dateAndTime('OpActualExecutionEndDate', 'OpActualExecutionEndTime');
  const subOperation = operation.text('MaintenanceOrderSubOperation');
  return {
    task: {
      remote_id: `${orderNumber}/${sequenceText}${subOperation ? `/${subOperation}` : ''}`,
      sequence: /^\d+$/.test(sequenceText) ? Number(sequenceText) : null,
      description: operation.text('OperationDescription'),
      status,
      remote_status: remoteWorkOrderStatus(operation.text('SystemStatusText'), operation.text('UserStatusText')),
      assigned_to: operation.text('WorkCenter'),
      estimated_hours: toHours(operation.decimal('MaintOrdOperationWorkDuration'), unit),
      actual_hours: toHours(operation.decimal('ActualWorkQuantity'), unit),
      completed_at: status === 'completed' ? ended : null,
    },
    started,
    ended,
  };
}

function mapComponent(component: RawReader, ctx: MapContext): MappedWorkOrderPart {
  const product = component.text('Product');
  const plant = component.text('Plant');
  const storageLocation = component.text('StorageLocation');
  const location = plant ? (storageLocation ? `${plant}/${storageLocation}` : plant) : null;
  const reservation = component.text('Reservation');
  const reservationItem = component.text('ReservationItem');
  return {
    remote_id: reservation && reservationItem ? `${reservation}/${reservationItem}` : null,
    item_id: product ? ctx.idFor('inventory_item', product) : null,
    item_remote_id: product,
    item_code: product,
    description: component.text('MaintOrdOperationComponentText'),
    planned_quantity: component.decimal('MaintOrdOpCompRequiredQuantity'),
    actual_quantity: null,
    uom: component.text('BaseUnit'),
    location_id: location ? ctx.idFor('location', location) : null,
    location_remote_id: location,
    unit_cost: component.decimal('MaintOrderOpComponentPrice'),
  };
}

function assignees(order: RawReader, ctx: MapContext): MappedAssignee[] {
  const list: MappedAssignee[] = [];
  const workCenter = order.text('MainWorkCenter');
  if (workCenter) list.push({ type: 'team', user_id: null, remote_id: workCenter, name: workCenter });
  const person = order.text('MaintOrdPersonResponsible');
  if (person) list.push({ type: 'user', user_id: ctx.idFor('user', person), remote_id: person, name: null });
  return list;
}

const earliest = (values: (string | null)[]) => values.filter((value): value is string => value !== null).sort()[0] ?? null;
const latest = (values: (string | null)[]) => values.filter((value): value is string => value !== null).sort().at(-1) ?? null;

export function mapWorkOrder(raw: Record<string, unknown>, ctx: MapContext): MappedWorkOrder {
  const order = new RawReader(raw);
  const number = order.requiredText('MaintenanceOrder');
  const operations = order.children('to_MaintenanceOrderOperation').map((operation) => mapOperation(operation, number));
  const parts = order
    .children('to_MaintenanceOrderOperation')
    .flatMap((operation) => operation.children('to_MaintOrderOpComponent'))
    .map((component) => mapComponent(component, ctx));
  const scheduledStart = order.timestamp('MaintOrdSchedldBscStrtDateTime') ?? order.dateAndTime('ScheduledBasicStartDate', 'ScheduledBasicStartTime');
  const scheduledEnd = order.timestamp('MaintOrdSchedldBscEndDateTime') ?? order.dateAndTime('ScheduledBasicEndDate', 'ScheduledBasicEndTime');
  const systemStatus = order.text('SystemStatusText');
  const status = workOrderStatus(systemStatus, scheduledStart !== null);
  const deleted = status === 'cancelled' && systemStatus !== null && /\bDLFL\b/.test(systemStatus);
  const updatedAt = order.timestamp('LastChangeDateTime');
  const tasks = operations.map((operation) => operation.task);
  const hours = (pick: (task: MappedWorkOrderTask) => string | null | undefined) => {
    const values = tasks.filter((task) => task.status !== 'cancelled').map(pick);
    return values.length === 0 || values.some((value) => value === null || value === undefined) ? null : sum(values as string[]);
  };
  const equipment = order.text('Equipment');
  const functionalLocation = order.text('FunctionalLocation');
  const priority = order.text('MaintPriority');
  const actualEnd = latest(operations.map((operation) => operation.ended));
  return {
    remote_id: number,
    display_value: `Maintenance order ${number}`,
    remote_created_at: null,
    remote_updated_at: updatedAt,
    remote_deleted_at: deleted ? updatedAt : null,
    is_deleted: deleted,
    number,
    title: order.text('MaintenanceOrderDesc'),
    description: null,
    status,
    remote_status: remoteWorkOrderStatus(systemStatus, order.text('UserStatusText')),
    priority: workOrderPriority(priority),
    remote_priority: priority,
    type: workOrderType(order.text('MaintenanceOrderType')),
    remote_type: order.text('MaintenanceOrderType'),
    asset_id: equipment ? ctx.idFor('asset', equipment) : null,
    asset_remote_id: equipment,
    location_id: functionalLocation ? ctx.idFor('location', functionalLocation) : null,
    location_remote_id: functionalLocation,
    site: order.text('MaintenancePlant'),
    assigned_to: assignees(order, ctx),
    requested_by: null,
    reported_at: null,
    due_date: order.date('LatestAcceptableCompletionDate'),
    scheduled_start: scheduledStart,
    scheduled_end: scheduledEnd,
    actual_start: earliest(operations.map((operation) => operation.started)),
    actual_end: actualEnd,
    completed_at: status === 'completed' || status === 'closed' ? actualEnd : null,
    estimated_hours: hours((task) => task.estimated_hours),
    actual_hours: hours((task) => task.actual_hours),
    parent_work_order_id: null,
    parent_work_order_remote_id: null,
    maintenance_plan_id: null,
    maintenance_plan_remote_id: null,
    failure_code: null,
    problem_code: null,
    cause_code: null,
    remedy: null,
    cost_total: null,
    currency: null,
    tasks,
    parts,
    labor: [],
    custom_fields: order.customFields(),
  };
}
