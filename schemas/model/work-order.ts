import { assignee } from './common-records.js';
import { workOrderPriority, workOrderStatus, workOrderTaskStatus, workOrderType } from './enums.js';
import { entityModel } from './envelope.js';
import { f, fields, record, reference } from './field.js';

const c = { write: 'create' } as const;
const cu = { write: 'create_update' } as const;

export const workOrderTask = record('WorkOrderTask', 'One step of the work (SAP operation, Maximo task, UpKeep checklist item).', {
  remote_id: f.text('The task\'s key in the source, when it has one.'),
  sequence: f.integer('Position of the task in the work order (SAP operation 0010 → 10). On update, tasks are matched by it.', cu),
  description: f.text('What is to be done.', { ...cu, requiredOnCreate: true }),
  status: f.enum(workOrderTaskStatus, 'Canonical task status.', cu),
  remote_status: f.code('The task status as the source states it.'),
  assigned_to: f.text('Who does the task (person, team or work center), as the source names it.', cu),
  estimated_hours: f.hours('Planned work, in hours.', cu),
  actual_hours: f.hours('Work recorded so far, in hours.'),
  completed_at: f.timestamp('When the task was completed (UTC).'),
});

export const workOrderPart = record('WorkOrderPart', 'A part or material reserved for or used by the work order.', {
  remote_id: f.text('The part line\'s key in the source (reservation item, material line).'),
  ...reference('item', 'inventory_item', 'The inventory item'),
  item_code: f.text('Item number or SKU.'),
  description: f.text('Description of the part.'),
  planned_quantity: f.quantity('Quantity planned or reserved, in uom.'),
  actual_quantity: f.quantity('Quantity actually issued or used so far, in uom.'),
  uom: f.code('Unit of measure of the quantities.'),
  ...reference('location', 'location', 'Where the part is taken from (storeroom, storage location)'),
  unit_cost: f.money('Cost of one uom, in the work order\'s currency.'),
});

export const workOrderLabor = record('WorkOrderLabor', 'Time worked on the work order (a labor transaction or time confirmation).', {
  remote_id: f.text('The labor entry\'s key in the source (confirmation number, labor transaction id).'),
  ...reference('user', 'user', 'The person who worked'),
  user_name: f.text('Name of the person as the source shows it.'),
  craft: f.text('Craft, trade or activity type (electrician, mechanic).'),
  task_sequence: f.integer('The task (by sequence) the time was booked on; null when booked on the whole work order.'),
  work_date: f.date('The day the work was done.'),
  started_at: f.timestamp('Start of the work (UTC), when recorded.'),
  ended_at: f.timestamp('End of the work (UTC), when recorded.'),
  hours: f.hours('Hours worked.'),
  rate: f.money('Cost per hour, in the work order\'s currency.'),
  cost: f.money('Cost of this entry (hours × rate, or as the source computed it).'),
});

export const workOrderModel = entityModel({
  entity: 'work_order',
  name: 'WorkOrder',
  label: 'work orders',
  doc: 'A maintenance job (SAP maintenance order, Maximo work order, UpKeep/Fiix/Limble work order or task), with its tasks, parts and labor.',
  own: fields({
    number: f.text('The work order number people use (4000123, WO-1042).', c),
    title: f.text('Short description (one line).', { ...cu, requiredOnCreate: true }),
    description: f.text('Long description of the problem or the work.', cu),
    status: f.enum(workOrderStatus, 'Canonical status; null when the native status has no canonical equivalent (see remote_status).', cu),
    remote_status: f.code('The status exactly as the source states it (SAP phase 03, Maximo WAPPR, an UpKeep status).'),
    priority: f.enum(workOrderPriority, 'Canonical priority; null when the source has none or it has no canonical equivalent.', cu),
    remote_priority: f.code('The priority as the source states it (SAP 1–4, a Limble priority id).'),
    type: f.enum(workOrderType, 'Canonical work type.', c),
    remote_type: f.code('The work type as the source states it (SAP order type PM01, Maximo worktype CM).'),
    ...reference('asset', 'asset', 'The asset the work is on', cu),
    ...reference('location', 'location', 'The location the work is at (functional location, site area)', cu),
    site: f.text('Site or plant (SAP maintenance plant, Maximo siteid).', c),
    assigned_to: f.records(assignee, 'People and teams the work is assigned to.', cu),
    requested_by: f.text('Who asked for the work.', c),
    reported_at: f.timestamp('When the problem was reported or the request made (UTC).', c),
    due_date: f.date('When the work must be finished.', cu),
    scheduled_start: f.timestamp('Planned start (UTC).', cu),
    scheduled_end: f.timestamp('Planned end (UTC).', cu),
    actual_start: f.timestamp('When work actually started (UTC).'),
    actual_end: f.timestamp('When work actually ended (UTC).'),
    completed_at: f.timestamp('When the work order was completed (UTC).'),
    estimated_hours: f.hours('Planned work, in hours (sum over tasks when the source plans per task).', cu),
    actual_hours: f.hours('Work recorded, in hours.'),
    ...reference('parent_work_order', 'work_order', 'The parent work order, for a sub-order', c),
    ...reference('maintenance_plan', 'maintenance_plan', 'The preventive maintenance plan that generated the work order', c),
    failure_code: f.code('Failure class or damage code (what failed).', cu),
    problem_code: f.code('Problem or symptom code (what was observed).', cu),
    cause_code: f.code('Cause code (why it failed).', cu),
    remedy: f.text('What was done to fix it (remedy text or code).', cu),
    cost_total: f.money('Actual total cost so far (labor, parts, services).'),
    currency: f.currency('Currency of every amount on the work order (ISO 4217).'),
    tasks: f.records(workOrderTask, 'The steps of the work, in sequence.', cu),
    parts: f.records(workOrderPart, 'Parts and materials planned or used.'),
    labor: f.records(workOrderLabor, 'Time worked.'),
  }),
});
