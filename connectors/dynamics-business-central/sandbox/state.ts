import type { FaultState, RequestLogEntry } from '../../sandbox-kit/faults.js';
import type { AuthState } from './auth.js';
import type { SandboxClock } from './clock.js';
import type { CompanyStore } from './company-store.js';
import type { EntitySetName } from './entity-schemas.js';
import type { LimitGate } from './limits.js';
import { runListQuery, type ListQuery } from './list-query.js';
import type { Timestamped } from './table.js';

/** Business Central-specific fault switches, beside the kit's (down, slow, rate limit, malformed pages). */
export interface BcFaults extends FaultState {
  /**
   * For the next N list pages that have a next page: after serving the page, change one record the
   * page held and the first record of the next page (both move to the end of a change-time order),
   * as when users edit records while a sync pages through them.
   */
  changeWhilePaging: number;
  /** Time each API request spends inside the environment's processing slots (after admission), ms. */
  processingMs: number;
}

export class SandboxState {
  readonly requestLog: RequestLogEntry[] = [];
  /** Records the change-while-paging fault touched: `<company>/<set>/<id>`. */
  readonly pagingChanges: string[] = [];

  constructor(
    readonly environment: string,
    readonly companies: CompanyStore[],
    readonly auth: AuthState,
    readonly faults: BcFaults,
    readonly limits: LimitGate,
    readonly clock: SandboxClock,
  ) {}

  company(id: string): CompanyStore {
    const store = this.companies.find((candidate) => candidate.id === id.toLowerCase());
    if (!store) throw new Error(`sandbox has no company ${id}; companies: ${this.companies.map((c) => c.id).join(', ')}`);
    return store;
  }

  afterPageWithMore(store: CompanyStore, set: EntitySetName, rows: Timestamped[], skiptoken: string, options: ListQuery): void {
    if (this.faults.changeWhilePaging <= 0) return;
    this.faults.changeWhilePaging--;
    const table = set === 'purchaseOrders' ? store.orders : set === 'vendors' ? store.vendors : set === 'items' ? store.items : undefined;
    if (!table) return;
    const ahead = runListQuery(table as never, set, { ...options, skiptoken, skip: 0 }, 1).rows[0] as Timestamped | undefined;
    for (const record of [rows[0], ahead]) {
      if (!record) continue;
      if (set === 'purchaseOrders') store.updateOrder(record.id, {});
      else if (set === 'vendors') store.updateVendor(record.id, {});
      else store.updateItem(record.id, {});
      this.pagingChanges.push(`${store.id}/${set}/${record.id}`);
    }
  }
}
