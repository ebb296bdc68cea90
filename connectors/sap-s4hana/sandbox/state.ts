import type { FaultState, RequestLogEntry } from '../../sandbox-kit/faults.js';
import type { SandboxRecord } from './model.js';
import type { OrderedCollection } from './ordered-collection.js';
import type { PagingSettings } from './query.js';
import type { SecurityState } from './security.js';
import type { SapTenant } from './tenant.js';

/** Everything a running SAP sandbox holds; routes read it, the control API changes it. */
export interface SapSandboxState {
  tenant: SapTenant;
  security: SecurityState;
  faults: FaultState;
  requestLog: RequestLogEntry[];
  paging: PagingSettings;
  /**
   * "Records changing while a sync pages through them": after each collection page of this
   * entity set is served, the first `recordsPerPage` records of it are changed (new change time).
   */
  changeWhilePaging: { entitySet: string; recordsPerPage: number } | null;
  /** Entity sets whose type has a concurrency token: ETags, and If-Match required on changes (concurrency-tokens.ts). */
  concurrencyTokens: ReadonlySet<string>;
  /** Purchase orders some other user is editing (SAP enqueue lock): writes to them fail. */
  locks: Map<string, string>;
  /** Called after a collection page is served, with the records on it. */
  afterPage(collection: OrderedCollection, records: SandboxRecord[]): void;
}
