import type { StreamDefinition } from '../../sdk/types.js';
import type { BcClient } from '../client.js';
import { mapItem } from '../mappers/item.js';
import { contextOf, remoteIdOf } from '../mappers/values.js';
import type { BcItem } from '../raw-types.js';
import { nextCompanyCursor, type CompanyCursors } from './cursor.js';
import { fetchEntity } from './fetch-entity.js';
import { readChangedRecords } from './incremental.js';

/**
 * Items with their total `inventory`. That figure is a FlowField summed from item ledger entries:
 * posting a receipt changes it without changing the item's `lastModifiedDateTime`, so incremental
 * reads do not see stock movements; the runtime's periodic full pass (or a shorter full-refresh
 * interval for this stream) brings stock up to date. See the README.
 */
export const itemsStream: StreamDefinition<BcClient, BcItem, CompanyCursors> = {
  name: 'items',
  entity: 'inventory_item',
  primaryKey: 'id',
  cursorField: 'lastModifiedDateTime',
  syncMode: 'incremental',
  defaultIntervalSeconds: 900,
  remoteId: (raw) => remoteIdOf(contextOf(raw).companyId, raw.id),
  read: (client, cursor, ctx) => readChangedRecords<BcItem>(client, cursor, ctx, 'items'),
  nextCursor: nextCompanyCursor,
  map: mapItem,
  fetchOne: (client, remoteId) => fetchEntity<BcItem>(client, remoteId, 'items'),
};
