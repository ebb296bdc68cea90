import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../sdk/errors.js';
import { createResponse } from '../../sdk/http-response.js';
import { dateAndTimeAxis, dateTimeAxis, dateTimeOffsetAxis } from '../change-axes.js';
import { encodedLength, keyFilters } from '../streams/fetching.js';
import { readCollection } from './page.js';
import { isCsrfFailure, sapErrorFrom } from './sap-errors.js';
import { and, dateTimeLiteral, dateTimeOffsetLiteral, keyPredicate, parseSapDate, parseSapDuration, stringLiteral, timeLiteral } from './values.js';

const response = (status: number, body: string, headers: Record<string, string> = {}) =>
  createResponse({ status, headers, setCookies: [], body: Buffer.from(body), method: 'POST', url: 'https://host/sap/opu/odata/sap/API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder', scrub: (text) => text });
const fixtureText = (name: string) => readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8');

describe('OData values and literals', () => {
  it('reads SAP dates with and without an offset, and durations', () => {
    expect(parseSapDate('/Date(1700006400000)/')).toBe(1700006400000);
    expect(parseSapDate('/Date(1483930804343+0000)/')).toBe(1483930804343);
    expect(parseSapDuration('PT11H50M49S')).toBe(42649);
    expect(() => parseSapDate('/Date(garbage)/')).toThrow(/not an OData date/);
    expect(() => parseSapDuration('11:50')).toThrow(/not an OData time/);
  });

  it('writes filter and key literals the way OData V2 spells them', () => {
    expect(stringLiteral("O'Reilly")).toBe("'O''Reilly'");
    expect(dateTimeOffsetLiteral(Date.UTC(2024, 4, 1, 10, 0, 0, 123))).toBe("datetimeoffset'2024-05-01T10:00:00.123Z'");
    expect(dateTimeLiteral(Date.UTC(2024, 4, 1, 10, 0, 0, 999))).toBe("datetime'2024-05-01T10:00:00'");
    expect(timeLiteral(42649)).toBe("time'PT11H50M49S'");
    expect(keyPredicate({ PurchaseOrder: '4500000001', PurchaseOrderItem: '10' })).toBe("(PurchaseOrder='4500000001',PurchaseOrderItem='10')");
    expect(and('A eq 1', null, 'B eq 2 or C eq 3')).toBe('(A eq 1) and (B eq 2 or C eq 3)');
  });

  it('builds change-time filters per axis', () => {
    const dto = dateTimeOffsetAxis('LastChangeDateTime');
    expect(dto.bucketOf({ LastChangeDateTime: '/Date(1717243200123+0000)/' })).toBe('2024-06-01T12:00:00.123Z');
    expect(dto.within('2024-06-01T12:00:00.123Z')).toBe(
      "LastChangeDateTime ge datetimeoffset'2024-06-01T12:00:00.123Z' and LastChangeDateTime lt datetimeoffset'2024-06-01T12:00:00.124Z'",
    );
    const seconds = dateTimeAxis('LastChangeDateTime');
    expect(seconds.bucketOf({ LastChangeDateTime: '/Date(1717243200999)/' })).toBe('2024-06-01T12:00:00');
    expect(seconds.minusSeconds('2024-06-01T12:00:00', 90)).toBe('2024-06-01T11:58:30');
    const split = dateAndTimeAxis('LastChangeDate', 'LastChangeTime');
    expect(split.bucketOf({ LastChangeDate: '/Date(1717200000000)/', LastChangeTime: 'PT12H00M05S' })).toBe('2024-06-01T12:00:05');
    expect(split.bucketOf({ LastChangeDate: null, LastChangeTime: 'PT00H00M00S' })).toBeNull();
    expect(split.atOrAfter('2024-06-01T12:00:05')).toBe(
      "LastChangeDate gt datetime'2024-06-01T00:00:00' or (LastChangeDate eq datetime'2024-06-01T00:00:00' and LastChangeTime ge time'PT12H00M05S')",
    );
    expect(split.next('2024-06-01T23:59:59')).toBe('2024-06-02T00:00:00');
  });

  it('splits key filters so each fits the URL budget on the wire', () => {
    const keys = Array.from({ length: 50 }, (_, i) => String(21000000 + i));
    const filters = keyFilters('Material', keys, 400);
    expect(filters.length).toBeGreaterThan(3);
    for (const filter of filters) expect(encodedLength(filter)).toBeLessThanOrEqual(400);
    expect(filters.join(' or ').split(' or ')).toHaveLength(50);
    expect(() => keyFilters('Material', ['X'.repeat(500)], 400)).toThrow(/raise maxUrlLength/);
  });
});

describe('OData envelopes', () => {
  it('accepts collections and refuses bodies that only look like them', () => {
    expect(readCollection({ d: { results: [{ A: 1 }], __count: '12', __next: 'https://host/x?$skiptoken=abc' } }, 'GET x')).toEqual({
      results: [{ A: 1 }],
      count: 12,
      next: 'https://host/x?$skiptoken=abc',
    });
    expect(() => readCollection({ value: [] }, 'GET x')).toThrow(expect.objectContaining({ kind: 'invalid_response' }));
    expect(() => readCollection({ d: { results: [{}], __count: 12 } }, 'GET x')).toThrow(/__count/);
    expect(() => readCollection({ d: { results: ['x'] } }, 'GET x')).toThrow(/not an entity/);
  });
});

describe('SAP error bodies', () => {
  it('turns a validation error into field errors with SAP code and message, warnings left out', () => {
    const error = sapErrorFrom(response(400, fixtureText('error-validation')))!;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'validation', status: 400, sourceCode: 'ME/083', sourceMessage: 'Enter a value in field Supplier' });
    expect(error.fieldErrors).toEqual([
      { path: 'Supplier', message: 'Enter a value in field Supplier', code: 'ME/083' },
      { path: "to_PurchaseOrderItem(PurchaseOrderItem='20')/OrderQuantity", message: 'Enter a quantity greater than zero', code: 'ME/089' },
    ]);
  });

  it('names the missing communication scenario on /IWFND/CM_CONSUMER/101', () => {
    const error = sapErrorFrom(response(403, fixtureText('error-no-authorization')))!;
    expect(error).toMatchObject({ kind: 'permission', sourceCode: '/IWFND/CM_CONSUMER/101' });
    expect(error.message).toMatch(/communication scenario of API_PURCHASEORDER_PROCESS_SRV/);
    expect(isCsrfFailure(error)).toBe(false);
  });

  it('recognises the CSRF refusal and the HTML logon page', () => {
    const csrf = sapErrorFrom(response(403, 'CSRF token validation failed', { 'x-csrf-token': 'Required' }))!;
    expect(isCsrfFailure(csrf)).toBe(true);
    const logon = sapErrorFrom(response(401, '<html><head><title>Logon Error Message</title></head></html>', { 'content-type': 'text/html' }))!;
    expect(logon).toMatchObject({ kind: 'auth', status: 401 });
    expect(logon.message).toMatch(/communication user/);
    expect(sapErrorFrom(response(503, '<html>503</html>'))).toBeUndefined();
    expect(sapErrorFrom(response(409, JSON.stringify({ error: { code: 'ME/006', message: { lang: 'en', value: 'locked' } } })))).toMatchObject({ kind: 'conflict', sourceCode: 'ME/006' });
  });
});
