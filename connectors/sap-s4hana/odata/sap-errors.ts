import { ConnectorError } from '../../sdk/errors.js';
import type { HttpResponse } from '../../sdk/http.js';

/**
 * SAP's error answers → ConnectorError, with the fix in the message:
 * - 401 (the ICF logon page, HTML): the communication user's credentials are wrong or it is locked;
 * - 403 with `x-csrf-token: Required`: the CSRF token or session cookie is missing or expired
 *   (details.csrf_required = true; the CSRF session fetches a new token and retries once);
 * - 403 `/IWFND/CM_CONSUMER/101`: the communication arrangement lacks the API's scenario;
 * - 400 with `error.innererror.errordetails`: a validation error, each detail a field error
 *   (path = SAP's `target`, or `propertyref`);
 * - 404, 409: not found, conflict (an enqueue lock held by another user).
 * 429 and 5xx fall through to the SDK's default mapping (retriable).
 */
interface SapErrorBody {
  error?: {
    code?: unknown;
    message?: { value?: unknown } | string;
    innererror?: { errordetails?: unknown; application?: { service_id?: unknown } };
  };
}

export interface SapErrorDetail {
  code: string;
  message: string;
  target: string;
  propertyref: string;
  severity: string;
}

export function parseSapError(response: HttpResponse): { code?: string; message?: string; details: SapErrorDetail[] } {
  let body: SapErrorBody;
  try {
    body = JSON.parse(response.text()) as SapErrorBody;
  } catch {
    return { details: [] };
  }
  const error = body?.error;
  if (!error || typeof error !== 'object') return { details: [] };
  const message = typeof error.message === 'string' ? error.message : error.message?.value;
  const rawDetails = Array.isArray(error.innererror?.errordetails) ? (error.innererror.errordetails as Record<string, unknown>[]) : [];
  const details = rawDetails
    .filter((detail) => detail && typeof detail === 'object')
    .map((detail) => ({
      code: String(detail.code ?? ''),
      message: String(detail.message ?? ''),
      target: String(detail.target ?? ''),
      propertyref: String(detail.propertyref ?? ''),
      severity: String(detail.severity ?? 'error'),
    }));
  return {
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    details,
  };
}

function serviceOf(url: string): string {
  return /\/sap\/opu\/odata\/sap\/([^/;?]+)/.exec(url)?.[1] ?? 'the API';
}

export function sapErrorFrom(response: HttpResponse): ConnectorError | undefined {
  const where = `${response.method} ${response.url}`;
  const { status } = response;
  if (status === 401) {
    return new ConnectorError(
      'auth',
      `${where} answered 401: SAP refused the credentials. Check the communication user and password (or the OAuth client), and that the user is not locked ("Maintain Communication Users"); use the -api host, not the Fiori launchpad host`,
      { status },
    );
  }
  if (status === 403 && (response.headers['x-csrf-token'] ?? '').toLowerCase() === 'required') {
    return new ConnectorError('permission', `${where} answered 403 "CSRF token validation failed": the CSRF token or its session cookie is missing or expired`, {
      status,
      sourceMessage: response.text().slice(0, 200),
      details: { csrf_required: true },
    });
  }
  if (status === 429 || status >= 500) return undefined;
  const { code, message, details } = parseSapError(response);
  const sourceFields = { ...(code ? { sourceCode: code } : {}), ...(message ? { sourceMessage: message } : {}) };
  const said = message ? `: ${code ? `[${code}] ` : ''}${message}` : '';
  if (status === 403) {
    const fix = code === '/IWFND/CM_CONSUMER/101'
      ? `add the communication scenario of ${serviceOf(response.url)} to the communication arrangement of this user`
      : 'grant the missing authorization in SAP';
    return new ConnectorError('permission', `${where} answered 403${said}; ${fix}`, { status, ...sourceFields });
  }
  if (status === 404) return new ConnectorError('not_found', `${where} answered 404${said}`, { status, ...sourceFields });
  if (status === 409 || status === 412 || status === 428) {
    return new ConnectorError('conflict', `${where} answered ${status}${said}; read the record again and reapply the change`, { status, ...sourceFields });
  }
  if (status === 400 || status === 422) {
    const errors = details.filter((detail) => detail.severity === 'error');
    const fieldErrors = (errors.length > 0 ? errors : [{ code: code ?? '', message: message ?? '', target: '', propertyref: '', severity: 'error' }]).map((detail) => ({
      path: detail.target || detail.propertyref,
      message: detail.message,
      ...(detail.code ? { code: detail.code } : {}),
    }));
    return new ConnectorError('validation', `${where} answered ${status}: SAP refused the request${said}`, { status, ...sourceFields, fieldErrors });
  }
  return undefined;
}

export function isCsrfFailure(error: unknown): boolean {
  return error instanceof ConnectorError && error.details?.csrf_required === true;
}
