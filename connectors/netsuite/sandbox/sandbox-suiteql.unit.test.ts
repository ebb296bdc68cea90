import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandbox, type RunningSandbox } from '../../sandbox-kit/server.js';
import { createNetSuiteSandbox, type NetSuiteSandbox } from './index.js';
import { NetSuiteStore } from './store.js';
import { parseSuiteQL } from './suiteql/parser.js';
import { runSuiteQL, SuiteQLQueryError } from './suiteql/engine.js';
import { tbaHeader } from './test-signing.js';

const store = (size = 10, now = () => Date.UTC(2025, 11, 19, 15, 23, 40)) => new NetSuiteStore({ size, seed: 42, now });
const run = (s: NetSuiteStore, sql: string, limit = 1000, offset = 0, offsetMinutes = 0) => runSuiteQL(s, sql, { limit, offset, offsetMinutes });

describe('SuiteQL parser', () => {
  it('parses the fixed-shape discovery query with a keyset condition', () => {
    const query = parseSuiteQL(
      "select id, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lastmodified FROM Transaction WHERE type = 'PurchOrd' AND (lastmodifieddate > TO_TIMESTAMP('2024-01-01 00:02:00', 'YYYY-MM-DD HH24:MI:SS') OR (lastmodifieddate = TO_TIMESTAMP('2024-01-01 00:02:00', 'YYYY-MM-DD HH24:MI:SS') AND id > 1004)) ORDER BY lastmodifieddate, id",
    );
    expect(query.table).toBe('transaction');
    expect(query.select).toHaveLength(2);
    expect(query.orderBy).toHaveLength(2);
    expect(query.where?.kind).toBe('and');
  });

  it('refuses what it does not understand with a position', () => {
    expect(() => parseSuiteQL('SELECT id FROM')).toThrow(/Expected a name/);
    expect(() => parseSuiteQL("SELECT id FROM vendor WHERE companyname = 'Acme")).toThrow(/Unterminated string/);
    expect(() => parseSuiteQL('SELECT id FROM vendor GROUP BY id')).toThrow(/Unexpected 'GROUP'/);
  });
});

describe('SuiteQL engine', () => {
  it('returns every value as a string: numbers, T/F booleans, dates in the account format unless TO_CHAR', () => {
    const s = store();
    const { items } = run(s, "SELECT id, tranid, status, entity, trandate, lastmodifieddate, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lm, foreigntotal, custbody_mr_rush_order FROM transaction WHERE id = 1000");
    const po = s.get('purchaseorder', '1000')!;
    expect(items).toEqual([
      {
        id: '1000',
        tranid: po.tranId,
        status: po.orderStatus,
        entity: po.entity.id,
        trandate: expect.stringMatching(/^\d{1,2}\/\d{1,2}\/\d{4}$/),
        lastmodifieddate: '1/1/2024',
        lm: '2024-01-01 00:00:00',
        foreigntotal: expect.stringMatching(/^\d+(\.\d+)?$/),
        custbody_mr_rush_order: po.custom.custbody_mr_rush_order ? 'T' : 'F',
      },
    ]);
  });

  it('reads and writes datetimes on the session clock', () => {
    const s = store();
    const { items } = run(s, "SELECT id, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lm FROM vendor WHERE lastmodifieddate >= TO_TIMESTAMP('2023-12-31 16:01:00', 'YYYY-MM-DD HH24:MI:SS') ORDER BY lastmodifieddate, id", 1000, 0, -480);
    // UTC 2024-01-01 00:01 is 16:01 the day before at UTC-8: vendors 102 (00:01) onwards.
    expect(items).toEqual([{ id: '102', lm: '2023-12-31 16:01:00' }]);
  });

  it('seeks keyset pages in (lastmodifieddate, id) order, ties broken on the id', () => {
    const s = store();
    const first = run(s, "SELECT id FROM transaction WHERE type = 'PurchOrd' ORDER BY lastmodifieddate, id", 3);
    expect(first.items.map((row) => row.id)).toEqual(['1000', '1001', '1002']);
    expect(first).toMatchObject({ totalResults: 10, hasMore: true });
    const next = run(s, "SELECT id FROM transaction WHERE type = 'PurchOrd' AND (lastmodifieddate > TO_TIMESTAMP('2024-01-01 00:01:00', 'YYYY-MM-DD HH24:MI:SS') OR (lastmodifieddate = TO_TIMESTAMP('2024-01-01 00:01:00', 'YYYY-MM-DD HH24:MI:SS') AND id > 1002)) ORDER BY lastmodifieddate, id", 3);
    expect(next.items.map((row) => row.id)).toEqual(['1003', '1004', '1005']);
    expect(next.totalResults).toBe(7);
  });

  it('places a changed record at the end of the change order, and lists deletions', () => {
    const s = store();
    s.save('purchaseorder', { ...s.get('purchaseorder', '1001')!, memo: 'changed' });
    s.delete('purchaseorder', '1004');
    const ids = run(s, "SELECT id FROM transaction WHERE type = 'PurchOrd' ORDER BY lastmodifieddate, id").items.map((row) => row.id);
    expect(ids).toEqual(['1000', '1002', '1003', '1005', '1006', '1007', '1008', '1009', '1001']);
    const deleted = run(s, "SELECT recordid, type, TO_CHAR(deleteddate, 'YYYY-MM-DD HH24:MI:SS') AS d FROM deletedrecord WHERE type = 'purchaseorder' ORDER BY deleteddate DESC, recordid DESC");
    expect(deleted.items).toEqual([{ recordid: '1004', type: 'purchaseorder', d: '2025-12-19 15:23:00' }]);
  });

  it('names an unknown table or column like NetSuite does', () => {
    const s = store();
    expect(() => run(s, 'SELECT id FROM purchaseorders')).toThrow(SuiteQLQueryError);
    expect(() => run(s, 'SELECT id FROM purchaseorders')).toThrow("Record 'purchaseorders' was not found.");
    expect(() => run(s, 'SELECT nosuchfield FROM vendor')).toThrow("Field 'nosuchfield' for record 'vendor' was not found.");
    expect(() => run(s, "SELECT id FROM vendor WHERE lastmodifieddate > '2024-01-01'")).toThrow(/use TO_TIMESTAMP/);
  });

  it('answers keyset queries on 1,000,000 records without generating the records it skips', () => {
    const s = store(1_000_000);
    const started = performance.now();
    const page = run(s, "SELECT id, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lm FROM transaction WHERE type = 'PurchOrd' AND (lastmodifieddate > TO_TIMESTAMP('2024-10-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS') OR (lastmodifieddate = TO_TIMESTAMP('2024-10-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS') AND id > 1)) ORDER BY lastmodifieddate, id", 500);
    const elapsed = performance.now() - started;
    expect(page.items).toHaveLength(500);
    expect(page.items[0]).toEqual({ id: String(1000 + 789_120), lm: '2024-10-01 00:00:00' });
    // 274 days × 1,440 minutes × 2 records per minute come before 2024-10-01.
    expect(page.totalResults).toBe(1_000_000 - 789_120);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('SuiteQL over HTTP', () => {
  let sandbox: NetSuiteSandbox;
  let running: RunningSandbox;
  beforeAll(async () => {
    sandbox = await createNetSuiteSandbox({ size: 10 });
    running = await runSandbox(sandbox.app);
  });
  afterAll(async () => running.close());

  async function post(q: string, query = 'limit=4&offset=0', prefer = 'transient'): Promise<Response> {
    const url = `${running.url}/services/rest/query/v1/suiteql?${query}`;
    return fetch(url, { method: 'POST', headers: { authorization: tbaHeader(sandbox.credentials.tba, sandbox.accountId, 'POST', url), 'content-type': 'application/json', prefer }, body: JSON.stringify({ q }) });
  }

  it('answers in the collection envelope with links, rows carrying links: []', async () => {
    const response = await post("SELECT id, companyname, isinactive FROM vendor ORDER BY id", 'limit=2&offset=0');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ count: 2, hasMore: true, offset: 0, totalResults: 3 });
    expect((body.items as Record<string, unknown>[])[0]).toEqual({ links: [], id: '100', companyname: expect.any(String), isinactive: expect.stringMatching(/^[TF]$/) });
    expect(body.links).toEqual([
      { rel: 'next', href: `${running.url}/services/rest/query/v1/suiteql?limit=2&offset=2` },
      { rel: 'last', href: `${running.url}/services/rest/query/v1/suiteql?limit=2&offset=2` },
      { rel: 'self', href: `${running.url}/services/rest/query/v1/suiteql?limit=2&offset=0` },
    ]);
  });

  it('refuses pages beyond the 100,000-row window, an offset that is not a multiple of the limit, and a missing Prefer', async () => {
    const window = await post('SELECT id FROM vendor', 'limit=1000&offset=100000');
    expect(window.status).toBe(400);
    expect(await window.json()).toMatchObject({ status: 400, 'o:errorDetails': [{ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'offset' }] });
    expect((await post('SELECT id FROM vendor', 'limit=3&offset=4')).status).toBe(400);
    const noPrefer = await post('SELECT id FROM vendor', 'limit=3&offset=0', '');
    expect(noPrefer.status).toBe(400);
    const badQuery = await post('SELECT id FROM vendr');
    expect(await badQuery.json()).toMatchObject({ 'o:errorDetails': [{ detail: expect.stringContaining("Record 'vendr' was not found"), 'o:errorCode': 'INVALID_PARAMETER' }] });
  });
});
