import type { WorkOrderPriority, WorkOrderStatus, WorkOrderTaskStatus, WorkOrderType } from '../../../schemas/index.js';

/**
 * SAP maintenance order statuses → unified work-order status. API_MAINTENANCEORDER gives the
 * active system statuses as text (`SystemStatusText`, 4-character codes: "REL  PCNF MANC PRC")
 * and the user statuses of the order's status profile (`UserStatusText`). The first rule that
 * matches wins:
 *
 * | system status present                     | unified     |
 * |-------------------------------------------|-------------|
 * | DLFL (deletion flag)                      | cancelled   |
 * | CLSD (closed)                             | closed      |
 * | TECO (technically completed)              | completed   |
 * | CNF  (finally confirmed)                  | completed   |
 * | PCNF (partially confirmed)                | in_progress |
 * | REL  (released) with scheduled dates      | scheduled   |
 * | REL  (released) without scheduled dates   | approved    |
 * | CRTD (created, not released)              | requested   |
 * | none of these                             | null        |
 *
 * User statuses are defined per customer (status profiles), so they never change the unified
 * status; remote_status keeps them: `"REL PCNF MANC PRC | HOLD"` (system statuses, then " | "
 * and the user statuses when there are any).
 */
export function statusCodes(text: string | null): string[] {
  return (text ?? '').split(/\s+/).filter(Boolean);
}

export function remoteWorkOrderStatus(systemText: string | null, userText: string | null): string | null {
  const system = statusCodes(systemText).join(' ');
  const user = statusCodes(userText).join(' ');
  if (!system && !user) return null;
  return user ? `${system} | ${user}` : system;
}

export function workOrderStatus(systemText: string | null, hasScheduledDates: boolean): WorkOrderStatus | null {
  const codes = new Set(statusCodes(systemText));
  if (codes.has('DLFL')) return 'cancelled';
  if (codes.has('CLSD')) return 'closed';
  if (codes.has('TECO') || codes.has('CNF')) return 'completed';
  if (codes.has('PCNF')) return 'in_progress';
  if (codes.has('REL')) return hasScheduledDates ? 'scheduled' : 'approved';
  if (codes.has('CRTD')) return 'requested';
  return null;
}

/** Operation statuses: CNF done, PCNF started, DLT/deletion flag cancelled, anything else open. */
export function taskStatus(systemText: string | null, markedForDeletion: boolean): WorkOrderTaskStatus {
  const codes = new Set(statusCodes(systemText));
  if (markedForDeletion || codes.has('DLT') || codes.has('DLFL')) return 'cancelled';
  if (codes.has('CNF')) return 'completed';
  if (codes.has('PCNF')) return 'in_progress';
  return 'open';
}

/** SAP's standard PM priorities (priority type PM): 1 very high … 4 low. Other values → null. */
export function workOrderPriority(priority: string | null): WorkOrderPriority | null {
  switch (priority) {
    case '1':
      return 'urgent';
    case '2':
      return 'high';
    case '3':
      return 'medium';
    case '4':
      return 'low';
    default:
      return null;
  }
}

/**
 * Order type → work type: SAP's standard PM01 (maintenance order) and PM02 (preventive), and the
 * SAP Best Practices types of S/4HANA Cloud (YBA1 reactive, YBA2 proactive). Every other type
 * (refurbishment, calibration, customer types) → other; remote_type keeps it.
 */
const ORDER_TYPES: Record<string, WorkOrderType> = {
  PM01: 'corrective',
  PM02: 'preventive',
  YBA1: 'corrective',
  YBA2: 'preventive',
};

export function workOrderType(orderType: string | null): WorkOrderType | null {
  if (orderType === null) return null;
  return ORDER_TYPES[orderType] ?? 'other';
}
