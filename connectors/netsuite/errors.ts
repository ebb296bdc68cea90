import { ConnectorError, type ConnectorErrorKind } from '../sdk/errors.js';
import type { HttpResponse } from '../sdk/http.js';
import { parseRetryAfter } from '../sdk/http-errors.js';

/**
 * NetSuite's REST error body → ConnectorError. The body is
 * `{type, title, status, o:errorDetails:[{detail, o:errorCode, o:errorPath?, o:errorQueryParam?, o:errorHeader?}]}`;
 * every detail becomes a field error (its `o:errorPath` translated to the unified input's path
 * where the connector wrote that field), and the first detail's code and words become
 * sourceCode / sourceMessage.
 */
interface ErrorDetail {
  detail?: unknown;
  'o:errorCode'?: unknown;
  'o:errorPath'?: unknown;
  'o:errorQueryParam'?: unknown;
  'o:errorHeader'?: unknown;
}

/** NetSuite body paths the purchase order writer produces → unified input paths. */
const PATHS: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^entity(\..*)?$/, () => 'vendor_remote_id'],
  [/^item\.items\[(\d+)\]\.item(\..*)?$/, (m) => `lines[${m[1]}].item_remote_id`],
  [/^item\.items\[(\d+)\]\.quantity$/, (m) => `lines[${m[1]}].quantity`],
  [/^item\.items\[(\d+)\]\.rate$/, (m) => `lines[${m[1]}].unit_price`],
  [/^item\.items\[(\d+)\]\.description$/, (m) => `lines[${m[1]}].description`],
  [/^item\.items\[(\d+)\]\.location(\..*)?$/, (m) => `lines[${m[1]}].location_remote_id`],
  [/^item\.items\[(\d+)\]\.expectedReceiptDate$/, (m) => `lines[${m[1]}].expected_delivery_date`],
  [/^item\.items\[(\d+)\]\.line$/, (m) => `lines[${m[1]}].line_number`],
  [/^item\.items\[(\d+)\]\.(custcol\w+)$/, (m) => `lines[${m[1]}].custom_fields.${m[2]}`],
  [/^item$/, () => 'lines'],
  [/^location(\..*)?$/, () => 'ship_to_location_remote_id'],
  [/^currency(\..*)?$/, () => 'currency'],
  [/^tranDate$/, () => 'issue_date'],
  [/^dueDate$/, () => 'required_date'],
  [/^memo$/, () => 'memo'],
  [/^otherRefNum$/, () => 'external_reference'],
  [/^exchangeRate$/, () => 'exchange_rate'],
  [/^(custbody\w+)$/, (m) => `custom_fields.${m[1]}`],
];

export function unifiedPathOf(netsuitePath: string): string {
  for (const [pattern, to] of PATHS) {
    const match = pattern.exec(netsuitePath);
    if (match) return to(match);
  }
  return netsuitePath;
}

function kindFor(status: number, code: string | undefined): ConnectorErrorKind {
  if (status === 401 || code === 'INVALID_LOGIN') return 'auth';
  if (status === 429 || code === 'CONCURRENCY_LIMIT_EXCEEDED' || code === 'SSS_REQUEST_LIMIT_EXCEEDED') return 'rate_limited';
  if (status === 403 || code === 'INSUFFICIENT_PERMISSION') return 'permission';
  if (status === 404) return 'not_found';
  if (code === 'IDEMPOTENCY_ERROR' || status === 409 || status === 412) return 'conflict';
  if (status >= 500) return 'unavailable';
  return 'validation';
}

const HINTS: Partial<Record<ConnectorErrorKind, string>> = {
  auth: 'NetSuite refused the login (see Setup > Users/Roles > User Management > View Login Audit Trail for the reason): check the account id, the token or certificate, and that the role has "Log in using Access Tokens"/"REST Web Services"',
  permission: "the integration role lacks a permission for this record; add it to the role in NetSuite",
  rate_limited: "the account's concurrency limit is reached (shared by every integration); lower maxConcurrency or retry later",
  not_found: 'the record does not exist (deleted, or another record type)',
  validation: 'NetSuite refused the request',
  conflict: 'NetSuite already has a request with this idempotency key',
  unavailable: 'NetSuite is failing or unavailable',
};

export function netsuiteErrorFrom(response: HttpResponse): ConnectorError | undefined {
  let body: { 'o:errorDetails'?: unknown; title?: unknown };
  try {
    body = JSON.parse(response.text()) as typeof body;
  } catch {
    return undefined; // not NetSuite's JSON (a proxy's HTML): the SDK's status mapping applies
  }
  if (!body || !Array.isArray(body['o:errorDetails'])) return undefined;
  const details = body['o:errorDetails'] as ErrorDetail[];
  const first = details[0] ?? {};
  const code = typeof first['o:errorCode'] === 'string' ? first['o:errorCode'] : undefined;
  const message = typeof first.detail === 'string' ? first.detail : typeof body.title === 'string' ? body.title : undefined;
  const kind = kindFor(response.status, code);
  const fieldErrors = details.flatMap((detail) => {
    const path = detail['o:errorPath'] ?? detail['o:errorQueryParam'] ?? detail['o:errorHeader'];
    if (typeof path !== 'string' || typeof detail.detail !== 'string') return [];
    return [{ path: unifiedPathOf(path), message: detail.detail, ...(typeof detail['o:errorCode'] === 'string' ? { code: detail['o:errorCode'] } : {}) }];
  });
  const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
  const where = `${response.method} ${response.url} answered ${response.status}`;
  return new ConnectorError(kind, `${where} [${code ?? 'no code'}]: ${HINTS[kind]}${message ? `; NetSuite said: "${message.slice(0, 500)}"` : ''}`, {
    status: response.status,
    ...(code ? { sourceCode: code } : {}),
    ...(message ? { sourceMessage: message } : {}),
    ...(fieldErrors.length > 0 ? { fieldErrors } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(response.headers.location ? { details: { location: response.headers.location } } : {}),
  });
}
