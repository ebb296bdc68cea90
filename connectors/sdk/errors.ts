/**
 * Typed errors every connector throws. The runtime decides from `kind` and `retriable` what to do:
 * `auth` stops polling and announces connection.auth_required; `unavailable` counts towards
 * offline; `rate_limited` waits; everything else fails the sync with its code and message.
 * Messages never contain credentials.
 */
export type ConnectorErrorKind =
  | 'auth' // 401, invalid_grant, revoked or expired credentials that cannot be refreshed
  | 'permission' // 403: authenticated but not allowed
  | 'not_found' // 404
  | 'rate_limited' // 429 (or the source's throttling code)
  | 'unavailable' // 5xx, connection refused, DNS failure, timeout
  | 'invalid_response' // unparseable or schema-violating body
  | 'validation' // the source refused a write's content (4xx with field errors)
  | 'conflict' // optimistic concurrency: the record changed since it was read (409/412)
  | 'config'; // the connection's configuration cannot work (bad base URL, unknown company)

const RETRIABLE: Record<ConnectorErrorKind, boolean> = {
  auth: false,
  permission: false,
  not_found: false,
  rate_limited: true,
  unavailable: true,
  invalid_response: false,
  validation: false,
  conflict: false,
  config: false,
};

export interface ConnectorErrorOptions {
  status?: number;
  /** Seconds the source asked us to wait (Retry-After), when it said. */
  retryAfterSeconds?: number;
  /** The source's own error code (`/IWFND/CM_CONSUMER/101`, `INVALID_LOGIN`, `Request_EntityChanged`). */
  sourceCode?: string;
  /** The source's message, as it said it. */
  sourceMessage?: string;
  /** Field-level problems (`o:errorPath`, SAP `errordetails[].target`, …). */
  fieldErrors?: { path: string; message: string; code?: string }[];
  /** Anything else callers need (e.g. both versions' timestamps on a conflict). No secrets. */
  details?: Record<string, unknown>;
  /**
   * Overrides the kind's default `retriable` (e.g. a vendor's "record locked by another user"
   * is a `conflict` worth retrying). Leave unset to use the kind's default.
   */
  retriable?: boolean;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  readonly retriable: boolean;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly sourceCode?: string;
  readonly sourceMessage?: string;
  readonly fieldErrors?: { path: string; message: string; code?: string }[];
  readonly details?: Record<string, unknown>;

  constructor(kind: ConnectorErrorKind, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.kind = kind;
    this.retriable = options.retriable ?? RETRIABLE[kind];
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.sourceCode !== undefined) this.sourceCode = options.sourceCode;
    if (options.sourceMessage !== undefined) this.sourceMessage = options.sourceMessage;
    if (options.fieldErrors !== undefined) this.fieldErrors = options.fieldErrors;
    if (options.details !== undefined) this.details = options.details;
  }

  /** A plain object safe to put in events, logs and API bodies. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      retriable: this.retriable,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.retryAfterSeconds !== undefined ? { retry_after_seconds: this.retryAfterSeconds } : {}),
      ...(this.sourceCode !== undefined ? { source_code: this.sourceCode } : {}),
      ...(this.sourceMessage !== undefined ? { source_message: this.sourceMessage } : {}),
      ...(this.fieldErrors !== undefined ? { field_errors: this.fieldErrors } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError;
}

/**
 * Thrown by a mapper when a raw record cannot become a unified one. `path` names the raw field
 * (`to_PurchaseOrderItem.results[2].OrderQuantity`); the transformer puts it in the dead letter.
 */
export class MappingError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'MappingError';
  }
}
