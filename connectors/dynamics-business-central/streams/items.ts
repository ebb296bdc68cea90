import { advanceOverlap, firstSeen, type OverlapCursor } from '../../sdk/cursors.js';
import type { ReadContext, StreamDefinition, StreamPage } from '../../sdk/types.js';
import { companyPath, type BcClient } from '../client.js';
import { mapItem } from '../mappers/item.js';
import { contextOf, remoteIdOf } from '../mappers/values.js';
import type { BcItem, BcItemLedgerEntry } from '../raw-types.js';
import { changedSinceFilter, nextCompanyCursor, OVERLAP, type CompanyCursors } from './cursor.js';
import { fetchEntity } from './fetch-entity.js';
import { readChangedRecords } from './incremental.js';

/**
 * Items with their total `inventory`. That figure is a FlowField summed from item ledger entries:
 * posting a receipt or an adjustment changes it without changing the item's
 * `lastModifiedDateTime`. So after the items changed since the cursor, the stream reads the item
 * ledger entries posted since its ledger cursor and reads their items again: stock movements flow
 * as incrementally as edits do.
 */
export interface ItemsCursor extends CompanyCursors {
  /** Per company: position in itemLedgerEntries. */
  ledger?: Record<string, OverlapCursor>;
}

/** Item numbers per `$filter` (or-ed `number eq '…'`), short enough for any URL limit. */
const NUMBERS_PER_QUERY = 20;

function quoted(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

async function* itemsWithNewEntries(client: BcClient, companyId: string, ledger: OverlapCursor, signal: AbortSignal): AsyncGenerator<{ records: BcItem[]; ledger: OverlapCursor }> {
  let current = ledger;
  const query = { $filter: changedSinceFilter(ledger), $orderby: 'lastModifiedDateTime asc,id asc', $select: 'id,itemNumber,lastModifiedDateTime' };
  for await (const page of client.pages<BcItemLedgerEntry>(companyPath(companyId, 'itemLedgerEntries'), query, signal)) {
    const numbers = new Set<string>();
    for (const entry of page) {
      if (!firstSeen(current, entry.id, entry.lastModifiedDateTime)) continue;
      numbers.add(entry.itemNumber);
      current = advanceOverlap(current, entry.id, entry.lastModifiedDateTime, OVERLAP);
    }
    const records: BcItem[] = [];
    const list = [...numbers];
    for (let i = 0; i < list.length; i += NUMBERS_PER_QUERY) {
      const filter = list.slice(i, i + NUMBERS_PER_QUERY).map((number) => `number eq ${quoted(number)}`).join(' or ');
      for await (const items of client.pages<BcItem>(companyPath(companyId, 'items'), { $filter: filter }, signal)) records.push(...items);
    }
    yield { records, ledger: current };
  }
}

async function* readItems(client: BcClient, cursor: ItemsCursor | null, ctx: ReadContext): AsyncGenerator<StreamPage<BcItem, ItemsCursor>> {
  let current: ItemsCursor | null = cursor;
  for await (const page of readChangedRecords<BcItem>(client, cursor, ctx, 'items')) {
    current = { ...page.cursor!, ...(cursor?.ledger ? { ledger: cursor.ledger } : {}) };
    yield { records: page.records, cursor: current };
  }
  for (const companyId of await client.companyIds(ctx.signal)) {
    const ledger = current?.ledger?.[companyId];
    if (!ledger) {
      // This read covered every item of the company: stock is current as of when it began.
      current = { ...current!, ledger: { ...current?.ledger, [companyId]: { since: ctx.startedAt.toISOString(), seen: [] } } };
      yield { records: [], cursor: current };
      continue;
    }
    for await (const page of itemsWithNewEntries(client, companyId, ledger, ctx.signal)) {
      current = { ...current!, ledger: { ...current!.ledger, [companyId]: page.ledger } };
      yield { records: page.records, cursor: current };
    }
  }
}

export const itemsStream: StreamDefinition<BcClient, BcItem, ItemsCursor> = {
  name: 'items',
  entity: 'inventory_item',
  primaryKey: 'id',
  cursorField: 'lastModifiedDateTime',
  syncMode: 'incremental',
  defaultIntervalSeconds: 900,
  remoteId: (raw) => remoteIdOf(contextOf(raw).companyId, raw.id),
  read: readItems,
  nextCursor: (cursor, record) => ({ ...nextCompanyCursor(cursor, record), ...(cursor?.ledger ? { ledger: cursor.ledger } : {}) }),
  map: mapItem,
  fetchOne: (client, remoteId) => fetchEntity<BcItem>(client, remoteId, 'items'),
};
