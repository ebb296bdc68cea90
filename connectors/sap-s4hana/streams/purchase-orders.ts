import { dateTimeOffsetAxis } from '../change-axes.js';
import { mapPurchaseOrder } from '../mappers/purchase-order.js';
import { keyPredicate } from '../odata/values.js';
import { SERVICES } from '../services.js';
import { defineChangeStream } from './change-stream.js';

/**
 * A_PurchaseOrder with its items and their schedule lines. Items have no change time of their own;
 * a change to an item moves the header's LastChangeDateTime (Edm.DateTimeOffset, 100 ns in SAP,
 * milliseconds in JSON), so re-reading changed headers with `$expand` re-reads their items.
 */
const EXPAND = 'to_PurchaseOrderItem,to_PurchaseOrderItem/to_ScheduleLine';

export const purchaseOrdersStream = defineChangeStream({
  name: 'purchase_orders',
  entity: 'purchase_order',
  service: SERVICES.purchaseOrder,
  entitySet: 'A_PurchaseOrder',
  keyField: 'PurchaseOrder',
  axes: [dateTimeOffsetAxis('LastChangeDateTime')],
  expand: EXPAND,
  primaryKey: 'PurchaseOrder',
  cursorField: 'LastChangeDateTime',
  defaultIntervalSeconds: 300,
  map: mapPurchaseOrder,
  fetchOne: (client, remoteId) => client.entity(SERVICES.purchaseOrder, `A_PurchaseOrder${keyPredicate({ PurchaseOrder: remoteId })}`, { $expand: EXPAND }),
});
