import { advanceOverlap, firstSeen, type OverlapCursor } from '../../sdk/cursors.js';
import { companyPath, type BcClient } from '../client.js';
import { EMPTY_GUID, type BcClosedPurchaseOrder, type BcPurchaseInvoice } from '../raw-types.js';
import { changedSinceFilter, OVERLAP } from './cursor.js';

/**
 * Business Central deletes a purchase order once it is fully received and invoiced; what remains
 * are posted purchase invoices carrying `orderId`/`orderNumber`. These readers turn such an order
 * into a "closed" record (BcClosedPurchaseOrder: the order's id and number, the newest invoice's
 * change time, and all of its posted invoices with lines), so it is closed in Millrace, not deleted.
 */
const UNPOSTED = new Set(['Draft', 'In Review', ' ', '']);
const WITH_ORDER = `orderId ne ${EMPTY_GUID}`;

function isPostedWithOrder(invoice: BcPurchaseInvoice): boolean {
  return !UNPOSTED.has(invoice.status) && typeof invoice.orderId === 'string' && invoice.orderId !== EMPTY_GUID;
}

export function closedOrder(client: BcClient, companyId: string, orderId: string, invoices: BcPurchaseInvoice[]): BcClosedPurchaseOrder {
  const newest = invoices.reduce((a, b) => (Date.parse(b.lastModifiedDateTime) > Date.parse(a.lastModifiedDateTime) ? b : a));
  const purchaseInvoices = invoices.map(({ '@odata.context': _context, ...invoice }) => invoice as BcPurchaseInvoice);
  return {
    '@odata.context': `${client.apiRoot}/$metadata#companies(${companyId})/purchaseOrders/$entity`,
    '@millrace.reconstructedFrom': 'purchaseInvoices',
    id: orderId.toLowerCase(),
    number: newest.orderNumber,
    lastModifiedDateTime: newest.lastModifiedDateTime,
    purchaseInvoices,
  };
}

/** All posted invoices of one order, with lines; null when it has none. */
export async function closedOrderById(client: BcClient, companyId: string, orderId: string, signal?: AbortSignal): Promise<BcClosedPurchaseOrder | null> {
  const invoices: BcPurchaseInvoice[] = [];
  const query = { $filter: `orderId eq ${orderId}`, $expand: 'purchaseInvoiceLines' };
  for await (const page of client.pages<BcPurchaseInvoice>(companyPath(companyId, 'purchaseInvoices'), query, signal)) {
    invoices.push(...page.filter(isPostedWithOrder));
  }
  return invoices.length === 0 ? null : closedOrder(client, companyId, orderId, invoices);
}

async function orderExists(client: BcClient, companyId: string, orderId: string, signal?: AbortSignal): Promise<boolean> {
  return (await client.getOne(companyPath(companyId, `purchaseOrders(${orderId})`), { $select: 'id' }, signal)) !== null;
}

/**
 * Incremental: invoices posted or changed since the cursor; for each order they name that no
 * longer exists, the rebuilt closed order. Pages are ordered by change time, so each is a checkpoint.
 */
export async function* changedClosedOrders(client: BcClient, companyId: string, cursor: OverlapCursor | null, signal?: AbortSignal): AsyncGenerator<{ records: BcClosedPurchaseOrder[]; cursor: OverlapCursor | null }> {
  let current = cursor;
  const filter = [changedSinceFilter(cursor), WITH_ORDER].filter(Boolean).join(' and ');
  const query = { $filter: filter, $orderby: 'lastModifiedDateTime asc,id asc' };
  for await (const page of client.pages<BcPurchaseInvoice>(companyPath(companyId, 'purchaseInvoices'), query, signal)) {
    const orderIds = new Set<string>();
    for (const invoice of page) {
      if (!firstSeen(current, invoice.id, invoice.lastModifiedDateTime)) continue;
      if (isPostedWithOrder(invoice)) orderIds.add(invoice.orderId.toLowerCase());
      current = advanceOverlap(current, invoice.id, invoice.lastModifiedDateTime, OVERLAP);
    }
    const records: BcClosedPurchaseOrder[] = [];
    for (const orderId of orderIds) {
      if (await orderExists(client, companyId, orderId, signal)) continue; // partly invoiced: still open
      const closed = await closedOrderById(client, companyId, orderId, signal);
      if (closed) records.push(closed);
    }
    yield { records, cursor: current };
  }
}

/**
 * Full pass: every posted invoice that names an order, ordered by order number so an order's
 * invoices arrive together; orders still open (in `openOrderIds`, or found by a read when that
 * set is unknown) are skipped. Not checkpointable (not ordered by change time); returns the
 * overlap cursor folded over every invoice read (the fold does not depend on their order), so the
 * next incremental read neither misses nor repeats what this pass saw.
 */
export async function* allClosedOrders(client: BcClient, companyId: string, openOrderIds: Set<string> | null, signal?: AbortSignal): AsyncGenerator<BcClosedPurchaseOrder[], OverlapCursor | null> {
  let pending: BcPurchaseInvoice[] = [];
  let position: OverlapCursor | null = null;
  const flush = async (): Promise<BcClosedPurchaseOrder[]> => {
    const group = pending;
    pending = [];
    if (group.length === 0) return [];
    const orderId = group[0]!.orderId.toLowerCase();
    const open = openOrderIds ? openOrderIds.has(orderId) : await orderExists(client, companyId, orderId, signal);
    return open ? [] : [closedOrder(client, companyId, orderId, group)];
  };
  const query = { $filter: WITH_ORDER, $orderby: 'orderNumber asc,orderId asc', $expand: 'purchaseInvoiceLines' };
  for await (const page of client.pages<BcPurchaseInvoice>(companyPath(companyId, 'purchaseInvoices'), query, signal)) {
    const records: BcClosedPurchaseOrder[] = [];
    for (const invoice of page) {
      position = advanceOverlap(position, invoice.id, invoice.lastModifiedDateTime, OVERLAP);
      if (!isPostedWithOrder(invoice)) continue;
      if (pending.length > 0 && pending[0]!.orderId.toLowerCase() !== invoice.orderId.toLowerCase()) records.push(...(await flush()));
      pending.push(invoice);
    }
    yield records;
  }
  const last = await flush();
  if (last.length > 0) yield last;
  return position;
}
