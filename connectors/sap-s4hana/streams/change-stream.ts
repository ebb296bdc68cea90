import type { EntityName, MappedRecord } from '../../../schemas/index.js';
import type { MapContext, ReadContext, StreamDefinition, StreamPage } from '../../sdk/types.js';
import type { ChangeAxis } from '../change-axes.js';
import { advanceChangeCursor, readChanges, type ChangeCursor } from '../change-reader.js';
import type { QueryParams, SapClient } from '../client.js';
import type { ODataRecord } from '../odata/page.js';
import { pageFetcher } from './fetching.js';

/**
 * An incremental stream over one SAP entity set read with the change reader: the purchase
 * orders, maintenance orders and equipment streams are instances; vendors add a driver set.
 * `enrich` turns each page of records read into the raw records captured (attaching what SAP
 * delivers through other requests), and `driverOf` finds the read record back in a raw one, for
 * the pure cursor function.
 */
export interface ChangeStreamSpec {
  name: string;
  entity: EntityName;
  service: string;
  entitySet: string;
  keyField: string;
  axes: readonly ChangeAxis[];
  /** $expand of every page request. */
  expand?: string;
  /** Restricts every request (current time segment, supplier role). */
  baseFilter?: string;
  primaryKey: string;
  cursorField: string;
  /** Records whose change time is initial (null) exist and are found by full passes. */
  cursorNullable?: boolean;
  defaultIntervalSeconds: number;
  enrich?(client: SapClient, records: ODataRecord[], state: Map<string, unknown>, signal: AbortSignal): Promise<ODataRecord[]>;
  driverOf?(raw: ODataRecord): ODataRecord;
  map(raw: ODataRecord, ctx: MapContext): MappedRecord<EntityName>;
  fetchOne(client: SapClient, remoteId: string): Promise<ODataRecord | null>;
}

export function defineChangeStream(spec: ChangeStreamSpec): StreamDefinition<SapClient, ODataRecord, ChangeCursor> {
  const driverOf = spec.driverOf ?? ((raw: ODataRecord) => raw);
  return {
    name: spec.name,
    entity: spec.entity,
    primaryKey: spec.primaryKey,
    cursorField: spec.cursorField,
    ...(spec.cursorNullable ? { cursorNullable: true } : {}),
    syncMode: 'incremental',
    defaultIntervalSeconds: spec.defaultIntervalSeconds,
    remoteId: (raw) => String(raw[spec.primaryKey] ?? ''),
    async *read(client: SapClient, cursor: ChangeCursor | null, ctx: ReadContext): AsyncGenerator<StreamPage<ODataRecord, ChangeCursor>> {
      const extra: QueryParams = spec.expand ? { $expand: spec.expand } : {};
      const pages = readChanges(
        {
          keyField: spec.keyField,
          axes: spec.axes,
          pageSize: client.config.pageSize,
          overlapSeconds: client.config.changeOverlapSeconds,
          ...(spec.baseFilter ? { baseFilter: spec.baseFilter } : {}),
          fetch: pageFetcher(client, spec.service, spec.entitySet, extra, ctx.signal),
        },
        cursor,
      );
      // Per-sync memory for enrich (e.g. superior equipment already looked up).
      const state = new Map<string, unknown>();
      for await (const page of pages) {
        const records = spec.enrich && page.records.length > 0 ? await spec.enrich(client, page.records, state, ctx.signal) : page.records;
        yield { records, cursor: page.cursor };
      }
    },
    nextCursor: (cursor, record) => advanceChangeCursor(cursor, driverOf(record), spec.keyField, spec.axes),
    map: (raw, ctx) => spec.map(raw, ctx),
    fetchOne: (client, remoteId) => spec.fetchOne(client, remoteId),
  };
}
