import { describe, expect, it } from 'vitest';
import { mappedRecordSchema, recordId } from '../../../schemas/index.js';
import { mapWorkOrder, toHours } from './work-order.js';
import { remoteWorkOrderStatus, taskStatus, workOrderPriority, workOrderStatus, workOrderType } from './work-order-status.js';
import { fixture, TEST_CONNECTION, testMapContext } from './test-context.js';

describe('work order mapper', () => {
  it('maps the documented MaintenanceOrder payload with operations and components', () => {
    const mapped = mapWorkOrder(fixture('maintenance-order'), testMapContext);
    expect(mappedRecordSchema('work_order').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      remote_id: '4000000',
      number: '4000000',
      title: 'Mechanical Inspection for Pump',
      status: 'in_progress',
      remote_status: 'REL PCNF GMPS JBFI MANC PRC SETC TTJL | INIT',
      priority: 'high',
      remote_priority: '2',
      type: 'preventive',
      remote_type: 'YBA2',
      asset_remote_id: '217100002',
      asset_id: recordId(TEST_CONNECTION, 'asset', '217100002'),
      location_remote_id: '1710-SPA-SAC-PLAR1-INLT-SCTV',
      site: '1710',
      due_date: '2017-08-02',
      scheduled_start: '2017-07-26T06:00:00.000Z',
      scheduled_end: '2017-07-26T07:03:45.000Z',
      actual_start: '2017-07-26T06:15:00.000Z',
      actual_end: '2017-07-26T08:45:00.000Z',
      completed_at: null,
      estimated_hours: '3.5',
      actual_hours: '2.5',
      remote_updated_at: '2017-07-26T11:55:21.000Z',
      is_deleted: false,
      assigned_to: [{ type: 'team', remote_id: 'RES-0300', name: 'RES-0300', user_id: null }],
      labor: [],
    });
    expect(mapped.tasks).toEqual([
      expect.objectContaining({ sequence: 10, status: 'completed', remote_status: 'CNF REL', estimated_hours: '2', actual_hours: '2.5', completed_at: '2017-07-26T08:45:00.000Z', remote_id: '4000000/0010' }),
      expect.objectContaining({ sequence: 20, status: 'open', estimated_hours: '1.5', actual_hours: '0', completed_at: null }),
    ]);
    expect(mapped.parts).toEqual([
      expect.objectContaining({
        remote_id: '27/1',
        item_remote_id: 'SG23',
        item_id: recordId(TEST_CONNECTION, 'inventory_item', 'SG23'),
        planned_quantity: '2',
        uom: 'PC',
        location_remote_id: '1710/171A',
        unit_cost: '48.2',
      }),
    ]);
  });

  it('treats the deletion flag as a soft delete and reads a null change time', () => {
    const raw = fixture('maintenance-order');
    raw.SystemStatusText = 'CRTD DLFL MANC';
    raw.LastChangeDateTime = null;
    const mapped = mapWorkOrder(raw, testMapContext);
    expect(mapped).toMatchObject({ status: 'cancelled', is_deleted: true, remote_updated_at: null, remote_deleted_at: null });
  });

  it('names the operation field path for a malformed operation time', () => {
    const raw = fixture('maintenance-order');
    raw.to_MaintenanceOrderOperation.results[1].OpErlstSchedldExecStrtTme = '08:00';
    raw.to_MaintenanceOrderOperation.results[1].OpActualExecutionStartDate = '/Date(1501027200000)/';
    raw.to_MaintenanceOrderOperation.results[1].OpActualExecutionStartTime = '08:00';
    expect(() => mapWorkOrder(raw, testMapContext)).toThrow(expect.objectContaining({ path: 'to_MaintenanceOrderOperation.results[1].OpActualExecutionStartTime' }));
  });
});

describe('work order status table', () => {
  it.each([
    ['CRTD MANC NMAT', true, 'requested'],
    ['REL  MANC PRC  SETC', true, 'scheduled'],
    ['REL  MANC', false, 'approved'],
    ['REL  PCNF MANC', true, 'in_progress'],
    ['REL  CNF  MANC', true, 'completed'],
    ['TECO CNF  PRC', true, 'completed'],
    ['CLSD CNF  PRC', true, 'closed'],
    ['CRTD DLFL', true, 'cancelled'],
    ['MANC PRC', true, null],
    ['', true, null],
  ] as const)('"%s" → %s', (text, scheduled, expected) => {
    expect(workOrderStatus(text, scheduled)).toBe(expected);
  });

  it('keeps system and user statuses in remote_status', () => {
    expect(remoteWorkOrderStatus('REL  PCNF', 'HOLD')).toBe('REL PCNF | HOLD');
    expect(remoteWorkOrderStatus('REL  PCNF', '')).toBe('REL PCNF');
    expect(remoteWorkOrderStatus('', '')).toBeNull();
  });

  it('maps priorities, order types, operation statuses and work units', () => {
    expect(['1', '2', '3', '4', '', '9'].map((value) => workOrderPriority(value || null))).toEqual(['urgent', 'high', 'medium', 'low', null, null]);
    expect(['PM01', 'PM02', 'YBA1', 'YBA2', 'ZM07'].map(workOrderType)).toEqual(['corrective', 'preventive', 'corrective', 'preventive', 'other']);
    expect([taskStatus('CNF  REL', false), taskStatus('PCNF REL', false), taskStatus('REL', false), taskStatus('REL', true)]).toEqual(['completed', 'in_progress', 'open', 'cancelled']);
    expect([toHours('90', 'MIN'), toHours('2.0', 'H'), toHours('1', 'DAY')]).toEqual(['1.5', '2', null]);
  });
});
