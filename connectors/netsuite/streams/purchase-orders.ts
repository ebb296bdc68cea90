import { mapPurchaseOrder } from '../mappers/purchase-order.js';
import { PURCHASE_ORDERS } from '../suiteql.js';
import { netsuiteStream } from './netsuite-stream.js';

/**
 * Purchase orders with their item lines. Lines have no timestamp of their own; editing a line
 * changes the order's lastModifiedDate, so the whole order (lines expanded) is re-read with it.
 */
export const purchaseOrdersStream = netsuiteStream({ name: 'purchase_orders', entity: 'purchase_order', spec: PURCHASE_ORDERS, map: mapPurchaseOrder });
