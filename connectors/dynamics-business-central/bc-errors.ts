import { ConnectorError, type ConnectorErrorKind } from '../sdk/errors.js';
import type { ErrorFrom, HttpResponse } from '../sdk/http.js';

/**
 * Business Central error bodies (`{"error":{"code":"<Category_Reason>","message":"…  CorrelationId:  <guid>."}}`)
 * → ConnectorError with the service's own code and words, and a message that says what to fix.
 */
interface BcErrorInfo {
  code?: string;
  message?: string;
}

export function readBcError(response: HttpResponse): BcErrorInfo {
  try {
    const body = JSON.parse(response.text()) as { error?: { code?: unknown; message?: unknown } };
    return {
      ...(typeof body.error?.code === 'string' ? { code: body.error.code } : {}),
      ...(typeof body.error?.message === 'string' ? { message: body.error.message } : {}),
    };
  } catch {
    return {};
  }
}

/** The message without the trailing `CorrelationId:  <guid>.` */
export function withoutCorrelation(message: string): string {
  return message.replace(/\s*CorrelationId:\s*[0-9a-f-]+\.?\s*$/i, '').trim();
}

function kindFor(status: number, code: string, method: string, message: string): { kind: ConnectorErrorKind; fix: string } {
  if (status === 401) return { kind: 'auth', fix: 'Business Central rejected the token: check that the Entra application is registered and enabled on the "Microsoft Entra Applications" page of this environment, with permission sets (e.g. D365 PURCH DOC, EDIT), and that the tenant and environment are right' };
  if (status === 403) return { kind: 'permission', fix: 'the application lacks a permission set for this data; add it on the "Microsoft Entra Applications" page' };
  if (status === 429) return { kind: 'rate_limited', fix: 'Business Central is throttling this environment (6,000 requests per 5 minutes, 5 processed at once)' };
  if (status >= 500) return { kind: 'unavailable', fix: 'Business Central is failing or unavailable (an update or maintenance window?)' };
  if (code === 'Request_EntityChanged' || status === 409 || status === 412) return { kind: 'conflict', fix: 'the record changed in Business Central since it was read' };
  if (code === 'Internal_CompanyNotFound') return { kind: 'config', fix: 'the company id is not in this environment; list companies with GET …/api/v2.0/companies and fix companyIds' };
  // A missing route (wrong environment, API path) says "No HTTP resource was found …"; a missing record, whatever its code, does not.
  if (status === 404 && /No HTTP resource was found|Resource not found for the segment/i.test(message)) return { kind: 'config', fix: 'no such resource: check the environment name and the API base URL' };
  // A write that names a missing vendor, item or currency is a problem of the write's content.
  if (status === 404 && method !== 'GET') return { kind: 'validation', fix: 'the write refers to a record Business Central does not have' };
  if (status === 404) return { kind: 'not_found', fix: 'the record does not exist (any more) in Business Central' };
  if (status === 405) return { kind: 'validation', fix: 'Business Central does not allow this operation on this resource' };
  return { kind: 'validation', fix: 'Business Central refused the request' };
}

export const bcErrorFrom: ErrorFrom = (response) => {
  const { code, message } = readBcError(response);
  if (!code && !message) return undefined;
  const { kind, fix } = kindFor(response.status, code ?? '', response.method, message ?? '');
  const said = message ? withoutCorrelation(message) : '';
  return new ConnectorError(kind, `${response.method} ${response.url} answered ${response.status}${code ? ` [${code}]` : ''}: ${fix}${said ? `; Business Central said: "${said.slice(0, 300)}"` : ''}`, {
    status: response.status,
    ...(code ? { sourceCode: code } : {}),
    ...(message ? { sourceMessage: message } : {}),
  });
};
