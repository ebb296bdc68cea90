import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT, startBcSandbox, type StartedBcSandbox } from './index.js';

/** The sandbox on the wire, as a connector meets Business Central: URLs, headers and bodies. */
let sandbox: StartedBcSandbox | undefined;
afterEach(async () => {
  await sandbox?.server.close();
  sandbox = undefined;
});

async function token(s: StartedBcSandbox, form: Record<string, string> = {}): Promise<Response> {
  return fetch(`${s.loginBaseUrl}/${s.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT.clientId, client_secret: SANDBOX_CLIENT.clientSecret, scope: 'https://api.businesscentral.dynamics.com/.default', ...form }),
  });
}

async function api(s: StartedBcSandbox, path: string, init: RequestInit = {}): Promise<Response> {
  const { access_token } = (await (await token(s)).json()) as { access_token: string };
  return fetch(`${s.apiBaseUrl}/v2.0/${s.tenantId}/Production/api/v2.0/${path}`, { ...init, headers: { authorization: `Bearer ${access_token}`, ...init.headers } });
}

describe('Business Central sandbox on the wire', () => {
  it('issues client-credentials tokens and refuses bad ones with the identity platform’s errors', async () => {
    sandbox = await startBcSandbox({ size: 2, tokenTtlSeconds: 5 });
    const ok = (await (await token(sandbox)).json()) as Record<string, unknown>;
    expect(ok).toMatchObject({ token_type: 'Bearer', expires_in: 5, ext_expires_in: 5 });
    expect(String(ok.access_token)).toMatch(/^eyJ/);
    const badSecret = await token(sandbox, { client_secret: 'nope' });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const badScope = await token(sandbox, { scope: 'https://api.businesscentral.dynamics.com' });
    expect(badScope.status).toBe(400);
    expect(await badScope.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('answers 401 with a Bearer challenge and Authentication_InvalidCredentials', async () => {
    sandbox = await startBcSandbox({ size: 2 });
    const response = await fetch(`${sandbox.apiBaseUrl}/v2.0/${sandbox.tenantId}/Production/api/v2.0/companies`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\//);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('Authentication_InvalidCredentials');
    expect(body.error.message).toMatch(/^The server has rejected the client credentials\.  CorrelationId:  [0-9a-f-]{36}\.$/);
  });

  it('filters on lastModifiedDateTime with Z or an offset, refuses a quoted datetime, pages with aid=FIN and $skiptoken', async () => {
    sandbox = await startBcSandbox({ size: 10 });
    const company = sandbox.companyIds[0]!;
    const third = sandbox.control.vendorAt(company, 2)!.lastModifiedDateTime;
    const offset = new Date(Date.parse(third) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    for (const literal of [third, offset]) {
      const response = await api(sandbox, `companies(${company})/vendors?$filter=${encodeURIComponent(`lastModifiedDateTime gt ${literal}`)}&$orderby=lastModifiedDateTime asc`);
      expect(((await response.json()) as { value: unknown[] }).value).toHaveLength(7);
    }
    const quoted = await api(sandbox, `companies(${company})/vendors?$filter=${encodeURIComponent(`lastModifiedDateTime gt '${third}'`)}`);
    expect(quoted.status).toBe(400);
    expect(((await quoted.json()) as { error: { message: string } }).error.message).toContain("Found operand types 'Edm.DateTimeOffset' and 'Edm.String'");

    const first = await api(sandbox, `companies(${company})/items?$top=5`, { headers: { prefer: 'odata.maxpagesize=3' } });
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
    const page = (await first.json()) as { value: { '@odata.etag': string }[]; '@odata.nextLink': string };
    expect(page.value).toHaveLength(3);
    expect(page.value[0]!['@odata.etag']).toMatch(/^W\/"JzE5Oz[A-Za-z0-9+/=]+"$/);
    expect(page['@odata.nextLink']).toMatch(/\/items\?\$top=2&aid=FIN&\$skiptoken=[0-9a-f-]{36}$/);
    const rest = await api(sandbox, page['@odata.nextLink'].slice(page['@odata.nextLink'].indexOf('companies(')), { headers: { prefer: 'odata.maxpagesize=3' } });
    const second = (await rest.json()) as { value: unknown[]; '@odata.nextLink'?: string };
    expect(second.value).toHaveLength(2);
    expect(second['@odata.nextLink']).toBeUndefined();
  });

  it('requires If-Match on PATCH: missing → 400 BadRequest_InvalidToken, stale → 409 Request_EntityChanged', async () => {
    sandbox = await startBcSandbox({ size: 10 });
    const company = sandbox.companyIds[0]!;
    const draft = [...Array(10).keys()].map((i) => sandbox!.control.orderAt(company, i)!).find((order) => order.status === 'Draft')!;
    const patch = (headers: Record<string, string>) => api(sandbox!, `companies(${company})/purchaseOrders(${draft.id})`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ purchaser: 'JR' }) });
    const missing = await patch({});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'BadRequest_InvalidToken', message: expect.stringContaining('Could not validate the client concurrency token required by the service.') });
    const ok = await patch({ 'if-match': draft['@odata.etag']! });
    expect(ok.status).toBe(200);
    const stale = await patch({ 'if-match': draft['@odata.etag']! });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'Request_EntityChanged', message: expect.stringMatching(/^Another user has already changed the record\./) });
  });

  it('refuses requests beyond the environment’s 100 in flight with Application_TooManyRequests', async () => {
    sandbox = await startBcSandbox({ size: 2, limits: { maxActive: 1, maxQueued: 1 } });
    sandbox.faults.processingMs = 150;
    const company = sandbox.companyIds[0]!;
    const responses = await Promise.all([0, 1, 2].map(() => api(sandbox!, `companies(${company})/vendors`)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    const refused = responses.find((response) => response.status === 429)!;
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('Application_TooManyRequests');
  });

  it('deletes an order once it is fully invoiced and keeps the posted invoice with orderId', async () => {
    sandbox = await startBcSandbox({ size: 4 });
    const company = sandbox.companyIds[0]!;
    const order = sandbox.control.orderAt(company, 0)!;
    const action = await api(sandbox, `companies(${company})/purchaseOrders(${order.id})/Microsoft.NAV.receiveAndInvoice`, { method: 'POST' });
    expect(action.status).toBe(204);
    expect((await api(sandbox, `companies(${company})/purchaseOrders(${order.id})`)).status).toBe(404);
    const invoices = (await (await api(sandbox, `companies(${company})/purchaseInvoices?$filter=${encodeURIComponent(`orderId eq ${order.id}`)}`)).json()) as { value: { orderNumber: string; status: string }[] };
    expect(invoices.value).toEqual([expect.objectContaining({ orderNumber: order.number, status: 'Open' })]);
  });
});
