/**
 * The ClickHouse sink's error catalogue. Per-record problems never throw: they become rows of
 * `dead_letters` (stage `sink`). These errors stop the sink at start-up or mark a batch for retry.
 */
export const SINK_ERRORS = {
  /** A schema migration statement failed; nothing after it ran. */
  migration_failed: { retriable: false },
  /** ClickHouse did not take a batch (unreachable, timeout, too many parts); the batch is retried with the same token. */
  insert_failed: { retriable: true },
  /** A consumer-group offset could not be committed; the batch is retried or re-formed after a restart. */
  commit_failed: { retriable: true },
  /** The partition moved to another worker (rebalance) while a batch was in flight; that worker re-forms it. */
  partition_revoked: { retriable: false },
  /** The sink's options are unusable. */
  invalid_options: { retriable: false },
} as const;

export type SinkErrorCode = keyof typeof SINK_ERRORS;

export class SinkError extends Error {
  readonly retriable: boolean;

  constructor(
    readonly code: SinkErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SinkError';
    this.retriable = SINK_ERRORS[code].retriable;
  }
}
