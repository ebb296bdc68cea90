import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait-for.js';
import { runSandbox, type RunningSandbox } from '../../sandbox-kit/server.js';
import { createNetSuiteSandbox, type NetSuiteSandbox } from './index.js';
import { tbaHeader } from './test-signing.js';

describe('NetSuite sandbox record service', () => {
  let sandbox: NetSuiteSandbox;
  let running: RunningSandbox;
  beforeAll(async () => {
    sandbox = await createNetSuiteSandbox({ size: 10, asyncJobDelayMs: 30 });
    running = await runSandbox(sandbox.app);
  });
  afterAll(async () => running.close());

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${running.url}${path}`;
    return fetch(url, {
      method,
      headers: { authorization: tbaHeader(sandbox.credentials.tba, sandbox.accountId, method, url), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
  const json = async (response: Response): Promise<Record<string, any>> => (await response.json()) as Record<string, any>;

  it('lists ids and links only, with paging links, for any casing of the record type', async () => {
    const body = await json(await call('GET', '/services/rest/record/v1/PurchaseOrder?limit=4&offset=4'));
    expect(body).toMatchObject({ count: 4, hasMore: true, offset: 4, totalResults: 10 });
    expect(body.items[0]).toEqual({ links: [{ rel: 'self', href: `${running.url}/services/rest/record/v1/purchaseorder/1004` }], id: '1004' });
    expect(body.links.map((link: { rel: string }) => link.rel)).toEqual(['previous', 'first', 'next', 'last', 'self']);
  });

  it('returns sublists as links without expandSubResources and expanded with it', async () => {
    const plain = await json(await call('GET', '/services/rest/record/v1/purchaseOrder/1001'));
    expect(plain.item).toEqual({ links: [{ rel: 'self', href: `${running.url}/services/rest/record/v1/purchaseorder/1001/item` }] });
    expect(plain.shippingAddress).toEqual({ links: [{ rel: 'self', href: `${running.url}/services/rest/record/v1/purchaseorder/1001/shippingAddress` }] });
    const expanded = await json(await call('GET', '/services/rest/record/v1/purchaseOrder/1001?expandSubResources=true'));
    expect(expanded.item.items.length).toBeGreaterThan(0);
    expect(expanded.item.items[0]).toMatchObject({ line: 1, item: { id: expect.any(String), refName: expect.any(String) }, quantity: expect.any(Number), rate: expect.any(Number) });
    expect(expanded.orderStatus.id).toMatch(/^[A-H]$/);
    expect(expanded.lastModifiedDate).toBe('2024-01-01T00:00:00Z');
    const fields = await json(await call('GET', '/services/rest/record/v1/vendor/100?fields=companyName,email'));
    expect(Object.keys(fields).sort()).toEqual(['companyName', 'email', 'id', 'links']);
  });

  it('answers 404 NONEXISTENT_ID for a missing record', async () => {
    const response = await call('GET', '/services/rest/record/v1/vendor/999999');
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({
      type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.5',
      title: 'Not Found',
      status: 404,
      'o:errorDetails': [{ detail: 'The record instance does not exist. Provide a valid record instance ID.', 'o:errorCode': 'NONEXISTENT_ID' }],
    });
  });

  const order = { entity: { id: '101' }, memo: 'sandbox test', item: { items: [{ item: { id: '500' }, quantity: 3, rate: 7.25 }] } };

  it('creates synchronously with 204 and the new record in Location; a repeated synchronous create makes a second record', async () => {
    const before = sandbox.store.count('purchaseorder');
    const key = 'b3f0e0c8-0d3a-4f57-8f0e-5d1e2c3b4a59';
    const first = await call('POST', '/services/rest/record/v1/purchaseOrder', order, { 'x-netsuite-idempotency-key': key });
    expect(first.status).toBe(204);
    expect(first.headers.get('location')).toMatch(new RegExp(`^${running.url}/services/rest/record/v1/purchaseorder/\\d+$`));
    const second = await call('POST', '/services/rest/record/v1/purchaseOrder', order, { 'x-netsuite-idempotency-key': key });
    expect(second.status).toBe(204);
    expect(sandbox.store.count('purchaseorder')).toBe(before + 2);
  });

  it('runs an async create once per idempotency key: a resubmission is 400 IDEMPOTENCY_ERROR naming the first job', async () => {
    const before = sandbox.store.count('purchaseorder');
    const key = '7d5e3c1a-2b4f-4e6d-8a9b-0c1d2e3f4a5b';
    const headers = { prefer: 'respond-async', 'x-netsuite-idempotency-key': key };
    const accepted = await call('POST', '/services/rest/record/v1/purchaseOrder', order, headers);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('preference-applied')).toBe('respond-async');
    const jobUrl = accepted.headers.get('location')!;
    expect(jobUrl).toMatch(/\/services\/rest\/async\/v1\/job\/\d+$/);
    const duplicate = await call('POST', '/services/rest/record/v1/purchaseOrder', order, headers);
    expect(duplicate.status).toBe(400);
    expect(duplicate.headers.get('location')).toBe(jobUrl);
    expect(await json(duplicate)).toMatchObject({ title: 'Conflict', status: 400, 'o:errorDetails': [{ 'o:errorCode': 'IDEMPOTENCY_ERROR' }] });
    const done = await waitFor(async () => {
      const job = await json(await call('GET', jobUrl));
      return job.completed ? job : undefined;
    }, { timeoutMs: 5000, description: 'the async job to complete' });
    expect(done.progress).toBe('succeeded');
    const tasks = await json(await call('GET', `${jobUrl}/task`));
    const task = await json(await call('GET', tasks.items[0].links[0].href));
    const result = await call('GET', task.links.find((link: { rel: string }) => link.rel === 'related').href);
    expect(result.status).toBe(204);
    expect(result.headers.get('location')).toMatch(/\/record\/v1\/purchaseorder\/\d+$/);
    expect(sandbox.store.count('purchaseorder')).toBe(before + 1);
  });

  it('refuses a write with NetSuite error details and a field path', async () => {
    const missingVendor = await call('POST', '/services/rest/record/v1/purchaseOrder', { item: order.item });
    expect(await json(missingVendor)).toMatchObject({ status: 400, 'o:errorDetails': [{ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'entity' }] });
    const unknownField = await call('PATCH', '/services/rest/record/v1/purchaseOrder/1001', { colour: 'red' });
    expect(await json(unknownField)).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'colour' }] });
    const badQuantity = await call('PATCH', '/services/rest/record/v1/purchaseOrder/1001', { item: { items: [{ line: 1, quantity: -2 }] } });
    expect(await json(badQuantity)).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'item.items[0].quantity' }] });
  });

  it('deletes with 204 and records the deletion in the deleted-record log', async () => {
    const response = await call('DELETE', '/services/rest/record/v1/vendor/102');
    expect(response.status).toBe(204);
    expect(sandbox.store.deleted.at(-1)).toMatchObject({ type: 'vendor', recordId: '102' });
    expect((await call('GET', '/services/rest/record/v1/vendor/102')).status).toBe(404);
  });
});
