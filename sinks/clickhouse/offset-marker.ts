/**
 * The pending-batch marker. Before inserting a batch the sink commits the batch's first offset
 * with metadata naming its last offset; after ClickHouse acknowledged the insert it commits
 * last + 1 with no metadata. A worker that finds a marker on the committed offset (the previous
 * owner died or lost the partition in between) re-forms exactly that batch, from the committed
 * offset to the named end, so its token repeats and ClickHouse drops whatever had landed.
 */
const PREFIX = 'millrace-clickhouse-sink:pending-end=';

export function pendingMarker(lastOffset: bigint): string {
  return `${PREFIX}${lastOffset}`;
}

/** The pending batch's last offset, or undefined when the metadata names none. */
export function parsePendingMarker(metadata: string | null | undefined): bigint | undefined {
  if (!metadata?.startsWith(PREFIX)) return undefined;
  const text = metadata.slice(PREFIX.length);
  return /^\d+$/.test(text) ? BigInt(text) : undefined;
}
