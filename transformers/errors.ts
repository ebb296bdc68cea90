/**
 * The transformer's error catalogue. Per-record problems never throw: they become dead letters
 * (dead-letter.ts). These errors stop a batch; kafkajs retries a `retriable` one from the last
 * committed offset (and restarts the consumer after repeated failures); a non-retriable one stops
 * the worker with the message saying what to fix.
 */
export const TRANSFORMER_ERRORS = {
  /** transformer-state and the raw topics must have the same partition count (co-partitioning). */
  state_partitions_mismatch: { retriable: false },
  /** The state partitions could not be read up to their end in time. */
  state_load_timeout: { retriable: true },
  /**
   * Another producer took the input partition's transactional id over. The partition is prepared
   * again (which fences that producer in turn); if a newer group member owns it, the group's
   * rebalance takes it from this worker.
   */
  producer_fenced: { retriable: true },
  /** A transaction failed (broker error, timeout); the chunk is retried after the slot is reloaded. */
  transaction_failed: { retriable: true },
  /** The schema registry refused or could not register the entity's schema. */
  schema_registry_failed: { retriable: true },
  /** The worker was stopped or lost the partition while preparing it. */
  slot_revoked: { retriable: true },
} as const;

export type TransformerErrorCode = keyof typeof TRANSFORMER_ERRORS;

export class TransformerError extends Error {
  readonly retriable: boolean;

  constructor(
    readonly code: TransformerErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransformerError';
    this.retriable = TRANSFORMER_ERRORS[code].retriable;
  }
}
