import { firstSeen } from '../../sdk/cursors.js';
import type { ReadContext, StreamPage } from '../../sdk/types.js';
import { companyPath, type BcClient } from '../client.js';
import type { BcEntity } from '../raw-types.js';
import { changedSinceFilter, companyCursor, nextCompanyCursor, type CompanyCursors } from './cursor.js';

/**
 * Reads one entity set of every company of the connection, changed since the cursor, ordered by
 * (lastModifiedDateTime, id) so each page can be checkpointed. Paging follows `@odata.nextLink`
 * (its `$skiptoken` is a bookmark, so records changed while paging move to the end and are read
 * again rather than skipped). Records already emitted at the same change time are dropped.
 */
export async function* readChangedRecords<T extends BcEntity>(
  client: BcClient,
  cursor: CompanyCursors | null,
  ctx: ReadContext,
  entitySet: string,
  expand?: string,
): AsyncGenerator<StreamPage<T, CompanyCursors>> {
  let current = cursor;
  for (const companyId of await client.companyIds(ctx.signal)) {
    const filter = changedSinceFilter(companyCursor(current, companyId));
    const query = { $filter: filter, $orderby: 'lastModifiedDateTime asc,id asc', $expand: expand };
    for await (const page of client.pages<T>(companyPath(companyId, entitySet), query, ctx.signal)) {
      const records: T[] = [];
      for (const record of page) {
        if (!firstSeen(companyCursor(current, companyId), record.id, record.lastModifiedDateTime)) continue;
        records.push(record);
        current = nextCompanyCursor(current, record);
      }
      yield { records, cursor: current };
    }
  }
}
