import { recordId, type ReferenceTarget } from '../schemas/index.js';

/**
 * recordId (UUID v5: SHA-1 over the name) costs a few microseconds, and a purchase order's
 * mapper asks for the vendor's and every line item's id: the same few thousand vendors and
 * items, over and over. Ids are pure functions of their inputs, so a bounded memo is safe; it is
 * simply dropped when full (no LRU bookkeeping on the hot path).
 */
const MAX_ENTRIES = 100_000;
const memo = new Map<string, string>();

export function cachedRecordId(connectionId: string, entity: ReferenceTarget, remoteId: string): string {
  const key = `${connectionId}\u0000${entity}\u0000${remoteId}`;
  let id = memo.get(key);
  if (id === undefined) {
    id = recordId(connectionId, entity, remoteId);
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(key, id);
  }
  return id;
}
