import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { createLogger } from '../../platform/logger.js';
import { createUnifiedCodec, exampleRecord, unifiedTopic, type EntityName } from '../../schemas/index.js';
import type { UnifiedRecordMap } from '../../schemas/generated/types.js';
import { testKafka, uniqueName } from '../../test/support/kafka.js';
import { testRegistryUrl } from '../../test/support/registry.js';
import { waitFor } from '../../test/support/wait-for.js';
import { startClickHouseSink, type ClickHouseSink } from './clickhouse-sink.js';
import { countRows, queryRows, sendAll, unifiedMessages, unifiedRecord } from './testing/sink-fixtures.js';

/**
 * The example queries of docs/sql.md, read from the page itself and run against records loaded
 * through the sink, with answers worked out by hand from those records.
 */
function exampleQueries(): Map<string, string> {
  const page = fs.readFileSync(path.resolve('docs/sql.md'), 'utf8');
  return new Map([...page.matchAll(/<!-- example: (\w+) -->\s*```sql\n([\s\S]*?)```/g)].map((match) => [match[1]!, match[2]!]));
}

describe('docs/sql.md example queries', () => {
  const prefix = `${uniqueName('sqldocs')}.`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-sql-docs-'));
  const kafka = testKafka('millrace-sql-docs');
  const codec = createUnifiedCodec({ registryUrl: testRegistryUrl(), topicPrefix: prefix });
  const sap = uniqueName('sap');
  const netsuite = uniqueName('netsuite');
  const queries = exampleQueries();
  let clickhouse: ClickHouse;
  let sink: ClickHouseSink;

  async function load<E extends EntityName>(entity: E, records: UnifiedRecordMap[E][]): Promise<void> {
    await sendAll(kafka, unifiedTopic(prefix, entity), await unifiedMessages(codec, entity, records));
  }

  const vendor = (connection: string, system: string, index: number, name: string) => unifiedRecord('vendor', connection, index, { source_system: system, name });
  const line = (quantity: string, price: string, received: string, open: string | null, closed = false) => ({ ...exampleRecord('purchase_order').lines[0]!, quantity, unit_price: price, received_quantity: received, open_quantity: open, is_closed: closed, is_deleted: false });
  const order = (connection: string, system: string, index: number, vendorRecord: { id: string; remote_id: string }, status: string, currency: string, lines: ReturnType<typeof line>[]) =>
    unifiedRecord('purchase_order', connection, index, { source_system: system, vendor_id: vendorRecord.id, vendor_remote_id: vendorRecord.remote_id, status: status as never, currency, lines });

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'sql_docs_test', dataDir });
    sink = await startClickHouseSink({
      kafka,
      clickhouse,
      registryUrl: testRegistryUrl(),
      topicPrefix: prefix,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      raw: false,
      events: false,
      deadLetters: false,
      partitions: 1,
      flushIntervalMs: 200,
      sessionTimeoutMs: 6_000,
    });
    // Vendors: Acme in SAP and in NetSuite, Bolt in SAP only.
    const acmeSap = vendor(sap, 'sap_s4hana', 1, 'Acme Industrial');
    const boltSap = vendor(sap, 'sap_s4hana', 2, 'Bolt Supply');
    const acmeNetsuite = vendor(netsuite, 'netsuite', 1, 'Acme Industrial');
    await load('vendor', [acmeSap, boltSap, acmeNetsuite]);
    await load('purchase_order', [
      // open 10 × 5 = 50; the received line adds nothing
      order(sap, 'sap_s4hana', 1, acmeSap, 'approved', 'EUR', [line('10', '5', '0', '10'), line('4', '2.5', '4', '0')]),
      // closed orders are not open
      order(sap, 'sap_s4hana', 2, boltSap, 'closed', 'EUR', [line('7', '9', '0', '7')]),
      // open quantity unknown: 8 ordered, 3 received → 5 × 10 = 50; a closed line adds nothing
      order(netsuite, 'netsuite', 1, acmeNetsuite, 'partially_received', 'EUR', [line('8', '10', '3', null), line('1', '1000', '0', '1', true)]),
      order(netsuite, 'netsuite', 2, acmeNetsuite, 'approved', 'USD', [line('1', '100', '0', '1')]),
    ]);
    // Assets and work orders: pumps took 10 h and 4 h, the conveyor 20 h; an open one does not count.
    const pump = unifiedRecord('asset', sap, 1, { category: 'Pumps' });
    const conveyor = unifiedRecord('asset', sap, 2, { category: 'Conveyors' });
    await load('asset', [pump, conveyor]);
    const workOrder = (index: number, asset: { id: string; remote_id: string } | null, hours: number | null) =>
      unifiedRecord('work_order', sap, index, {
        asset_id: asset?.id ?? null,
        asset_remote_id: asset?.remote_id ?? null,
        reported_at: '2024-05-01T00:00:00.000Z',
        completed_at: hours === null ? null : new Date(Date.parse('2024-05-01T00:00:00.000Z') + hours * 3_600_000).toISOString(),
      });
    await load('work_order', [workOrder(1, pump, 10), workOrder(2, pump, 4), workOrder(3, conveyor, 20), workOrder(4, conveyor, null), workOrder(5, null, 2)]);
    // Items: 3 + 4 available against 10; 8 against 5; nothing in stock against 2; no reorder point.
    const stock = (available: string) => ({ ...exampleRecord('inventory_item').stock_levels[0]!, available, on_hand: available });
    await load('inventory_item', [
      unifiedRecord('inventory_item', sap, 1, { code: 'BRG-1', name: 'Bearing', reorder_point: '10', stock_levels: [stock('3'), stock('4')] }),
      unifiedRecord('inventory_item', sap, 2, { code: 'BLT-2', name: 'Belt', reorder_point: '5', stock_levels: [stock('8')] }),
      unifiedRecord('inventory_item', netsuite, 3, { code: 'SEAL-3', name: 'Seal', source_system: 'netsuite', reorder_point: '2', stock_levels: [] }),
      unifiedRecord('inventory_item', netsuite, 4, { code: 'OIL-4', name: 'Oil', source_system: 'netsuite', reorder_point: null, stock_levels: [] }),
    ]);
    await waitFor(
      async () =>
        (await countRows(clickhouse, 'vendors')) === 3 &&
        (await countRows(clickhouse, 'purchase_orders')) === 4 &&
        (await countRows(clickhouse, 'assets')) === 2 &&
        (await countRows(clickhouse, 'work_orders')) === 5 &&
        (await countRows(clickhouse, 'inventory_items')) === 4,
      { description: 'the example records', timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await sink?.stop();
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const admin = kafka.admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  });

  it('holds the three examples', () => {
    expect([...queries.keys()]).toEqual(['open_po_value_by_vendor', 'mean_time_to_complete_by_asset_type', 'parts_below_reorder_point']);
  });

  it('open purchase order value by vendor, across systems', async () => {
    const rows = await queryRows(clickhouse, queries.get('open_po_value_by_vendor')!);
    expect(rows.map((row) => ({ ...row, open_value: Number(row.open_value) }))).toEqual([
      { vendor: 'Acme Industrial', currency: 'EUR', systems: ['netsuite', 'sap_s4hana'], open_orders: '2', open_value: 100 },
      { vendor: 'Acme Industrial', currency: 'USD', systems: ['netsuite'], open_orders: '1', open_value: 100 },
    ]);
  });

  it('mean time to complete work orders, by asset type', async () => {
    expect(await queryRows(clickhouse, queries.get('mean_time_to_complete_by_asset_type')!)).toEqual([
      { asset_type: 'Conveyors', completed_work_orders: '1', mean_hours_to_complete: 20 },
      { asset_type: 'Pumps', completed_work_orders: '2', mean_hours_to_complete: 7 },
      { asset_type: '(no asset)', completed_work_orders: '1', mean_hours_to_complete: 2 },
    ]);
  });

  it('parts below their reorder point', async () => {
    const rows = await queryRows<Record<string, unknown>>(clickhouse, queries.get('parts_below_reorder_point')!);
    expect(rows.map((row) => ({ code: row.code, system: row.source_system, available: Number(row.available), shortfall: Number(row.shortfall) }))).toEqual([
      { code: 'BRG-1', system: 'sap_s4hana', available: 7, shortfall: 3 },
      { code: 'SEAL-3', system: 'netsuite', available: 0, shortfall: 2 },
    ]);
  });

});
