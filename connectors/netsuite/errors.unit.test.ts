import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../sdk/http.js';
import { idFromLocation } from './client.js';
import { defaultBaseUrl, realmOf } from './config.js';
import { netsuiteErrorFrom, unifiedPathOf } from './errors.js';

function response(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  const buffer = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { status, headers, setCookies: [], body: buffer, method: 'POST', url: 'https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/purchaseOrder', text: () => buffer.toString(), json: () => JSON.parse(buffer.toString()) };
}

describe('NetSuite error bodies', () => {
  it('turn o:errorDetails into a validation error with source code, message and unified field paths', () => {
    const error = netsuiteErrorFrom(response(400, JSON.parse(readFileSync(new URL('./fixtures/error-user-error.json', import.meta.url), 'utf8'))))!;
    expect(error).toMatchObject({ kind: 'validation', status: 400, sourceCode: 'USER_ERROR', retriable: false });
    expect(error.sourceMessage).toContain('Invalid Field Value 99999');
    expect(error.fieldErrors).toEqual([{ path: 'lines[1].item_remote_id', message: expect.stringContaining('99999'), code: 'USER_ERROR' }]);
  });

  it('classify login, permission, governance, idempotency and missing records', () => {
    const detail = (code: string) => ({ title: 'x', status: 0, 'o:errorDetails': [{ detail: 'd', 'o:errorCode': code }] });
    expect(netsuiteErrorFrom(response(401, detail('INVALID_LOGIN')))).toMatchObject({ kind: 'auth', retriable: false });
    expect(netsuiteErrorFrom(response(403, detail('INSUFFICIENT_PERMISSION')))).toMatchObject({ kind: 'permission' });
    expect(netsuiteErrorFrom(response(429, detail('CONCURRENCY_LIMIT_EXCEEDED')))).toMatchObject({ kind: 'rate_limited', retriable: true });
    expect(netsuiteErrorFrom(response(400, detail('SSS_REQUEST_LIMIT_EXCEEDED')))).toMatchObject({ kind: 'rate_limited', retriable: true });
    expect(netsuiteErrorFrom(response(404, detail('NONEXISTENT_ID')))).toMatchObject({ kind: 'not_found' });
    expect(netsuiteErrorFrom(response(400, detail('IDEMPOTENCY_ERROR'), { location: '/services/rest/async/v1/job/12' }))).toMatchObject({ kind: 'conflict', details: { location: '/services/rest/async/v1/job/12' } });
    expect(netsuiteErrorFrom(response(502, '<html>Bad gateway</html>'))).toBeUndefined();
  });

  it('translate NetSuite body paths to the unified input', () => {
    expect(unifiedPathOf('entity')).toBe('vendor_remote_id');
    expect(unifiedPathOf('item.items[3].quantity')).toBe('lines[3].quantity');
    expect(unifiedPathOf('item.items[0].custcol_mr_cost_center')).toBe('lines[0].custom_fields.custcol_mr_cost_center');
    expect(unifiedPathOf('custbody_mr_rush_order')).toBe('custom_fields.custbody_mr_rush_order');
    expect(unifiedPathOf('subsidiary')).toBe('subsidiary');
  });
});

describe('NetSuite account and URL rules', () => {
  it('uses upper case and _ in the realm, lower case and - in the host', () => {
    expect(realmOf('1234567_sb1')).toBe('1234567_SB1');
    expect(realmOf('1234567-SB1')).toBe('1234567_SB1');
    expect(defaultBaseUrl('1234567_SB1')).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
  });

  it('reads the new record id from Location', () => {
    expect(idFromLocation('https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/purchaseorder/4711', 'POST')).toBe('4711');
    expect(() => idFromLocation(undefined, 'POST record/v1/purchaseOrder')).toThrow(/without a Location header/);
    expect(() => idFromLocation('https://x/services/rest/async/v1/job/3', 'POST')).toThrow(/names no record/);
  });
});
