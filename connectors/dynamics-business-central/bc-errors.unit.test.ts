import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../sdk/http.js';
import { bcErrorFrom, withoutCorrelation } from './bc-errors.js';

function response(status: number, code: string, message: string, method = 'GET'): HttpResponse {
  const body = Buffer.from(JSON.stringify({ error: { code, message: `${message}  CorrelationId:  0b4d3c1e-1f3a-4c55-9c1e-7a1b2c3d4e5f.` } }));
  return { status, headers: {}, setCookies: [], body, method, url: 'https://api.businesscentral.dynamics.com/v2.0/t/Production/api/v2.0/x', text: () => body.toString(), json: () => JSON.parse(body.toString()) as never };
}

describe('Business Central error bodies', () => {
  it.each([
    [401, 'Authentication_InvalidCredentials', 'GET', 'auth'],
    [403, 'Authorization_InsufficientPermissions', 'GET', 'permission'],
    [409, 'Request_EntityChanged', 'PATCH', 'conflict'],
    [400, 'BadRequest_InvalidToken', 'PATCH', 'validation'],
    [400, 'Application_FieldValidationException', 'PATCH', 'validation'],
    [404, 'Internal_RecordNotFound', 'GET', 'not_found'],
    [404, 'Internal_RecordNotFound', 'POST', 'validation'],
    [404, 'BadRequest_NotFound', 'GET', 'not_found'],
    [404, 'Internal_CompanyNotFound', 'GET', 'config'],
    [429, 'Application_TooManyRequests', 'GET', 'rate_limited'],
    [503, 'Internal_TenantUnavailable', 'GET', 'unavailable'],
  ])('%i %s on %s → %s', (status, code, method, kind) => {
    const error = bcErrorFrom(response(status, code, 'Something happened.', method));
    expect(error).toMatchObject({ kind, status, sourceCode: code });
    expect(error!.message).toContain(`[${code}]`);
  });

  it('tells a missing route (configuration) from a missing record', () => {
    expect(bcErrorFrom(response(404, 'BadRequest_NotFound', "No HTTP resource was found that matches the request URI 'https://api.businesscentral.dynamics.com/v2.0/t/Sandbx/api/v2.0/companies'.", 'GET'))).toMatchObject({ kind: 'config' });
    expect(bcErrorFrom(response(404, 'BadRequest_NotFound', "Resource not found for the segment 'purchaseOrdrs'.", 'GET'))).toMatchObject({ kind: 'config' });
  });

  it('keeps the service message and drops the correlation id from the explanation', () => {
    expect(withoutCorrelation('Another user has already changed the record.  CorrelationId:  0b4d3c1e-1f3a-4c55-9c1e-7a1b2c3d4e5f.')).toBe('Another user has already changed the record.');
  });

  it('leaves bodies it does not know to the default mapping', () => {
    const body = Buffer.from('<html>Bad gateway</html>');
    expect(bcErrorFrom({ status: 502, headers: {}, setCookies: [], body, method: 'GET', url: 'u', text: () => body.toString(), json: () => ({}) as never })).toBeUndefined();
  });
});
