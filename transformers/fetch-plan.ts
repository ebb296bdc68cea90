import type { KafkaMessage } from 'kafkajs';

/**
 * What one fetch of a raw partition leaves to do, given the slot's committed position.
 *
 * - `fresh`: the records not committed yet (a fetch can repeat records a transaction already
 *   committed, e.g. after a commit whose answer was lost and the slot was prepared again).
 * - `resolveTo`: the offset to mark consumed in kafkajs when nothing in the fetch is fresh.
 * - `pastMarkersTo`: when nothing is fresh, the offset after the fetch's last offset if that lies
 *   past the committed position: transaction markers (and aborted records) read after the
 *   committed records, which only a commit of their own moves the group past. kafkajs gives no
 *   message for them and does not fetch them again.
 */
export interface FetchPlan {
  fresh: KafkaMessage[];
  /** The offset after the fetch (past its trailing markers): what the last chunk's transaction commits. */
  end: bigint;
  resolveTo: string | null;
  pastMarkersTo: bigint | null;
}

/** `committed`: the slot's next offset (null: nothing committed yet); `lastOffset`: kafkajs's `batch.lastOffset()`. */
export function planFetch(messages: KafkaMessage[], committed: bigint | null, lastOffset: string): FetchPlan {
  const end = BigInt(lastOffset) + 1n;
  if (committed === null) return { fresh: messages, end, resolveTo: null, pastMarkersTo: null };
  const fresh = messages.filter((message) => BigInt(message.offset) >= committed);
  if (fresh.length > 0) return { fresh, end, resolveTo: null, pastMarkersTo: null };
  return { fresh, end, resolveTo: messages.at(-1)?.offset ?? null, pastMarkersTo: end > committed ? end : null };
}
