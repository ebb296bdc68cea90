/**
 * The runtime's error catalogue: every error the connection service and the worker raise has a
 * stable code, an HTTP status for the API and a message that says what was wrong and how to fix
 * it. Messages never contain credentials (they name fields, never values).
 */
export const RUNTIME_ERRORS = {
  master_key_missing: { status: 500, retriable: false },
  master_key_invalid: { status: 500, retriable: false },
  credentials_undecryptable: { status: 500, retriable: false },
  connection_not_found: { status: 404, retriable: false },
  connector_unknown: { status: 400, retriable: false },
  invalid_config: { status: 400, retriable: false },
  invalid_schedule: { status: 400, retriable: false },
  stream_unknown: { status: 400, retriable: false },
  connection_deleted: { status: 409, retriable: false },
  store_unavailable: { status: 503, retriable: true },
} as const;

export type RuntimeErrorCode = keyof typeof RUNTIME_ERRORS;

export class RuntimeError extends Error {
  readonly status: number;
  readonly retriable: boolean;

  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RuntimeError';
    this.status = RUNTIME_ERRORS[code].status;
    this.retriable = RUNTIME_ERRORS[code].retriable;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}
