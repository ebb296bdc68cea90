import { afterEach, describe, expect, it } from 'vitest';
import { mappedRecordSchema, recordId, type EntityName } from '../../schemas/index.js';
import { assertConnectorStreams, assertStreamOutput } from '../sdk/contract.js';
import { netsuiteConnector } from './index.js';
import type { MapContext, StreamDefinition } from '../sdk/types.js';
import type { NetSuiteClient } from './client.js';
import type { NetSuiteCursor } from './discovery.js';
import type { Raw } from './mappers/common.js';
import { quietLogger, startHarness, type Harness } from './sandbox/harness.js';
import { inventoryItemsStream } from './streams/inventory-items.js';
import { purchaseOrdersStream } from './streams/purchase-orders.js';
import { vendorsStream } from './streams/vendors.js';

const ctx: MapContext = { connectionId: 'c1', sourceSystem: 'netsuite', idFor: (entity, remoteId) => recordId('c1', entity, remoteId) };
type Stream = StreamDefinition<NetSuiteClient, Raw, NetSuiteCursor>;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function mapAll(stream: Stream, records: Raw[]): void {
  assertStreamOutput(stream, records);
  for (const raw of records) {
    const mapped = stream.map(raw, ctx);
    const result = mappedRecordSchema(stream.entity as EntityName).safeParse(mapped);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  }
}

const ids = (records: Raw[]): string[] => records.map((record) => String(record.id));
const sortedIds = (values: string[]): string[] => [...values].sort((a, b) => Number(a) - Number(b));

describe('NetSuite streams against the sandbox', () => {
  it('passes the generic stream check of every registered connector', async () => {
    harness = await startHarness({ size: 10 });
    await netsuiteConnector.testConnection(harness.client);
    await assertConnectorStreams(netsuiteConnector, harness.client, { logger: quietLogger });
  });

  it.each([
    ['purchase orders', purchaseOrdersStream, 'purchaseorder'],
    ['vendors', vendorsStream, 'vendor'],
    ['inventory items', inventoryItemsStream, 'inventoryitem'],
  ] as const)('full sync of %s reads every record with its sublists, in mappable shape', async (_name, stream, type) => {
    harness = await startHarness({ size: 10 });
    const outcome = await harness.sync(stream, null);
    expect(sortedIds(ids(outcome.records))).toEqual(harness.sandbox.store.ids(type));
    expect(outcome.deleted).toEqual([]);
    mapAll(stream, outcome.records);
    expect(outcome.cursor?.changes.since).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('reads purchase orders with expanded item lines and NetSuite value types', async () => {
    harness = await startHarness({ size: 10 });
    const outcome = await harness.sync(purchaseOrdersStream, null);
    const first = outcome.records.find((record) => record.id === '1000')!;
    const items = (first.item as { items: Raw[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(typeof items[0]!.quantity).toBe('number');
    expect(first.entity).toMatchObject({ id: expect.any(String), refName: expect.any(String), links: [{ rel: 'self', href: expect.stringMatching(/\/record\/v1\/vendor\/\d+$/) }] });
    expect(first.lastModifiedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
  });

  it('an incremental sync returns changed and created records and reports deletions, nothing else', async () => {
    // Two minutes behind: the minute of each change has ended before the next sync reads it, so
    // a change is remembered and not read again (a change in a minute still open is re-read).
    harness = await startHarness({ size: 10, now: () => Date.now() - 120_000 });
    const full = await harness.sync(purchaseOrdersStream, null);
    const { control } = harness.sandbox;
    control.touch('purchaseorder', '1003', 'expedite');
    const created = control.createPurchaseOrder({ entity: { id: '100' }, item: { items: [{ item: { id: '500' }, quantity: 2, rate: 9.5 }] } });
    control.deleteRecord('purchaseorder', '1005');
    const next = await harness.sync(purchaseOrdersStream, full.cursor);
    expect(sortedIds(ids(next.records))).toEqual(['1003', created]);
    expect(next.records.find((record) => record.id === '1003')!.memo).toBe('expedite');
    expect(next.deleted).toEqual(['1005']);
    const again = await harness.sync(purchaseOrdersStream, next.cursor);
    expect(again.records).toEqual([]);
    expect(again.deleted).toEqual([]);
  });

  it('a full pass does not report deletions made before it, but reports those made after', async () => {
    harness = await startHarness({ size: 10 });
    harness.sandbox.control.deleteRecord('vendor', '101');
    const full = await harness.sync(vendorsStream, null);
    expect(ids(full.records)).not.toContain('101');
    expect(full.deleted).toEqual([]);
    harness.sandbox.control.deleteRecord('vendor', '102');
    const next = await harness.sync(vendorsStream, full.cursor);
    expect(next.deleted).toEqual(['102']);
  });

  it('pages by keyset across page boundaries while records change: nothing is skipped, changed records are read again', async () => {
    harness = await startHarness({ size: 10, config: { pageSize: 3 }, now: () => Date.now() - 120_000 });
    // After each of the first two SuiteQL pages, the sandbox changes the first order of that page.
    harness.sandbox.faults.mutateDuringPaging = 2;
    const outcome = await harness.sync(purchaseOrdersStream, null);
    expect(outcome.pages).toBeGreaterThanOrEqual(4);
    expect(new Set(ids(outcome.records))).toEqual(new Set(harness.sandbox.store.ids('purchaseorder')));
    const changed = outcome.records.filter((record) => record.memo === 'Changed while a sync was paging');
    expect([...new Set(ids(changed))].sort()).toEqual(['1000', '1003']);
    // The last copy of each changed order, the one downstream keeps, is the changed version.
    for (const id of ['1000', '1003']) expect(outcome.records.filter((record) => record.id === id).at(-1)!.memo).toBe('Changed while a sync was paging');
    // The next incremental sync has nothing new: the changed versions were already read.
    const next = await harness.sync(purchaseOrdersStream, outcome.cursor);
    expect(next.records).toEqual([]);
  });

  it('resumes from a page cursor after a crash without losing records', async () => {
    harness = await startHarness({ size: 10, config: { pageSize: 4 } });
    const ctxRead = { signal: new AbortController().signal, logger: quietLogger, startedAt: new Date() };
    const first = await purchaseOrdersStream.read(harness.client, null, ctxRead).next();
    expect(first.done).toBe(false);
    const firstPage = first.value as { records: Raw[]; cursor: NetSuiteCursor };
    // The worker dies here; the next run starts from the committed page cursor.
    const resumed = await harness.sync(purchaseOrdersStream, firstPage.cursor);
    expect(new Set([...ids(firstPage.records), ...ids(resumed.records)])).toEqual(new Set(harness.sandbox.store.ids('purchaseorder')));
    expect(ids(resumed.records).filter((id) => ids(firstPage.records).includes(id))).toEqual([]);
  });

  it('works on a session clock far from UTC (integration user in another time zone)', async () => {
    for (const offset of [-480, 330]) {
      harness = await startHarness({ size: 10, sessionUtcOffsetMinutes: offset, now: () => Date.now() - 120_000 });
      // A change just before the full sync puts the cursor at "now" on the session clock; read as
      // UTC it would be hours off, and the change below would fall before it (or far after).
      harness.sandbox.control.touch('purchaseorder', '1001', 'before the full sync');
      const full = await harness.sync(purchaseOrdersStream, null);
      harness.sandbox.control.touch('purchaseorder', '1002', `changed at offset ${offset}`);
      const next = await harness.sync(purchaseOrdersStream, full.cursor);
      expect(ids(next.records)).toEqual(['1002']);
      await harness.close();
      harness = undefined;
    }
  });

  it('sees a second change of a record within the same minute (minute-precision timestamps)', async () => {
    // The sandbox clock stands still, 30 s ahead: both changes carry the same lastModifiedDate
    // minute, and that minute has not ended while the test runs.
    const frozen = Date.now() + 30_000;
    harness = await startHarness({ size: 10, now: () => frozen });
    const full = await harness.sync(vendorsStream, null);
    harness.sandbox.control.touch('vendor', '101', 'first change');
    const one = await harness.sync(vendorsStream, full.cursor);
    expect(one.records.map((record) => record.comments)).toEqual(['first change']);
    harness.sandbox.control.touch('vendor', '101', 'second change, same minute');
    const two = await harness.sync(vendorsStream, one.cursor);
    expect(two.records.map((record) => record.comments)).toEqual(['second change, same minute']);
  });

  it('re-reads inventory items on the stock refresh schedule, since quantities change without touching the item', async () => {
    harness = await startHarness({ size: 10 });
    const full = await harness.sync(inventoryItemsStream, null);
    harness.sandbox.control.setStock('500', '1', 777);
    const incremental = await harness.sync(inventoryItemsStream, full.cursor);
    expect(incremental.records).toEqual([]);
    const due = { ...full.cursor!, fullReadAt: new Date(Date.now() - 25 * 3600_000).toISOString() };
    const refreshed = await harness.sync(inventoryItemsStream, due);
    expect(refreshed.records).toHaveLength(harness.sandbox.store.count('inventoryitem'));
    const item = refreshed.records.find((record) => record.id === '500')!;
    const main = (item.locations as { items: Raw[] }).items.find((row) => (row.location as Raw).id === '1')!;
    expect(main.quantityOnHand).toBe(777);
    expect(Date.parse(refreshed.cursor!.fullReadAt!)).toBeGreaterThan(Date.now() - 60_000);
  });
});
