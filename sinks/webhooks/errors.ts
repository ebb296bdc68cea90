/**
 * The webhook sink's error catalogue. Every error the subscription service and the delivery
 * worker raise has a stable code, an HTTP status for the API and a message that says what was
 * wrong, where, and how to fix it. Messages never contain signing secrets.
 */
export const WEBHOOK_ERRORS = {
  /** The input failed its zod schema; `details.issues` names each field. */
  webhook_input_invalid: { status: 400, retriable: false },
  /** Not an absolute URL, or a scheme other than https/http. */
  webhook_url_invalid: { status: 400, retriable: false },
  /** Plain http:// to a host that is not in MILLRACE_WEBHOOK_DEV_ALLOWLIST. */
  webhook_url_insecure: { status: 400, retriable: false },
  /** The host is, or resolves to, a private/loopback/link-local/reserved… address (SSRF guard). */
  webhook_url_forbidden_address: { status: 400, retriable: false },
  /** The host name does not resolve. */
  webhook_url_unresolvable: { status: 400, retriable: false },
  webhook_subscription_not_found: { status: 404, retriable: false },
  webhook_delivery_not_found: { status: 404, retriable: false },
  /** Replay, manual retry or delivery asked of an endpoint that is disabled. */
  webhook_subscription_disabled: { status: 409, retriable: false },
  /** A stored signing secret does not decrypt with the configured master keys. */
  webhook_secret_undecryptable: { status: 500, retriable: false },
  /** Kafka or ClickHouse did not answer; the request can be repeated. */
  webhook_store_unavailable: { status: 503, retriable: true },
} as const;

export type WebhookErrorCode = keyof typeof WEBHOOK_ERRORS;

export class WebhookError extends Error {
  readonly status: number;
  readonly retriable: boolean;

  constructor(
    readonly code: WebhookErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WebhookError';
    this.status = WEBHOOK_ERRORS[code].status;
    this.retriable = WEBHOOK_ERRORS[code].retriable;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isWebhookError(error: unknown, code?: WebhookErrorCode): error is WebhookError {
  return error instanceof WebhookError && (code === undefined || error.code === code);
}
