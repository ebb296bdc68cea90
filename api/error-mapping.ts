import { ConnectorError, type ConnectorErrorKind } from '../connectors/sdk/errors.js';
import { ControlTopicUnavailableError } from '../platform/compacted-view.js';
import { RuntimeError, type RuntimeErrorCode } from '../producers/errors.js';
import { WebhookError, type WebhookErrorCode } from '../sinks/webhooks/errors.js';
import { ApiError, type ApiErrorCode, type ErrorIssue } from './errors.js';

/**
 * Errors of other stages and of fastify itself, mapped onto the API catalogue. Anything not
 * recognised becomes `internal_error` with a generic message: its text may hold internals, so
 * it is logged, never answered.
 */
const RUNTIME_CODES: Record<RuntimeErrorCode, ApiErrorCode> = {
  master_key_missing: 'server_misconfigured',
  master_key_invalid: 'server_misconfigured',
  credentials_undecryptable: 'server_misconfigured',
  connection_not_found: 'connection_not_found',
  connector_unknown: 'connector_unknown',
  invalid_config: 'connection_config_invalid',
  invalid_schedule: 'schedule_invalid',
  stream_unknown: 'stream_unknown',
  connection_deleted: 'connection_not_found',
  store_unavailable: 'store_unavailable',
};

const WEBHOOK_CODES: Record<WebhookErrorCode, ApiErrorCode> = {
  webhook_input_invalid: 'webhook_input_invalid',
  webhook_url_invalid: 'webhook_url_invalid',
  webhook_url_insecure: 'webhook_url_insecure',
  webhook_url_forbidden_address: 'webhook_url_forbidden_address',
  webhook_url_unresolvable: 'webhook_url_unresolvable',
  webhook_subscription_not_found: 'webhook_subscription_not_found',
  webhook_delivery_not_found: 'webhook_delivery_not_found',
  webhook_subscription_disabled: 'webhook_subscription_disabled',
  webhook_secret_undecryptable: 'server_misconfigured',
  webhook_store_unavailable: 'store_unavailable',
};

const CONNECTOR_CODES: Record<ConnectorErrorKind, ApiErrorCode> = {
  auth: 'source_auth_failed',
  permission: 'source_permission_denied',
  not_found: 'source_not_found',
  rate_limited: 'source_rate_limited',
  unavailable: 'source_unavailable',
  invalid_response: 'source_invalid_response',
  validation: 'source_validation_failed',
  conflict: 'source_conflict',
  config: 'source_config_invalid',
};

const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request_invalid',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body_invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body_invalid_json',
};

/** One issue per zod/ajv validation problem, with the part of the request in front of the path. */
export function validationIssues(validation: unknown[], context: string | undefined): ErrorIssue[] {
  const where = context === 'querystring' ? 'query' : (context ?? 'request');
  const issues: ErrorIssue[] = [];
  for (const raw of validation) {
    const item = raw as { instancePath?: string; message?: string; keyword?: string; params?: { keys?: string[] } };
    const base = (item.instancePath ?? '').split('/').filter(Boolean);
    if (item.keyword === 'unrecognized_keys' && item.params?.keys) {
      for (const key of item.params.keys) issues.push({ path: [where, ...base, key].join('.'), message: 'unknown field: remove it (fields are listed in the OpenAPI document)' });
      continue;
    }
    issues.push({ path: [where, ...base].join('.'), message: item.message ?? 'invalid' });
  }
  return issues;
}

function prefixedIssues(details: Record<string, unknown> | undefined, prefix: string): ErrorIssue[] | undefined {
  const issues = details?.issues as { path: string; message: string }[] | undefined;
  if (!Array.isArray(issues)) return undefined;
  return issues.map((issue) => ({ path: issue.path && issue.path !== '(input)' && issue.path !== '(config)' ? `${prefix}.${issue.path}` : prefix, message: issue.message }));
}

export function fromConnectorError(error: ConnectorError): ApiError {
  const code = CONNECTOR_CODES[error.kind];
  const issues = error.fieldErrors?.map((field) => ({ path: `body.${field.path.replace(/\[(\d+)\]/g, '.$1')}`, message: field.message }));
  const details: Record<string, unknown> = {
    kind: error.kind,
    retriable: error.retriable,
    ...(error.status !== undefined ? { source_status: error.status } : {}),
    ...(error.sourceCode !== undefined ? { source_code: error.sourceCode } : {}),
    ...(error.sourceMessage !== undefined ? { source_message: error.sourceMessage } : {}),
    ...(error.details ?? {}),
  };
  const headers = error.retryAfterSeconds !== undefined ? { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) } : undefined;
  return new ApiError(code, error.message, { ...(issues ? { issues } : {}), details, ...(headers ? { headers } : {}) });
}

/** Any thrown value → the ApiError to answer, or null when it is not one we recognise. */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof RuntimeError) {
    const issues = prefixedIssues(error.details, 'body.config');
    return new ApiError(RUNTIME_CODES[error.code], error.message, issues ? { issues } : {});
  }
  if (error instanceof WebhookError) {
    const issues = prefixedIssues(error.details, 'body');
    const { issues: _issues, ...rest } = error.details ?? {};
    return new ApiError(WEBHOOK_CODES[error.code], error.message, { ...(issues ? { issues } : {}), ...(Object.keys(rest).length > 0 ? { details: rest } : {}) });
  }
  if (error instanceof ConnectorError) return fromConnectorError(error);
  if (error instanceof ControlTopicUnavailableError) return new ApiError('store_unavailable', error.message);
  const fastify = error as { code?: string; validation?: unknown[]; validationContext?: string; statusCode?: number; message?: string };
  if (Array.isArray(fastify.validation)) {
    return new ApiError('request_invalid', 'The request does not match the route\'s schema.', { issues: validationIssues(fastify.validation, fastify.validationContext) });
  }
  if (fastify.code && FASTIFY_CODES[fastify.code]) {
    return new ApiError(FASTIFY_CODES[fastify.code]!, fastify.message ?? fastify.code);
  }
  return null;
}
