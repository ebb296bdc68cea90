import { ConnectorError, type ConnectorErrorKind } from './errors.js';
import { snippet, type HttpResponse, type Scrub } from './http-response.js';
import { redactUrl } from './redact.js';

/**
 * A connector's own reading of a failed response (SAP `error.code`, NetSuite `o:errorCode` …).
 * Return nothing to fall back to the default status mapping below. Called for every non-2xx.
 */
export type ErrorFrom = (response: HttpResponse) => ConnectorError | undefined | void;

/** `Retry-After` as seconds to wait: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

interface StatusRule {
  kind: ConnectorErrorKind;
  what: string;
}

function ruleFor(status: number): StatusRule {
  if (status >= 300 && status < 400) {
    return { kind: 'config', what: 'a redirect, which is not followed: the base URL probably points at a login or UI host instead of the API host' };
  }
  switch (status) {
    case 401:
      return { kind: 'auth', what: 'the source rejected the credentials; check them in the connection settings or reconnect' };
    case 403:
      return { kind: 'permission', what: 'the credentials work but lack a permission or role for this resource; grant it in the source system' };
    case 404:
    case 410:
      return { kind: 'not_found', what: 'the resource does not exist; check the id, the base URL and the company/tenant' };
    case 408:
    case 425:
      return { kind: 'unavailable', what: 'the source gave up waiting for the request; it will be retried' };
    case 409:
    case 412:
      return { kind: 'conflict', what: 'the record changed since it was read; read it again and reapply the change' };
    case 429:
      return { kind: 'rate_limited', what: 'the source is rate limiting this connection' };
  }
  if (status >= 500) return { kind: 'unavailable', what: 'the source is failing or unavailable' };
  return { kind: 'validation', what: 'the source refused the request' };
}

/** The vendor's own code and words from the usual error body shapes (OData v2/v4, NetSuite, Maximo, OAuth). */
export function sourceDetails(response: HttpResponse): { sourceCode?: string; sourceMessage?: string } {
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    const text = response.body.toString('utf8').trim();
    return text && !/^\s*</.test(text) ? { sourceMessage: text } : {};
  }
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, any>;
  const netsuite = Array.isArray(b['o:errorDetails']) ? b['o:errorDetails'][0] : undefined;
  const error = b.error ?? b.Error;
  const code =
    netsuite?.['o:errorCode'] ??
    (typeof error === 'object' ? (error?.code ?? error?.reasonCode) : typeof error === 'string' ? error : undefined) ??
    b.code;
  const message =
    netsuite?.detail ??
    (typeof error === 'object' ? (error?.message?.value ?? error?.message) : undefined) ??
    b.error_description ??
    b.message ??
    b.title;
  return {
    ...(code !== undefined && code !== '' ? { sourceCode: String(code) } : {}),
    ...(typeof message === 'string' && message !== '' ? { sourceMessage: message } : {}),
  };
}

/** The default mapping of a non-2xx response to a `ConnectorError`; the message names method, URL, status and the fix. */
export function errorFromStatus(response: HttpResponse, scrub: Scrub): ConnectorError {
  const { status, headers } = response;
  const rule = ruleFor(status);
  const { sourceCode, sourceMessage } = sourceDetails(response);
  const retryAfterSeconds = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
  const location = status >= 300 && status < 400 && headers.location ? ` (to ${redactUrl(scrub(headers.location))})` : '';
  const wait = retryAfterSeconds !== undefined ? ` (retry after ${retryAfterSeconds} s)` : '';
  const said = sourceMessage ? `; the source said: "${snippet(sourceMessage, scrub)}"` : '';
  const code = sourceCode ? ` [${scrub(sourceCode)}]` : '';
  return new ConnectorError(rule.kind, `${response.method} ${response.url} answered ${status}${location}: ${rule.what}${wait}${code}${said}`, {
    status,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(sourceCode ? { sourceCode: scrub(sourceCode) } : {}),
    ...(sourceMessage ? { sourceMessage: scrub(sourceMessage).slice(0, 2_000) } : {}),
  });
}

const TLS_CODES = /CERT|SSL|TLS|UNABLE_TO_VERIFY|SELF_SIGNED/;

/** Maps a failure to reach the source (no HTTP status) to `unavailable` or, for TLS trust, `config`. */
export function errorFromNetwork(error: unknown, method: string, url: string, timeoutMs: number): ConnectorError {
  const code = (error as { code?: string } | null)?.code ?? '';
  const where = `${method} ${url}`;
  // The cause is kept for its stack; undici's network errors name host and port, never headers.
  const options = { cause: error, details: { network_code: code || 'unknown' } };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new ConnectorError('unavailable', `${where}: connecting timed out; check the host and any firewall between Millrace and the source`, options);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'TIMEOUT') {
    return new ConnectorError('unavailable', `${where}: no complete answer within ${timeoutMs} ms; the source is slow or hanging`, options);
  }
  if (code === 'ECONNREFUSED') return new ConnectorError('unavailable', `${where}: connection refused; the source is down or the host/port is wrong`, options);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConnectorError('unavailable', `${where}: the host name does not resolve; check the base URL`, options);
  if (TLS_CODES.test(code)) return new ConnectorError('config', `${where}: the TLS certificate is not trusted (${code}); fix the certificate or the host name`, options);
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectorError('unavailable', `${where}: the connection failed (${code || reason})`, options);
}
