import { advanceOverlap, firstSeen, type OverlapCursor } from '../../sdk/cursors.js';
import type { ReadContext, StreamDefinition, StreamPage } from '../../sdk/types.js';
import { companyPath, type BcClient } from '../client.js';
import { mapPurchaseOrder } from '../mappers/purchase-order.js';
import { contextOf, parseRemoteId, remoteIdOf } from '../mappers/values.js';
import type { BcClosedPurchaseOrder, BcPurchaseOrder, BcPurchaseOrderRecord } from '../raw-types.js';
import { allClosedOrders, changedClosedOrders, closedOrderById } from './closed-orders.js';
import { changedSinceFilter, OVERLAP } from './cursor.js';
import { fetchEntity } from './fetch-entity.js';

/**
 * Purchase orders with their lines (`$expand=purchaseOrderLines`: lines carry no change time of
 * their own; a line change re-stamps its order, whose totals it changes, and the order is read
 * again whole). Per company, two positions: open orders by `lastModifiedDateTime`, and posted
 * invoices by theirs (orders vanish once fully invoiced and are emitted as closed, see
 * closed-orders.ts). A full pass reads every open order and every invoiced order, so the
 * runtime's delete inference only deletes orders deleted without being invoiced.
 */
export interface PurchaseOrderCursor {
  v: 1;
  companies: Record<string, { orders: OverlapCursor | null; invoices: OverlapCursor | null }>;
}

type Positions = PurchaseOrderCursor['companies'][string];

function positions(cursor: PurchaseOrderCursor | null, companyId: string): Positions {
  return cursor?.companies[companyId] ?? { orders: null, invoices: null };
}

function withPositions(cursor: PurchaseOrderCursor | null, companyId: string, next: Positions): PurchaseOrderCursor {
  return { v: 1, companies: { ...(cursor?.companies ?? {}), [companyId]: next } };
}

function isClosed(record: BcPurchaseOrderRecord): record is BcClosedPurchaseOrder {
  return (record as BcClosedPurchaseOrder)['@millrace.reconstructedFrom'] === 'purchaseInvoices';
}

export function nextPurchaseOrderCursor(cursor: PurchaseOrderCursor | null, record: BcPurchaseOrderRecord): PurchaseOrderCursor {
  const { companyId } = contextOf(record);
  const at = positions(cursor, companyId);
  if (!isClosed(record)) return withPositions(cursor, companyId, { ...at, orders: advanceOverlap(at.orders, record.id, record.lastModifiedDateTime, OVERLAP) });
  const newest = record.purchaseInvoices.find((invoice) => invoice.lastModifiedDateTime === record.lastModifiedDateTime) ?? record.purchaseInvoices[0]!;
  return withPositions(cursor, companyId, { ...at, invoices: advanceOverlap(at.invoices, newest.id, newest.lastModifiedDateTime, OVERLAP) });
}

async function* readPurchaseOrders(client: BcClient, cursor: PurchaseOrderCursor | null, ctx: ReadContext): AsyncGenerator<StreamPage<BcPurchaseOrderRecord, PurchaseOrderCursor>> {
  let current = cursor ?? { v: 1 as const, companies: {} };
  for (const companyId of await client.companyIds(ctx.signal)) {
    const start = positions(current, companyId);
    const fullOrders = start.orders === null;
    const openIds = fullOrders ? new Set<string>() : null;
    const query = { $filter: changedSinceFilter(start.orders), $orderby: 'lastModifiedDateTime asc,id asc', $expand: 'purchaseOrderLines' };
    for await (const page of client.pages<BcPurchaseOrder>(companyPath(companyId, 'purchaseOrders'), query, ctx.signal)) {
      const records: BcPurchaseOrder[] = [];
      for (const order of page) {
        openIds?.add(order.id.toLowerCase());
        if (!firstSeen(positions(current, companyId).orders, order.id, order.lastModifiedDateTime)) continue;
        records.push(order);
        current = nextPurchaseOrderCursor(current, order);
      }
      yield { records, cursor: current };
    }

    const invoices = positions(current, companyId).invoices;
    if (invoices !== null) {
      for await (const page of changedClosedOrders(client, companyId, invoices, ctx.signal)) {
        current = withPositions(current, companyId, { ...positions(current, companyId), invoices: page.cursor });
        yield { records: page.records, cursor: current };
      }
      continue;
    }
    // First read of this company's invoices: all invoiced orders, then incremental from when this read began.
    const closed = allClosedOrders(client, companyId, openIds, ctx.signal);
    const before = current;
    let step = await closed.next();
    while (!step.done) {
      yield { records: step.value, cursor: before };
      step = await closed.next();
    }
    // An invoice changed during this pass may sit behind the pass's position: never start after the pass began.
    const folded = step.value;
    const began = ctx.startedAt.toISOString();
    const invoicesFrom = folded?.since && Date.parse(folded.since) <= Date.parse(began) ? folded : { since: began, seen: [] };
    current = withPositions(current, companyId, { ...positions(current, companyId), invoices: invoicesFrom });
    yield { records: [], cursor: current };
  }
}

export const purchaseOrdersStream: StreamDefinition<BcClient, BcPurchaseOrderRecord, PurchaseOrderCursor> = {
  name: 'purchase_orders',
  entity: 'purchase_order',
  primaryKey: 'id',
  cursorField: 'lastModifiedDateTime',
  syncMode: 'incremental',
  defaultIntervalSeconds: 300,
  remoteId: (raw) => remoteIdOf(contextOf(raw).companyId, raw.id),
  read: readPurchaseOrders,
  nextCursor: nextPurchaseOrderCursor,
  map: mapPurchaseOrder,
  async fetchOne(client, remoteId) {
    const order = await fetchEntity<BcPurchaseOrder>(client, remoteId, 'purchaseOrders', 'purchaseOrderLines');
    if (order) return order;
    const { companyId, id } = parseRemoteId(remoteId);
    return closedOrderById(client, companyId, id);
  },
};
