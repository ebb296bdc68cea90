import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordId } from '../schemas/index.js';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';
import { insertRecords, unifiedRecord } from './testing/record-rows.js';

const NETSUITE_CONFIG = { accountId: '1234567', authType: 'tba', consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' };
const STATUSES = ['approved', 'partially_received', 'received', 'closed'] as const;

describe('unified reads from ClickHouse', () => {
  let api: ApiHarness;
  let a1: string;
  let a2: string;
  let g1: string;

  beforeAll(async () => {
    api = await startApiHarness();
    const connect = async (owner: string, name: string) => (await api.connections.create({ system: 'netsuite', name, config: NETSUITE_CONFIG, owner, paused: true })).id;
    a1 = await connect('acme', 'acme one');
    a2 = await connect('acme', 'acme two');
    g1 = await connect('globex', 'globex');
    const orders = (connection: string, count: number, base: number) =>
      Array.from({ length: count }, (_, index) =>
        unifiedRecord('purchase_order', connection, `PO-${String(index).padStart(4, '0')}`, {
          status: STATUSES[index % STATUSES.length],
          version: String(base + index),
          synced_at: new Date(Date.UTC(2024, 5, 1, 0, index)).toISOString(),
          vendor_remote_id: index % 2 === 0 ? 'V1' : 'V2',
        }),
      );
    await insertRecords(api.clickhouse, 'purchase_order', [...orders(a1, 150, 1_000_000), ...orders(a2, 30, 1_000_000), ...orders(g1, 20, 1_000_000)]);
    // Newer images: PO-0000 is now closed, PO-0001 deleted in the source.
    await insertRecords(api.clickhouse, 'purchase_order', [
      unifiedRecord('purchase_order', a1, 'PO-0000', { status: 'closed', version: '2000000', synced_at: '2024-07-01T00:00:00.000Z' }),
      unifiedRecord('purchase_order', a1, 'PO-0001', { is_deleted: true, remote_deleted_at: '2024-07-01T00:00:00.000Z', version: '2000001', status: 'partially_received' }),
    ]);
    await insertRecords(api.clickhouse, 'vendor', [unifiedRecord('vendor', a1, 'V1', { display_value: 'Vendor one' }), unifiedRecord('vendor', g1, 'V1', { display_value: 'Globex vendor' }), unifiedRecord('vendor', a2, 'V1', { display_value: 'Vendor of two' })]);
    await insertRecords(api.clickhouse, 'inventory_item', [unifiedRecord('inventory_item', a1, 'TG11', { display_value: 'Bearing' })]);
  });
  afterAll(async () => api?.close());

  const list = (query: string, key?: string) => api.call('GET', `/v1/purchase-orders${query}`, key ? { key } : { key: api.keys.read });

  it('pages through every record of the owner once, in a stable order, with identical field names', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await list(`?limit=70${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      seen.push(...answer.body.data.map((record: { id: string }) => record.id));
      for (const record of answer.body.data) expect(record).not.toHaveProperty('remote_data');
      cursor = answer.body.next_cursor;
      pages++;
    } while (cursor);
    // 180 records of acme, less PO-0001 (deleted); globex's 20 never appear.
    expect(seen).toHaveLength(179);
    expect(new Set(seen).size).toBe(179);
    expect(pages).toBe(3);
    expect(seen).not.toContain(recordId(g1, 'purchase_order', 'PO-0000'));
    expect(seen).not.toContain(recordId(a1, 'purchase_order', 'PO-0001'));
  });

  it('answers the latest image of each record, with deleted ones on request', async () => {
    const byConnection = await list(`?connection_id=${a1}&limit=500&include_deleted=true`);
    const first = byConnection.body.data.find((record: { remote_id: string }) => record.remote_id === 'PO-0000');
    expect(first).toMatchObject({ status: 'closed', version: '2000000' });
    expect(byConnection.body.data.find((record: { remote_id: string }) => record.remote_id === 'PO-0001')).toMatchObject({ is_deleted: true });
    expect(byConnection.body.data).toHaveLength(150);
    // The older "approved" image of PO-0000 does not match a status filter any more.
    const approved = await list(`?connection_id=${a1}&status=approved&limit=500`);
    expect(approved.body.data.map((record: { remote_id: string }) => record.remote_id)).not.toContain('PO-0000');
    expect(approved.body.data.every((record: { status: string }) => record.status === 'approved')).toBe(true);
    expect(approved.body.data).toHaveLength(37);
  });

  it('filters by vendor, modified_after and remote id; keeps other owners\' connections out', async () => {
    const vendorId = recordId(a1, 'vendor', 'V2');
    const byVendor = await list(`?vendor_id=${vendorId}&limit=500`);
    // 75 orders of V2, less PO-0001 (deleted).
    expect(byVendor.body.data).toHaveLength(74);
    const recent = await list(`?modified_after=2024-06-01T00:00:30Z&connection_id=${a2}`);
    expect(recent.body.data.map((record: { remote_id: string }) => record.remote_id).sort()).toEqual(Array.from({ length: 29 }, (_, index) => `PO-${String(index + 1).padStart(4, '0')}`));
    const one = await list(`?remote_id=PO-0042&connection_id=${a1}`);
    expect(one.body.data).toHaveLength(1);
    const foreign = await list(`?connection_id=${g1}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('connection_not_found');
    const theirs = await list('?limit=500', api.keys.otherAdmin);
    expect(theirs.body.data).toHaveLength(20);
  });

  it('includes the raw record and expands related records on request', async () => {
    const answer = await list(`?connection_id=${a1}&remote_id=PO-0002&include_remote_data=true&expand=vendor,lines.item`);
    const [record] = answer.body.data;
    expect(record.remote_data).toEqual({ id: 'PO-0002', note: 'raw PO-0002' });
    expect(record.vendor).toMatchObject({ id: recordId(a1, 'vendor', 'V1'), display_value: 'Vendor one' });
    expect(record.vendor).not.toHaveProperty('remote_data');
    expect(record.lines[0].item).toMatchObject({ display_value: 'Bearing' });
    const withoutItem = record.lines.find((line: { item_id: string | null }) => line.item_id !== recordId(a1, 'inventory_item', 'TG11'));
    if (withoutItem) expect(withoutItem.item).toBeNull();
    const unsynced = await list(`?connection_id=${a1}&remote_id=PO-0003&expand=vendor`);
    expect(unsynced.body.data[0].vendor).toBeNull();
  });

  it('gets one record, its raw record, through either path spelling, only for its owner', async () => {
    const id = recordId(a1, 'purchase_order', 'PO-0005');
    const got = await api.call('GET', `/v1/purchase-orders/${id}?expand=vendor`, { key: api.keys.read });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, remote_id: 'PO-0005', connection_id: a1, vendor: null });
    const snake = await api.call('GET', `/v1/purchase_orders/${id}`, { key: api.keys.read });
    expect(snake.body.id).toBe(id);
    const raw = await api.call('GET', `/v1/purchase-orders/${id}/raw`, { key: api.keys.read });
    expect(raw.body).toMatchObject({ id, entity: 'purchase_order', remote_id: 'PO-0005', source_system: expect.any(String), data: { id: 'PO-0005', note: 'raw PO-0005' } });
    const foreign = await api.call('GET', `/v1/purchase-orders/${id}`, { key: api.keys.otherAdmin });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('record_not_found');
    expect((await api.call('GET', `/v1/purchase-orders/${id}/raw`, { key: api.keys.otherAdmin })).status).toBe(404);
    const missing = await api.call('GET', `/v1/vendors/${recordId(a1, 'vendor', 'nope')}`);
    expect(missing.status).toBe(404);
    const notUuid = await api.call('GET', '/v1/purchase-orders/PO-0005');
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.issues[0].path).toBe('params.id');
  });

  it('never serves a cached image once a newer one is stored, nor leaks one request\'s expansions into another', async () => {
    const query = `?connection_id=${a1}&remote_id=PO-0010`;
    const before = (await list(`${query}&expand=vendor`)).body.data[0];
    expect(before).toHaveProperty('vendor');
    const plain = (await list(query)).body.data[0];
    expect(plain).not.toHaveProperty('vendor');
    expect(plain.status).toBe(before.status);
    await insertRecords(api.clickhouse, 'purchase_order', [unifiedRecord('purchase_order', a1, 'PO-0010', { status: 'cancelled', version: '3000000' })]);
    const after = (await list(query)).body.data[0];
    expect(after).toMatchObject({ status: 'cancelled', version: '3000000' });
    expect((await api.call('GET', `/v1/purchase-orders/${after.id}`)).body.status).toBe('cancelled');
    const stored = unifiedRecord('purchase_order', a1, 'PO-0010', { status: 'cancelled', version: '3000000' });
    const { remote_data: _raw, ...expected } = stored;
    expect(after).toEqual(expected);
  });

  it('refuses bad list queries with the parameter named', async () => {
    const cases: [string, string, string][] = [
      ['?limit=501', 'request_invalid', 'query.limit'],
      ['?asset_id=0b9f5a4e-4d8c-4c39-9d6c-0b8f5a4e4d8c', 'request_invalid', 'query.asset_id'],
      ['?status=lost', 'request_invalid', 'query.status'],
      ['?expand=vendor,buyer', 'request_invalid', 'query.expand'],
      ['?modified_after=yesterday', 'request_invalid', 'query.modified_after'],
      ['?include_deleted=yes', 'request_invalid', 'query.include_deleted'],
      ['?cursor=not-a-cursor', 'cursor_invalid', 'query.cursor'],
    ];
    for (const [query, code, path] of cases) {
      const answer = await list(query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code, query).toBe(code);
      expect(answer.body.error.issues.map((issue: { path: string }) => issue.path), query).toContain(path);
    }
    const vendorCursor = (await api.call('GET', '/v1/vendors?limit=1')).body.next_cursor;
    expect(vendorCursor).toEqual(expect.any(String));
    const crossed = await list(`?cursor=${vendorCursor}`);
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.code).toBe('cursor_invalid');
  });
});
