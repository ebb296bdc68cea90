/**
 * The transformer's error catalogue. Per-record problems never throw: they become dead letters
 * (dead-letter.ts). These errors stop a batch or the worker, and the batch is retried from the
 * last committed offset once the cause is fixed.
 */
export const TRANSFORMER_ERRORS = {
  /** transformer-state and the raw topics must have the same partition count (co-partitioning). */
  state_partitions_mismatch: { retriable: false },
  /** The state partitions could not be read up to their end in time. */
  state_load_timeout: { retriable: true },
  /** A newer owner of the input partition took its transactional id over. */
  producer_fenced: { retriable: false },
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
