/**
 * The API's error catalogue: every error the HTTP API answers has a stable `code`, an HTTP
 * `status` and a `fix` that says what to do about it. Each code is documented in
 * docs/api-errors.md (a unit test checks that none is missing). Error bodies never carry a
 * stack trace, a credential or a source's raw secret-bearing message.
 *
 * Errors of other stages (the connection service, the webhook service, connectors) are mapped
 * onto these codes in error-mapping.ts.
 */
export const API_ERRORS = {
  // Requests
  request_invalid: { status: 400, fix: 'Correct the fields listed in `issues` (path and message each) and send the request again.' },
  body_invalid_json: { status: 400, fix: 'Send a well-formed JSON body with content-type: application/json.' },
  body_too_large: { status: 413, fix: 'Send a smaller body: the API accepts at most the configured body limit (1 MB by default).' },
  unsupported_media_type: { status: 415, fix: 'Send the body as JSON with content-type: application/json.' },
  route_not_found: { status: 404, fix: 'Check the method and path against the OpenAPI document at /openapi.json.' },
  cursor_invalid: { status: 400, fix: 'Pass `cursor` exactly as `next_cursor` was returned, with the same filters; start again without a cursor if in doubt.' },

  // Authentication and limits
  api_key_missing: { status: 401, fix: 'Send an API key in the header `Authorization: Bearer mr_…`.' },
  api_key_invalid: { status: 401, fix: 'The API key is unknown or revoked: use a current key (an admin can create one with POST /v1/api-keys).' },
  scope_insufficient: { status: 403, fix: 'Use an API key with the scope this route needs (read < write < admin).' },
  rate_limited: { status: 429, fix: 'Wait for the number of seconds in the Retry-After header, then retry; ask an admin for a key with a higher limit if this is regular load.' },

  // Resources
  connection_not_found: { status: 404, fix: 'Check the connection id; GET /v1/connections lists the connections this key may see.' },
  record_not_found: { status: 404, fix: 'Check the record id and entity; records appear once their connection has synced them.' },
  api_key_not_found: { status: 404, fix: 'Check the key id; GET /v1/api-keys lists the keys of this owner.' },
  webhook_subscription_not_found: { status: 404, fix: 'Check the subscription id; GET /v1/webhooks lists the subscriptions of this owner.' },
  webhook_delivery_not_found: { status: 404, fix: 'Check the delivery id; GET /v1/webhooks/{id}/deliveries lists recent deliveries (the log keeps 90 days).' },
  entity_unknown: { status: 404, fix: 'Use one of the entities listed by GET /v1/schemas.' },

  // Connections
  connector_unknown: { status: 400, fix: 'Use a `system` listed by GET /v1/connectors.' },
  connection_config_invalid: { status: 400, fix: 'Correct the configuration fields listed in `issues`; GET /v1/connectors describes each connector\'s fields.' },
  schedule_invalid: { status: 400, fix: 'Give each stream an interval in whole seconds from 1 to 2,592,000 (30 days).' },
  stream_unknown: { status: 400, fix: 'Use a stream the connection\'s connector has; GET /v1/connectors lists them.' },
  connection_test_failed: { status: 422, fix: 'The source refused the test described in `details`; correct host, credentials or permissions and try again.' },
  mapping_invalid: { status: 400, fix: 'Correct the mapping fields listed in `issues`; see docs/transformers.md for the mapping format.' },

  // Unified reads
  sql_invalid: { status: 400, fix: 'Correct the SQL: ClickHouse\'s message is in `details.clickhouse`.' },
  sql_not_allowed: { status: 403, fix: 'Query only the tables listed by the error (the unified tables and views of your connections), without SETTINGS clauses or table functions.' },
  sql_timeout: { status: 408, fix: 'Make the query cheaper (filter by connection_id, fewer columns, a LIMIT) or raise the timeout in the request (up to the server\'s maximum).' },

  // Writes
  write_not_supported: { status: 405, fix: 'This connection\'s connector cannot write this entity; GET /v1/connectors lists what each connector writes.' },
  write_validation_failed: { status: 422, fix: 'Correct the fields listed in `issues` (the unified model\'s rules and the source system\'s own rules).' },
  reference_not_found: { status: 422, fix: 'Each field in `issues` holds a Millrace id that is not a synced record of the write\'s connection: use an id read from that connection, or give the source\'s key in the matching *_remote_id field.' },
  idempotency_key_invalid: { status: 400, fix: 'Send an Idempotency-Key of 1 to 255 visible ASCII characters, e.g. a UUID.' },
  idempotency_key_reused: { status: 422, fix: 'This Idempotency-Key was used for a different request; use a new key for a new request.' },
  idempotency_key_in_progress: { status: 409, fix: 'A request with this Idempotency-Key is still running; retry after a moment to receive its result.' },

  // The source system (through the connection)
  source_validation_failed: { status: 422, fix: 'The source system refused the content; its field errors are in `issues` and its own words in `details`.' },
  source_conflict: { status: 409, fix: 'The record changed in the source since Millrace read it (both versions in `details`); read it again, reapply your change and retry.' },
  source_auth_failed: { status: 424, fix: 'The source system rejected the connection\'s credentials: update them with PUT /v1/connections/{id}/credentials.' },
  source_permission_denied: { status: 424, fix: 'The source system\'s user lacks a permission for this call: extend its role, then retry.' },
  source_not_found: { status: 404, fix: 'The source system has no such record or path: check the id or path.' },
  source_rate_limited: { status: 503, fix: 'The source system is throttling this connection: retry after the Retry-After seconds.' },
  source_unavailable: { status: 502, fix: 'The source system did not answer or failed (details say how); retry later, or check its host in the connection config.' },
  source_invalid_response: { status: 502, fix: 'The source system answered something unexpected (details say what); report it if it persists.' },
  source_config_invalid: { status: 424, fix: 'The connection\'s configuration cannot work with the source (details say why): update the connection config.' },
  passthrough_not_allowed: { status: 403, fix: 'The method and path are outside this connector\'s passthrough allowlist (listed in `details.allowed`).' },
  passthrough_not_supported: { status: 405, fix: 'This connection\'s connector has no passthrough; use the unified endpoints.' },

  // Webhooks
  webhook_input_invalid: { status: 400, fix: 'Correct the subscription fields listed in `issues`.' },
  webhook_url_invalid: { status: 400, fix: 'Give an absolute https:// URL.' },
  webhook_url_insecure: { status: 400, fix: 'Use https://; plain http:// is accepted only for hosts in MILLRACE_WEBHOOK_DEV_ALLOWLIST.' },
  webhook_url_forbidden_address: { status: 400, fix: 'Use a public host: private, loopback, link-local and reserved addresses are refused.' },
  webhook_url_unresolvable: { status: 400, fix: 'Use a host name that resolves in DNS.' },
  webhook_subscription_disabled: { status: 409, fix: 'Enable the subscription (PATCH with enabled: true) before retrying or replaying.' },

  // Server side
  store_unavailable: { status: 503, fix: 'Kafka or ClickHouse did not answer in time; retry in a moment. If it persists, check GET /healthz.' },
  server_misconfigured: { status: 500, fix: 'An operator must fix the server configuration named in the message (master keys, for instance).' },
  internal_error: { status: 500, fix: 'An unexpected error; retry, and report it with the request_id if it persists.' },
} as const satisfies Record<string, { status: number; fix: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ErrorIssue {
  /** Where: `body.lines.0.quantity`, `query.limit`, `header.idempotency-key`. */
  path: string;
  message: string;
}

/** An error the API answers as `{ error: { code, message, fix, issues?, details?, request_id } }`. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: { issues?: ErrorIssue[]; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = API_ERRORS[code].status;
  }
}

export interface ErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    fix: string;
    issues?: ErrorIssue[];
    details?: Record<string, unknown>;
    request_id: string;
  };
}

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      fix: API_ERRORS[error.code].fix,
      ...(error.extra.issues ? { issues: error.extra.issues } : {}),
      ...(error.extra.details ? { details: error.extra.details } : {}),
      request_id: requestId,
    },
  };
}
