import type { StreamDefinition } from '../../sdk/types.js';
import type { BcClient } from '../client.js';
import { mapVendor } from '../mappers/vendor.js';
import { contextOf, remoteIdOf } from '../mappers/values.js';
import type { BcVendor } from '../raw-types.js';
import { nextCompanyCursor, type CompanyCursors } from './cursor.js';
import { fetchEntity } from './fetch-entity.js';
import { readChangedRecords } from './incremental.js';

export const vendorsStream: StreamDefinition<BcClient, BcVendor, CompanyCursors> = {
  name: 'vendors',
  entity: 'vendor',
  primaryKey: 'id',
  cursorField: 'lastModifiedDateTime',
  syncMode: 'incremental',
  defaultIntervalSeconds: 900,
  remoteId: (raw) => remoteIdOf(contextOf(raw).companyId, raw.id),
  read: (client, cursor, ctx) => readChangedRecords<BcVendor>(client, cursor, ctx, 'vendors'),
  nextCursor: nextCompanyCursor,
  map: mapVendor,
  fetchOne: (client, remoteId) => fetchEntity<BcVendor>(client, remoteId, 'vendors'),
};
