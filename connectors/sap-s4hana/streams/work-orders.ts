import { dateTimeAxis } from '../change-axes.js';
import { mapWorkOrder } from '../mappers/work-order.js';
import { keyPredicate } from '../odata/values.js';
import { SERVICES } from '../services.js';
import { defineChangeStream } from './change-stream.js';

/**
 * MaintenanceOrder with operations and their components. LastChangeDateTime is a UTC short time
 * stamp (Edm.DateTime, seconds); orders whose change time is initial are found by full passes.
 */
const EXPAND = 'to_MaintenanceOrderOperation,to_MaintenanceOrderOperation/to_MaintOrderOpComponent';

export const workOrdersStream = defineChangeStream({
  name: 'work_orders',
  entity: 'work_order',
  service: SERVICES.maintenanceOrder,
  entitySet: 'MaintenanceOrder',
  keyField: 'MaintenanceOrder',
  axes: [dateTimeAxis('LastChangeDateTime')],
  expand: EXPAND,
  primaryKey: 'MaintenanceOrder',
  cursorField: 'LastChangeDateTime',
  cursorNullable: true,
  defaultIntervalSeconds: 300,
  map: mapWorkOrder,
  fetchOne: (client, remoteId) => client.entity(SERVICES.maintenanceOrder, `MaintenanceOrder${keyPredicate({ MaintenanceOrder: remoteId })}`, { $expand: EXPAND }),
});
