import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';
import { insertRecords, unifiedRecord } from './testing/record-rows.js';

const NETSUITE_CONFIG = { accountId: '1234567', authType: 'tba', consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' };

describe('read-only SQL and the model\'s schemas', () => {
  let api: ApiHarness;
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    api = await startApiHarness({ settings: { sqlMaxRows: 1000, sqlTimeoutSeconds: 5 } });
    mine = (await api.connections.create({ system: 'netsuite', name: 'mine', config: NETSUITE_CONFIG, owner: 'acme', paused: true })).id;
    theirs = (await api.connections.create({ system: 'netsuite', name: 'theirs', config: NETSUITE_CONFIG, owner: 'globex', paused: true })).id;
    const orders = (connection: string, count: number) => Array.from({ length: count }, (_, index) => unifiedRecord('purchase_order', connection, `PO-${index}`));
    await insertRecords(api.clickhouse, 'purchase_order', [...orders(mine, 40), ...orders(theirs, 25)]);
    await api.clickhouse.client.command({ query: 'CREATE TABLE IF NOT EXISTS internal_notes (note String) ENGINE = MergeTree ORDER BY note' });
    await api.clickhouse.client.command({ query: "INSERT INTO internal_notes VALUES ('not for tenants')" });
  });
  afterAll(async () => api?.close());

  const sql = (query: string, extra: Record<string, unknown> = {}, key?: string) => api.call('POST', '/v1/sql', { key: key ?? api.keys.admin, body: { query, ...extra } });

  it('answers rows of the caller\'s connections only, from tables and views', async () => {
    const counts = await sql('SELECT connection_id, count() AS n FROM purchase_orders GROUP BY connection_id');
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({ columns: [{ name: 'connection_id' }, { name: 'n', type: 'UInt64' }], rows: [{ connection_id: mine, n: '40' }], row_count: 1, truncated: false });
    const viaView = await sql('SELECT count() AS n FROM millrace.purchase_orders_latest');
    expect(viaView.body.rows).toEqual([{ n: '40' }]);
    const theirsCount = await sql('SELECT count() AS n FROM purchase_orders', {}, api.keys.otherAdmin);
    expect(theirsCount.body.rows).toEqual([{ n: '25' }]);
    const joined = await sql(`WITH mine AS (SELECT id FROM purchase_orders) SELECT count() AS n FROM purchase_orders_latest WHERE id IN (SELECT id FROM mine) AND connection_id = '${theirs}'`);
    expect(joined.body.rows).toEqual([{ n: '0' }]);
    const limited = await sql('SELECT remote_id FROM purchase_orders ORDER BY remote_id', { max_rows: 5 });
    expect(limited.body).toMatchObject({ row_count: 5, truncated: true });
  });

  it('refuses anything but one plain SELECT over the open tables', async () => {
    const cases: [string, number, string][] = [
      ['SELECT 1; DROP TABLE purchase_orders', 400, 'sql_invalid'],
      ['INSERT INTO purchase_orders (id) VALUES (generateUUIDv4())', 403, 'sql_not_allowed'],
      ['DROP TABLE purchase_orders', 403, 'sql_not_allowed'],
      ['SELECT * FROM internal_notes', 403, 'sql_not_allowed'],
      ["SELECT 1 WHERE 'x' IN internal_notes", 403, 'sql_not_allowed'],
      ['SELECT name FROM system.tables', 403, 'sql_not_allowed'],
      ["SELECT * FROM file('/etc/hostname', 'LineAsString')", 403, 'sql_not_allowed'],
      ["SELECT file('/etc/hostname') AS f", 403, 'sql_not_allowed'],
      ["SELECT * FROM merge(currentDatabase(), '^purchase')", 403, 'sql_not_allowed'],
      ["SELECT count() FROM (SELECT * FROM purchase_orders SETTINGS additional_table_filters = {'purchase_orders': '1'})", 403, 'sql_not_allowed'],
      ['SELECT count() FROM purchase_orders SETTINGS readonly = 0', 403, 'sql_not_allowed'],
      ['SELECT nope FROM purchase_orders', 400, 'sql_invalid'],
    ];
    for (const [query, status, code] of cases) {
      const answer = await sql(query);
      expect(answer.status, query).toBe(status);
      expect(answer.body.error.code, query).toBe(code);
      expect(answer.text, query).not.toContain('not for tenants');
    }
    const stillThere = await api.clickhouse.client.query({ query: 'SELECT count() AS n FROM purchase_orders', format: 'JSONEachRow' });
    expect(await stillThere.json()).toEqual([{ n: '65' }]);
    const withCte = await sql('WITH recent AS (SELECT remote_id FROM purchase_orders) SELECT count() AS n FROM recent');
    expect(withCte.body.rows).toEqual([{ n: '40' }]);
  });

  it('stops a query at the time limit', async () => {
    const slow = await sql('SELECT sum(cityHash64(n)) AS h FROM purchase_orders ARRAY JOIN range(20000000) AS n', { timeout_seconds: 1 });
    expect(slow.status).toBe(408);
    expect(slow.body.error.code).toBe('sql_timeout');
    const tooLong = await sql('SELECT 1', { timeout_seconds: 60 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.issues[0].path).toBe('body.timeout_seconds');
  });

  it('serves the model as JSON Schema and Avro, and links the registry', async () => {
    const listing = await api.call('GET', '/v1/schemas', { key: api.keys.read });
    expect(listing.body.data.map((entity: { entity: string }) => entity.entity)).toEqual(['purchase_order', 'work_order', 'inventory_item', 'vendor', 'asset']);
    expect(listing.body.data[0]).toMatchObject({ api_path: '/v1/purchase-orders', table: 'purchase_orders', subject: `${api.prefix}unified.purchase_orders-value`, writable: true });
    const schema = await api.call('GET', '/v1/schemas/purchase_order', { key: api.keys.read });
    expect(schema.body).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    expect(schema.body.properties.lines.type).toBe('array');
    expect((await api.call('GET', '/v1/schemas/purchase-orders')).body.properties).toHaveProperty('vendor_id');
    const create = await api.call('GET', '/v1/schemas/work_order/write/create');
    expect(create.body.required).toContain('title');
    const avro = await api.call('GET', '/v1/schemas/vendor/avro');
    expect(avro.body).toMatchObject({ type: 'record', name: 'Vendor' });
    const unknown = await api.call('GET', '/v1/schemas/widgets');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('entity_unknown');
    const notWritable = await api.call('GET', '/v1/schemas/vendor/write/create');
    expect(notWritable.status).toBe(405);
  });
});
