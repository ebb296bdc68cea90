import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordImageJson } from '../../schemas/clickhouse/record-image.js';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.js';
import { insertRecords, unifiedRecord } from '../testing/record-rows.js';

const NETSUITE_CONFIG = { accountId: '1234567', authType: 'tba', consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' };
const STATUSES = ['approved', 'partially_received', 'received', 'closed'] as const;

/**
 * Lists and gets are served from each row's stored image (record_json) when it has one, from its
 * fields otherwise (rows from before migration 0006, images older than the model): the answers
 * must be the same text either way, for every kind of read.
 */
describe('reads from record images', () => {
  let api: ApiHarness;
  let connection: string;
  const orderIds: string[] = [];

  beforeAll(async () => {
    api = await startApiHarness();
    connection = (await api.connections.create({ system: 'netsuite', name: 'images', config: NETSUITE_CONFIG, owner: 'acme', paused: true })).id;
    const orders = Array.from({ length: 30 }, (_, index) =>
      unifiedRecord('purchase_order', connection, `PO-${String(index).padStart(3, '0')}`, {
        status: STATUSES[index % STATUSES.length],
        version: String(1_000_000 + index),
        vendor_remote_id: index % 2 === 0 ? 'V1' : 'V2',
        ...(index % 5 === 0 ? { ship_to_address: null, memo: 'Quote " and \\ and ü' } : {}),
        ...(index === 7 ? { is_deleted: true, remote_deleted_at: '2024-07-01T00:00:00.000Z' } : {}),
      }),
    );
    orderIds.push(...orders.map((order) => order.id as string));
    await insertRecords(api.clickhouse, 'purchase_order', orders);
    // A newer version of PO-000 with an image, an older one without: the newer one is served.
    await insertRecords(api.clickhouse, 'purchase_order', [unifiedRecord('purchase_order', connection, 'PO-000', { status: 'closed', version: '2000000', vendor_remote_id: 'V1' })]);
    await insertRecords(api.clickhouse, 'vendor', [unifiedRecord('vendor', connection, 'V1'), unifiedRecord('vendor', connection, 'V2')]);
    await insertRecords(api.clickhouse, 'inventory_item', [unifiedRecord('inventory_item', connection, 'TG11')], { withImage: false });
  });
  afterAll(async () => api?.close());

  const reads = () => [
    '/v1/purchase-orders?limit=100',
    '/v1/purchase-orders?limit=7',
    '/v1/purchase-orders?limit=100&include_deleted=true',
    '/v1/purchase-orders?limit=100&status=closed',
    '/v1/purchase-orders?limit=100&include_remote_data=true',
    '/v1/purchase-orders?limit=100&expand=vendor,lines.item',
    `/v1/purchase-orders/${orderIds[0]}`,
    `/v1/purchase-orders/${orderIds[3]}?include_remote_data=true&expand=vendor`,
    `/v1/purchase-orders/${orderIds[7]}`,
    `/v1/purchase-orders/${orderIds[3]}/raw`,
  ];

  async function answers(): Promise<string[]> {
    return Promise.all(
      reads().map(async (route) => {
        const answer = await api.call('GET', route, { key: api.keys.read });
        expect(answer.status, route).toBe(200);
        return answer.text;
      }),
    );
  }

  async function setImages(assignment: string, where: string): Promise<void> {
    await api.clickhouse.client.command({ query: `ALTER TABLE purchase_orders UPDATE record_json = ${assignment} WHERE ${where} SETTINGS mutations_sync = 2` });
  }

  it('answers the same text from images, from fields, and from a page that mixes both', async () => {
    const fromImages = await answers();
    expect(JSON.parse(fromImages[0]!).data).toHaveLength(29);
    const po = (text: string, remoteId: string) => (JSON.parse(text).data as { remote_id: string }[]).find((record) => record.remote_id === remoteId) as Record<string, any>;
    expect(po(fromImages[0]!, 'PO-000')).toMatchObject({ status: 'closed', version: '2000000' });
    expect(po(fromImages[0]!, 'PO-007')).toBeUndefined();
    expect(po(fromImages[4]!, 'PO-005').remote_data).toEqual({ id: 'PO-005', note: 'raw PO-005' });
    expect(po(fromImages[4]!, 'PO-005').ship_to_address).toBeNull();
    expect(po(fromImages[5]!, 'PO-001').lines[0].item).toMatchObject({ remote_id: 'TG11' });
    expect(po(fromImages[5]!, 'PO-001').vendor).toMatchObject({ remote_id: 'V2' });

    await setImages("''", "toUInt32(substring(remote_id, 4)) % 2 = 1");
    expect(await answers()).toEqual(fromImages);

    await setImages("''", '1');
    expect(await answers()).toEqual(fromImages);
  });

  it('serves a plain list (stored text, never parsed) with the very records a get or an expanded list gives', async () => {
    const plain = await api.call('GET', '/v1/purchase-orders?limit=100&include_deleted=true', { key: api.keys.read });
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    const listed = plain.body.data as Record<string, unknown>[];
    expect(listed).toHaveLength(30);
    const expanded = (await api.call('GET', '/v1/purchase-orders?limit=100&include_deleted=true&expand=vendor', { key: api.keys.read })).body.data as Record<string, unknown>[];
    expect(listed).toEqual(expanded.map(({ vendor: _vendor, ...record }) => record));
    for (const record of listed.slice(0, 5)) expect((await api.call('GET', `/v1/purchase-orders/${record.id}`, { key: api.keys.read })).body).toEqual(record);
  });

  it('reads the fields of a row whose image is older than the model (a field missing)', async () => {
    const [record] = await api.call('GET', `/v1/purchase-orders/${orderIds[2]}`, { key: api.keys.read }).then((answer) => [answer.body]);
    const { memo: _memo, ...stale } = JSON.parse(recordImageJson('purchase_order', record)) as Record<string, unknown>;
    const before = await answers();
    await setImages(`'${JSON.stringify({ ...stale, status: 'not what the fields say' }).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`, `id = '${orderIds[2]}'`);
    expect(await answers()).toEqual(before);
  });

  it('serves what the image says when the image is complete (it is the record, not a hint)', async () => {
    const answer = await api.call('GET', `/v1/purchase-orders/${orderIds[4]}`, { key: api.keys.read });
    const changed = recordImageJson('purchase_order', { ...answer.body, memo: 'from the image' });
    await setImages(`'${changed.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`, `id = '${orderIds[4]}'`);
    expect((await api.call('GET', `/v1/purchase-orders/${orderIds[4]}`, { key: api.keys.read })).body.memo).toBe('from the image');
  });
});
