import { createRequire } from 'node:module';

/**
 * A fix for kafkajs 2.2.4's read_committed filter, installed by createKafka().
 *
 * kafkajs drops aborted records using the fetch response's list of aborted transactions, but it
 * assumes the list is sorted by first offset and activates at most one transaction per record.
 * Brokers list aborted transactions in the order they were aborted, so when two producers'
 * transactions overlap in a partition and the one that started first aborts last (a killed
 * worker's transaction, aborted when its successor fences it), kafkajs hands the aborted
 * records to the application. Millrace writes several transactional producers into one
 * partition (events, dead letters, raw topics), so read_committed consumers saw them.
 *
 * The fix wraps Broker#fetch: for every partition with aborted transactions it runs the Java
 * consumer's algorithm (Fetcher: aborted transactions by first offset, a producer is aborted
 * from its first offset until its abort marker) and hides the aborted records as control
 * records, which kafkajs never delivers but still counts for the partition's position. The
 * list is then emptied, so kafkajs's own filter has nothing left to get wrong. Patching the
 * Broker prototype works whenever kafkajs was loaded: every fetch goes through it.
 */
interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  isControlRecord?: boolean;
  batchContext?: { producerId: string; inTransaction: boolean };
}

interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

interface PartitionData {
  abortedTransactions?: AbortedTransaction[];
  messages: FetchedMessage[];
}

const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

function isAbortMarker(message: FetchedMessage): boolean {
  return message.isControlRecord === true && message.key !== null && Buffer.from(message.key).equals(ABORT_MARKER_KEY);
}

/** Marks the records of aborted transactions as control records; returns how many it hid. */
export function hideAbortedRecords(partition: PartitionData): number {
  const aborted = partition.abortedTransactions ?? [];
  if (aborted.length === 0) return 0;
  const queue = [...aborted].sort((a, b) => compareOffsets(a.firstOffset, b.firstOffset));
  const abortedProducers = new Set<string>();
  let hidden = 0;
  for (const message of partition.messages) {
    while (queue.length > 0 && compareOffsets(queue[0]!.firstOffset, message.offset) <= 0) abortedProducers.add(queue.shift()!.producerId);
    const producerId = message.batchContext?.producerId;
    if (producerId === undefined) continue;
    if (message.isControlRecord) {
      if (isAbortMarker(message)) abortedProducers.delete(producerId);
      continue;
    }
    if (message.batchContext?.inTransaction && abortedProducers.has(producerId)) {
      message.isControlRecord = true;
      hidden++;
    }
  }
  partition.abortedTransactions = [];
  return hidden;
}

function compareOffsets(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left === right ? 0 : left < right ? -1 : 1;
}

const INSTALLED = Symbol.for('millrace.kafkajs.readCommittedFix');

export function installReadCommittedFix(): void {
  const require = createRequire(import.meta.url);
  const Broker = require('kafkajs/src/broker/index.js') as { prototype: Record<string | symbol, unknown> };
  const prototype = Broker.prototype;
  if (prototype[INSTALLED]) return;
  const original = prototype.fetch as (this: unknown, request: unknown) => Promise<{ responses: { partitions: PartitionData[] }[] }>;
  prototype.fetch = async function fetchReadCommitted(this: unknown, request: unknown) {
    const response = await original.call(this, request);
    for (const topic of response.responses ?? []) for (const partition of topic.partitions ?? []) hideAbortedRecords(partition);
    return response;
  };
  prototype[INSTALLED] = true;
}
