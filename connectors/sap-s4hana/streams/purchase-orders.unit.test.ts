import { afterEach, describe, expect, it } from 'vitest';
import { mappedRecordSchema } from '../../../schemas/index.js';
import { assertStreamOutput } from '../../sdk/contract.js';
import type { ChangeCursor } from '../change-reader.js';
import type { ODataRecord } from '../odata/page.js';
import { runSync, startHarness, type Harness } from '../sandbox/test-harness.js';
import { testMapContext } from '../mappers/test-context.js';
import { purchaseOrdersStream } from './purchase-orders.js';

/** Contract tests: the real purchase orders stream against the sandbox over loopback HTTP. */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const keys = (records: ODataRecord[]) => records.map((record) => String(record.PurchaseOrder));
const po = (index: number) => String(4500000000 + index);

async function fullSync(h: Harness, pageSize: number) {
  return runSync(purchaseOrdersStream, h.connect({ pageSize }), null);
}

describe('purchase orders stream', () => {
  it('reads every purchase order with its items in a full pass, then continues from the high-water mark', async () => {
    harness = await startHarness({ size: 23 });
    const result = await fullSync(harness, 5);
    expect(keys(result.records)).toEqual(Array.from({ length: 23 }, (_, i) => po(i)));
    expect(result.pages).toBe(5);
    for (const record of result.records) expect((record.to_PurchaseOrderItem as { results: unknown[] }).results).toHaveLength(5);
    assertStreamOutput(purchaseOrdersStream, result.records);
    for (const record of result.records) mappedRecordSchema('purchase_order').parse(purchaseOrdersStream.map(record, testMapContext));
    // Mid-pass pages checkpoint by key; the last one switches to change-time reading.
    expect(result.cursors[0]).toMatchObject({ phase: 'full', after: po(4) });
    expect(result.cursor).toMatchObject({ phase: 'changes', since: ['2024-01-01T00:04:40.000Z'] });
    // The requests: keyset by key, never a $skip, always $top.
    const urls = harness.sandbox.state.requestLog.map((entry) => decodeURIComponent(entry.url));
    expect(urls.some((url) => url.includes("PurchaseOrder gt '4500000004'"))).toBe(true);
    expect(urls.every((url) => url.includes('$top=') && !url.includes('$skip'))).toBe(true);
  });

  it('after changes, reads exactly the changed orders (plus the last millisecond read, which it re-reads)', async () => {
    harness = await startHarness({ size: 23 });
    const first = await fullSync(harness, 5);
    harness.sandbox.control.updatePurchaseOrder(po(3), { PaymentTerms: '0004' });
    harness.sandbox.control.updatePurchaseOrderItem(po(11), '20', { OrderQuantity: '99.000' });
    harness.sandbox.control.flagPurchaseOrderDeleted(po(17));
    const second = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 5 }), first.cursor);
    // PO 21 and 22 share the last generated change time: they are the inclusive high-water bucket.
    expect(keys(second.records).sort()).toEqual([po(3), po(11), po(17), po(21), po(22)]);
    const changedItem = (second.records.find((record) => record.PurchaseOrder === po(11))!.to_PurchaseOrderItem as { results: ODataRecord[] }).results[1]!;
    expect(changedItem.OrderQuantity).toBe('99.000');
    expect(purchaseOrdersStream.map(second.records.find((record) => record.PurchaseOrder === po(17))!, testMapContext)).toMatchObject({ is_deleted: true, status: 'cancelled' });
    // Nothing changed since: only the orders of the last millisecond read come again (the three
    // changes above may share one millisecond).
    const third = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 5 }), second.cursor);
    const last = second.records.map((record) => String(record.LastChangeDateTime)).sort().at(-1);
    expect(keys(third.records).sort()).toEqual(keys(second.records.filter((record) => record.LastChangeDateTime === last)).sort());
    expect(keys(third.records)).toContain(po(17));
  });

  it('misses nothing when orders change between the pages of a sync (page boundaries inside runs of equal change times)', async () => {
    harness = await startHarness({ size: 40 });
    const first = await fullSync(harness, 7);
    const { control } = harness.sandbox;
    for (const index of [2, 5, 9, 13, 21, 30, 31, 38]) control.updatePurchaseOrder(po(index), { YY1_ProjectCode_PDH: 'WAVE-1' });
    const touchedLater = [2, 30, 4, 39];
    const second = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 3 }), first.cursor, (page) => {
      // Between pages: change orders already read this sync, and orders not read yet.
      if (page === 1) for (const index of touchedLater) control.updatePurchaseOrder(po(index), { YY1_ProjectCode_PDH: 'WAVE-2' });
    });
    const third = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 3 }), second.cursor);
    const seen = new Map<string, string>();
    for (const record of [...second.records, ...third.records]) seen.set(String(record.PurchaseOrder), String(record.YY1_ProjectCode_PDH));
    for (const index of [5, 9, 13, 21, 31, 38]) expect(seen.get(po(index))).toBe('WAVE-1');
    for (const index of touchedLater) expect(seen.get(po(index))).toBe('WAVE-2');
  });

  it('reads every order of a millisecond SAP orders by microseconds, even when it holds more orders than a page', async () => {
    harness = await startHarness({ size: 30 });
    const first = await fullSync(harness, 10);
    const { control } = harness.sandbox;
    const ms = Date.UTC(2024, 5, 1, 12, 0, 0, 123);
    // Seven orders in one JSON millisecond, their microseconds in the opposite order of their keys.
    const burst = [1, 4, 7, 10, 13, 16, 19];
    burst.forEach((index, position) => control.updatePurchaseOrder(po(index), {}, { changedAtMicros: ms * 1000 + 900 - position * 100 }));
    // Two more a millisecond later, one tying on the microsecond with a lower key.
    control.updatePurchaseOrder(po(25), {}, { changedAtMicros: (ms + 1) * 1000 + 5 });
    control.updatePurchaseOrder(po(2), {}, { changedAtMicros: (ms + 1) * 1000 + 5 });
    const second = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 3 }), first.cursor);
    const read = keys(second.records);
    const expected = [...burst.map(po), po(2), po(25)];
    expect(read.filter((key) => expected.includes(key)).sort()).toEqual(expected.sort());
    // Each exactly once within the sync.
    expect(new Set(read).size).toBe(read.length);
    expect(second.cursor).toMatchObject({ phase: 'changes', since: ['2024-06-01T12:00:00.124Z'], bucket: null });
    // The bucket of seven was read by key, in pages of three.
    const urls = harness.sandbox.state.requestLog.map((entry) => decodeURIComponent(entry.url));
    expect(urls.filter((url) => url.includes("LastChangeDateTime lt datetimeoffset'2024-06-01T12:00:00.124Z'")).length).toBeGreaterThanOrEqual(3);
  });

  it('resumes an interrupted full pass from its committed key without losing or repeating orders', async () => {
    harness = await startHarness({ size: 20 });
    const client = harness.connect({ pageSize: 6 });
    const pages = purchaseOrdersStream.read(client, null, { signal: new AbortController().signal, logger: client.logger, startedAt: new Date() });
    const firstPage = (await pages.next()).value!;
    await pages.return(undefined);
    const resumed = await runSync(purchaseOrdersStream, client, firstPage.cursor as ChangeCursor);
    expect([...keys(firstPage.records), ...keys(resumed.records)]).toEqual(Array.from({ length: 20 }, (_, i) => po(i)));
  });

  it('reads a full pass completely while the sandbox keeps changing the orders it serves', async () => {
    harness = await startHarness({ size: 25 });
    harness.sandbox.control.changeWhilePaging('A_PurchaseOrder', 2);
    const full = await fullSync(harness, 5);
    expect(new Set(keys(full.records)).size).toBe(25);
    harness.sandbox.control.changeWhilePaging(null);
    const next = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 5 }), full.cursor);
    // Two orders touched per page served: all ten come again with their new change time.
    expect(keys(next.records).filter((key) => [0, 1, 5, 6, 10, 11, 15, 16, 20, 21].map(po).includes(key)).sort()).toEqual([0, 1, 5, 6, 10, 11, 15, 16, 20, 21].map(po));
  });

  it('re-reads changes inside the overlap window (late commits) and keeps cursors pure', async () => {
    harness = await startHarness({ size: 12 });
    const first = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 20 }), null);
    const withOverlap = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 20, changeOverlapSeconds: 80 }), first.cursor);
    // Groups of three change 40 s apart; 80 s before the last (group 3, at 120 s) reaches back to group 1.
    expect(keys(withOverlap.records)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11].map(po));
    const folded = withOverlap.records.reduce<ChangeCursor | null>((cursor, record) => purchaseOrdersStream.nextCursor(cursor, record), first.cursor);
    expect(folded).toEqual(withOverlap.cursor);
  });
});
