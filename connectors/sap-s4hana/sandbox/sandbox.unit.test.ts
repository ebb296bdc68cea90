import { afterEach, describe, expect, it } from 'vitest';
import { parseFilter, FilterSyntaxError } from './filter-parser.js';
import { startSapSandbox, SANDBOX_CREDENTIALS, type RunningSapSandbox } from './index.js';

/** The sandbox itself, over loopback HTTP: the SAP behaviour the connector's tests rely on. */
let sandbox: RunningSapSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const basic = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.username}:${SANDBOX_CREDENTIALS.password}`).toString('base64')}`;
const PO = '/sap/opu/odata/sap/API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder';

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${sandbox!.url}${path}`, { headers: { authorization: basic, accept: 'application/json', ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as any };
}

const q = (options: Record<string, string>) => `?${new URLSearchParams(options).toString().replace(/\+/g, '%20')}`;

describe('$filter parser', () => {
  it('parses comparisons, and/or precedence, parentheses, typed literals and doubled quotes', () => {
    expect(parseFilter("A eq 'O''Reilly' or B gt datetimeoffset'2024-01-01T00:00:00Z' and (C le 5 or D eq null)")).toEqual({
      kind: 'or',
      left: { kind: 'compare', operator: 'eq', property: 'A', literal: { kind: 'string', value: "O'Reilly" }, position: 1 },
      right: {
        kind: 'and',
        left: { kind: 'compare', operator: 'gt', property: 'B', literal: { kind: 'datetimeoffset', text: '2024-01-01T00:00:00Z' }, position: 21 },
        right: {
          kind: 'or',
          left: { kind: 'compare', operator: 'le', property: 'C', literal: { kind: 'number', text: '5' }, position: 68 },
          right: { kind: 'compare', operator: 'eq', property: 'D', literal: { kind: 'null' }, position: 78 },
        },
      },
    });
  });

  it('reports the position of an invalid token, as SAP does', () => {
    expect(() => parseFilter("Supplier eq 'O'Reilly'")).toThrow(FilterSyntaxError);
    expect(() => parseFilter('Supplier eq')).toThrow('Invalid token detected at position 12');
    expect(() => parseFilter("CreationTime le time'23:59:59' and")).toThrow(/position/);
  });
});

describe('OData reads', () => {
  it('pages like a RAP service: 100 without $top, at most maxPageSize with it, __next with an opaque $skiptoken', async () => {
    sandbox = await startSapSandbox({ size: 12, paging: { defaultPageSize: 5, maxPageSize: 4 } });
    const first = (await get(`${PO}${q({ $orderby: 'PurchaseOrder', $top: '10', $inlinecount: 'allpages' })}`)).json().d;
    expect(first.results).toHaveLength(4);
    expect(first.__count).toBe('12');
    expect(first.__next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sap\/opu\/odata\/sap\/API_PURCHASEORDER_PROCESS_SRV\/A_PurchaseOrder\?.*\$skiptoken=/);
    const second = (await get(new URL(first.__next).pathname + new URL(first.__next).search)).json().d;
    expect(second.results.map((record: { PurchaseOrder: string }) => record.PurchaseOrder)).toEqual(['4500000004', '4500000005', '4500000006', '4500000007']);
    const third = (await get(new URL(second.__next).pathname + new URL(second.__next).search)).json().d;
    // $top=10 is honoured across pages: 4 + 4 + 2.
    expect(third.results).toHaveLength(2);
    expect(third.__next).toBeUndefined();
    const unbounded = (await get(`${PO}${q({ $select: 'PurchaseOrder' })}`)).json().d;
    expect(unbounded.results).toHaveLength(5);
    expect(Object.keys(unbounded.results[0])).toEqual(['__metadata', 'PurchaseOrder']);
  });

  it('has position-based skiptokens: a record changed between pages shifts the rest (why the connector pages by keyset)', async () => {
    sandbox = await startSapSandbox({ size: 9, paging: { defaultPageSize: 3, maxPageSize: 3 } });
    const query = q({ $orderby: 'LastChangeDateTime,PurchaseOrder', $select: 'PurchaseOrder' });
    const first = (await get(`${PO}${query}`)).json().d;
    sandbox.control.updatePurchaseOrder('4500000001', {});
    const next = new URL(first.__next);
    const rest: string[] = [];
    let page = (await get(next.pathname + next.search)).json().d;
    rest.push(...page.results.map((record: { PurchaseOrder: string }) => record.PurchaseOrder));
    while (page.__next) {
      const url = new URL(page.__next);
      page = (await get(url.pathname + url.search)).json().d;
      rest.push(...page.results.map((record: { PurchaseOrder: string }) => record.PurchaseOrder));
    }
    // 4500000001 moved to the end, so 4500000003 slid into the first page's positions: never served.
    expect(rest).not.toContain('4500000003');
  });

  it('serves the V2 JSON shapes: __metadata, /Date(ms)/, /Date(ms+0000)/, PT times, decimals as strings, "" for blanks, deferred and expanded navigations', async () => {
    sandbox = await startSapSandbox({ size: 3 });
    const order = (await get(`${PO}('4500000001')${q({ $expand: 'to_PurchaseOrderItem/to_ScheduleLine' })}`)).json().d;
    expect(order.__metadata).toEqual({
      id: `${sandbox.url}${PO}('4500000001')`,
      uri: `${sandbox.url}${PO}('4500000001')`,
      type: 'API_PURCHASEORDER_PROCESS_SRV.A_PurchaseOrderType',
    });
    expect(order.LastChangeDateTime).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(order.CreationDate).toMatch(/^\/Date\(\d+\)\/$/);
    expect(order.PurchaseOrderSubtype).toBe('');
    expect(order.NetPaymentDays).toBe('30');
    expect(order.to_PurchaseOrderNote).toEqual({ __deferred: { uri: `${sandbox.url}${PO}('4500000001')/to_PurchaseOrderNote` } });
    const item = order.to_PurchaseOrderItem.results[0];
    expect(item.__metadata.uri).toBe(`${sandbox.url}/sap/opu/odata/sap/API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrderItem(PurchaseOrder='4500000001',PurchaseOrderItem='10')`);
    expect(item.OrderQuantity).toMatch(/^\d+\.000$/);
    expect(item.to_ScheduleLine.results[0].ScheduleLineDeliveryTime).toBe('PT00H00M00S');
    expect(item.to_PurchaseOrder).toEqual({ __deferred: expect.anything() });
  });

  it("answers errors in SAP's shapes", async () => {
    sandbox = await startSapSandbox({ size: 3 });
    const unknownKey = await get(`${PO}('4599999999')`);
    expect(unknownKey.status).toBe(404);
    expect(unknownKey.json().error).toMatchObject({ code: '/IWBEP/CM_MGW_RT/020', message: { lang: 'en', value: "Resource not found for segment 'A_PurchaseOrderType'" } });
    expect(unknownKey.json().error.innererror).toMatchObject({ application: { service_id: 'API_PURCHASEORDER_PROCESS_SRV', service_namespace: '/SAP/' }, errordetails: [] });
    const badFilter = await get(`${PO}${q({ $filter: "LastChangeDateTime ge datetime'2024-01-01T00:00:00'" })}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.json().error.message.value).toBe("Operator 'ge' incompatible with operand types 'Edm.DateTimeOffset' and 'Edm.DateTime' at position 1");
    const syntax = await get(`${PO}${q({ $filter: "Supplier eq 'a' and" })}`);
    expect(syntax.json().error.message.value).toBe('Invalid token detected at position 20');
    const atom = await get(PO, { accept: 'application/atom+xml' });
    expect(atom.status).toBe(406);
    const noAuth = await fetch(`${sandbox.url}${PO}`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toBe('Basic realm="SAP NetWeaver Application Server [S4H/100]"');
    expect(await noAuth.text()).toContain('Logon Error Message');
    sandbox.control.denyService('API_PRODUCT_SRV');
    const denied = await get('/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product');
    expect(denied.status).toBe(403);
    expect(denied.json().error.code).toBe('/IWFND/CM_CONSUMER/101');
  });

  it('generates the same tenant for the same seed, lazily, fast enough for 1,000,000 orders', async () => {
    sandbox = await startSapSandbox({ size: 1_000_000, sizes: { businessPartners: 100, products: 100, equipment: 10, maintenanceOrders: 10 } });
    const started = Date.now();
    const page = (await get(`${PO}${q({ $filter: "LastChangeDateTime ge datetimeoffset'2024-06-01T00:00:00Z'", $orderby: 'LastChangeDateTime,PurchaseOrder', $top: '5', $select: 'PurchaseOrder,LastChangeDateTime' })}`)).json().d;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(page.results).toHaveLength(5);
    const again = await startSapSandbox({ size: 3, seed: 1 });
    const other = await startSapSandbox({ size: 3, seed: 2 });
    try {
      const read = async (running: RunningSapSandbox) =>
        ((await (await fetch(`${running.url}${PO}('4500000002')`, { headers: { authorization: basic, accept: 'application/json' } })).json()) as any).d;
      const [a, b, c] = await Promise.all([read(again), read(again), read(other)]);
      expect(b).toEqual(a);
      expect(c.Supplier === a.Supplier && c.PaymentTerms === a.PaymentTerms && c.IncotermsClassification === a.IncotermsClassification).toBe(false);
    } finally {
      await again.close();
      await other.close();
    }
  });
});

describe('security and writes', () => {
  it('requires the CSRF token and its session cookie on writes', async () => {
    sandbox = await startSapSandbox({ size: 3 });
    const body = JSON.stringify({ PaymentTerms: '0004' });
    const patch = (headers: Record<string, string>) =>
      fetch(`${sandbox!.url}${PO}('4500000001')`, { method: 'PATCH', headers: { authorization: basic, 'content-type': 'application/json', ...headers }, body });
    const without = await patch({});
    expect(without.status).toBe(403);
    expect(without.headers.get('x-csrf-token')).toBe('Required');
    expect(await without.text()).toBe('CSRF token validation failed');
    const fetched = await get('/sap/opu/odata/sap/API_PURCHASEORDER_PROCESS_SRV/', { 'x-csrf-token': 'Fetch' });
    const token = fetched.headers.get('x-csrf-token')!;
    const cookies = fetched.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    expect(cookies).toMatch(/SAP_SESSIONID_S4H_100=.*sap-XSRF_S4H_100=/);
    expect((await patch({ 'x-csrf-token': token })).status).toBe(403);
    expect((await patch({ 'x-csrf-token': token, cookie: cookies })).status).toBe(204);
    // Read-only properties and wrongly typed decimals are refused like Gateway refuses them.
    const readOnly = await fetch(`${sandbox.url}${PO}('4500000001')`, {
      method: 'MERGE',
      headers: { authorization: basic, 'content-type': 'application/json', 'x-csrf-token': token, cookie: cookies },
      body: JSON.stringify({ PurchasingProcessingStatus: '05', CashDiscount1Percent: 2 }),
    });
    expect(readOnly.status).toBe(400);
    const details = ((await readOnly.json()) as any).error.innererror.errordetails;
    expect(details.map((detail: { code: string }) => detail.code)).toEqual(['/IWBEP/CM_MGW_RT/059', '/IWBEP/CM_MGW_RT/004']);
  });

  it('issues OAuth tokens for client credentials, with expires_in as a string', async () => {
    sandbox = await startSapSandbox({ size: 1, tokenTtlSeconds: 600 });
    const token = async (body: string, auth?: string) => {
      const response = await fetch(`${sandbox!.url}/sap/bc/sec/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
        body,
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const client = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.clientId}:${SANDBOX_CREDENTIALS.clientSecret}`).toString('base64')}`;
    const ok = await token('grant_type=client_credentials', client);
    expect(ok).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: '600' } });
    const api = await fetch(`${sandbox.url}${PO}?$top=1`, { headers: { authorization: `Bearer ${ok.body.access_token}`, accept: 'application/json' } });
    expect(api.status).toBe(200);
    expect(await token('grant_type=password', client)).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await token(`grant_type=client_credentials&client_id=${SANDBOX_CREDENTIALS.clientId}&client_secret=nope`)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
});
