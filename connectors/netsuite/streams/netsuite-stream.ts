import type { EntityName, MappedRecord } from '../../../schemas/index.js';
import type { MapContext, StreamDefinition } from '../../sdk/types.js';
import type { NetSuiteClient } from '../client.js';
import { discover, type NetSuiteCursor } from '../discovery.js';
import type { Raw } from '../mappers/common.js';
import type { DiscoverySpec } from '../suiteql.js';

/**
 * The shape every NetSuite stream shares: SuiteQL discovery + record bodies + deleted-record log
 * (see discovery.ts), keyed by the internal id, cursor on `lastModifiedDate`.
 */
export interface NetSuiteStreamOptions<E extends EntityName> {
  name: string;
  entity: E;
  spec: DiscoverySpec;
  map(raw: Raw, ctx: MapContext): MappedRecord<E>;
  /** Re-read every record on this schedule even when unchanged (children that change silently). */
  fullReadEvery?: (client: NetSuiteClient) => number;
}

const EMPTY_CURSOR: NetSuiteCursor = { changes: { since: null, seen: [] }, deletes: { since: null, seen: [] }, fullReadAt: null };

export function netsuiteStream<E extends EntityName>(options: NetSuiteStreamOptions<E>): StreamDefinition<NetSuiteClient, Raw, NetSuiteCursor> {
  return {
    name: options.name,
    entity: options.entity,
    primaryKey: 'id',
    cursorField: 'lastModifiedDate',
    syncMode: 'incremental',
    defaultIntervalSeconds: 300,
    remoteId: (raw) => String(raw.id),
    read: (client, cursor, ctx) =>
      discover(client, options.spec, cursor, {
        pageSize: client.config.pageSize,
        overlapSeconds: client.config.overlapMinutes * 60,
        fullReadEverySeconds: options.fullReadEvery ? options.fullReadEvery(client) : null,
      }, ctx),
    // The cursor lives on the SuiteQL session clock, which a record body (UTC) does not carry:
    // read() computes each page's cursor from SuiteQL's rows. A record captured outside a sync
    // (fetchOne after a write) must not move it either, or changes made before it could be skipped.
    nextCursor: (cursor) => cursor ?? EMPTY_CURSOR,
    map: (raw, ctx) => options.map(raw, ctx),
    fetchOne: (client, remoteId) => client.getRecord(options.spec.recordPath, remoteId),
  };
}
