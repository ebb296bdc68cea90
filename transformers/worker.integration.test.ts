import { afterEach, describe, expect, it } from 'vitest';
import type { MillraceEvent, RecordEventData } from '../platform/events.js';
import { createKafka } from '../platform/kafka.js';
import { testBrokers } from '../test/support/kafka.js';
import { LostAnswers } from '../test/support/lost-answers.js';
import { waitFor } from '../test/support/wait-for.js';
import type { DeadLetterAlertData } from './dead-letter-alerts.js';
import { DLQ_HEADERS } from './dead-letter.js';
import { SlotTransactor } from './slot-transactor.js';
import { SwitchableProxy } from './testing/switchable-proxy.js';
import { TransformerHarness } from './testing/transformer-harness.js';
import { testRegistryUrl } from '../test/support/registry.js';

const C = 'conn-worker';
const vendor = (id: string, name = `Vendor ${id}`, extra: Record<string, unknown> = {}) => ({ VendorId: id, Name: name, Currency: 'EUR', Created: '/Date(1714557605000)/', ...extra });
const order = (id: string, lines = 3) => ({
  OrderId: id,
  Supplier: 'V-1',
  Status: 'open',
  OrderDate: '/Date(1714557605000)/',
  Currency: 'EUR',
  Lines: Array.from({ length: lines }, (_, i) => ({ Item: (i + 1) * 10, Material: `M-${i}`, Quantity: i + 1, Price: 9.99 })),
});
const vendors = { connectionId: C, entity: 'vendor' as const, stream: 'vendors' };
const orders = { connectionId: C, entity: 'purchase_order' as const, stream: 'purchase_orders' };

let harness: TransformerHarness;
afterEach(async () => {
  await harness?.stop();
});

function recordEvents(): MillraceEvent<RecordEventData>[] {
  return harness.tail!.events(C).filter((event) => event.type.startsWith('record.')) as unknown as MillraceEvent<RecordEventData>[];
}

/** Each of `count` vendors once in the unified topic, with one record.created and one state record. */
function expectEachVendorOnce(count: number): void {
  const keys = harness.messages(harness.topics.unified('vendors')).map((message) => message.key);
  expect(keys).toHaveLength(count);
  expect(new Set(keys).size).toBe(count);
  expect(recordEvents().filter((event) => event.type === 'record.created')).toHaveLength(count);
  expect(harness.messages(harness.topics.transformerState)).toHaveLength(count);
}

describe('transformer worker', () => {
  it('transforms every raw record into its unified topic, decodable through the registry, with its event and state', async () => {
    harness = new TransformerHarness();
    await harness.start();
    await harness.startWorker();
    await harness.startTail();
    await harness.writer.upserts(vendors, Array.from({ length: 200 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`) })));
    await harness.writer.upserts(orders, Array.from({ length: 50 }, (_, i) => ({ remoteId: `PO-${i}`, body: order(`PO-${i}`) })));
    await waitFor(() => harness.caughtUp(), { description: 'all raw records transformed' });
    await harness.tail!.caughtUp();

    const unifiedVendors = harness.messages(harness.topics.unified('vendors'));
    const unifiedOrders = harness.messages(harness.topics.unified('purchase_orders'));
    expect(new Set(unifiedVendors.map((message) => message.key)).size).toBe(200);
    expect(unifiedOrders).toHaveLength(50);
    const decoded = await harness.codec.decode(unifiedOrders[0]!.value!);
    expect(decoded.entity).toBe('purchase_order');
    expect((decoded.record as { lines: unknown[] }).lines).toHaveLength(3);
    expect(recordEvents().filter((event) => event.type === 'record.created')).toHaveLength(250);
    expect(harness.messages(harness.topics.transformerState)).toHaveLength(250);
    expect(harness.messages(harness.topics.deadLetters)).toHaveLength(0);
    // Each state record sits on the partition of its raw record.
    const rawPartition = new Map<string, number>();
    for (const message of unifiedVendors) rawPartition.set(message.key, message.partition);
    for (const state of harness.messages(harness.topics.transformerState).filter((message) => message.key.startsWith('vendor|'))) {
      expect(state.partition).toBe(rawPartition.get(state.key.slice('vendor|'.length)));
    }
    expect(harness.workers[0]!.metrics.snapshot()[C]).toMatchObject({ records: 250, written: 250, created: 250, dead_letters: 0 });
  });

  it('commits past the transaction markers of the raw pages it read, so a caught-up group shows no lag', async () => {
    harness = new TransformerHarness();
    await harness.start();
    await harness.startWorker();
    await harness.startTail();
    await harness.writer.upsertsInTransaction(vendors, Array.from({ length: 30 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`) })));
    // An aborted page last: its records and its abort marker are all that follows.
    await harness.writer.upsertsInTransaction(vendors, Array.from({ length: 5 }, (_, i) => ({ remoteId: `V-aborted-${i}`, body: vendor(`V-aborted-${i}`) })), { abort: true });
    await harness.writer.upsertsInTransaction(orders, Array.from({ length: 10 }, (_, i) => ({ remoteId: `PO-${i}`, body: order(`PO-${i}`) })));
    // caughtUp: the group's committed offset is each partition's high watermark.
    let positions = '';
    const atEnd = async () => (await harness.caughtUp()) || ((positions = await harness.positions()), false);
    await waitFor(atEnd, { description: () => `the transformer group at the end of every raw partition (committed/high: ${positions})`, timeoutMs: 60_000 });
    await harness.tail!.caughtUp();
    expect(new Set(harness.messages(harness.topics.unified('vendors')).map((message) => message.key)).size).toBe(30);
    expect(harness.messages(harness.topics.unified('purchase_orders'))).toHaveLength(10);
  });

  it('dead-letters bad records with the reason and lets every good record through', async () => {
    harness = new TransformerHarness();
    await harness.start();
    await harness.startWorker();
    await harness.startTail();
    const { VendorId: _missing, ...noKeyField } = vendor('V-NOKEY');
    await harness.writer.upserts(vendors, [
      ...Array.from({ length: 30 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`) })),
      { remoteId: 'V-NOKEY', body: noKeyField },
      { remoteId: 'V-TYPE', body: vendor('V-TYPE', 12345 as never) },
      { remoteId: 'V-DATE', body: vendor('V-DATE', 'Date', { Created: '/Date(garbage)/' }) },
      ...Array.from({ length: 30 }, (_, i) => ({ remoteId: `V-${30 + i}`, body: vendor(`V-${30 + i}`) })),
    ]);
    await harness.writer.send('vendor', [{ key: `${C}:V-FOREIGN`, value: '{"VendorId":"V-FOREIGN"}', headers: { 'millrace-connection-id': C } }]);
    await waitFor(() => harness.caughtUp(), { description: 'all raw records handled' });
    await harness.tail!.caughtUp();

    expect(harness.messages(harness.topics.unified('vendors'))).toHaveLength(60);
    const letters = harness.messages(harness.topics.deadLetters);
    expect(letters).toHaveLength(4);
    const byKey = new Map(letters.map((letter) => [letter.key, letter.headers]));
    expect(byKey.get(`${C}:V-NOKEY`)).toMatchObject({ [DLQ_HEADERS.stage]: 'map', [DLQ_HEADERS.path]: 'VendorId', 'millrace-connection-id': C });
    expect(byKey.get(`${C}:V-TYPE`)).toMatchObject({ [DLQ_HEADERS.stage]: 'validate', [DLQ_HEADERS.path]: 'name' });
    expect(byKey.get(`${C}:V-DATE`)![DLQ_HEADERS.reason]).toBe('mapping failed at Created: expected an OData date like /Date(1714557605000)/, got "/Date(garbage)/"');
    expect(byKey.get(`${C}:V-FOREIGN`)).toMatchObject({ [DLQ_HEADERS.stage]: 'headers', [DLQ_HEADERS.reason]: 'raw record header millrace-op is missing' });
    expect(letters.find((letter) => letter.key === `${C}:V-DATE`)!.value!.toString()).toContain('/Date(garbage)/');
    expect(harness.workers[0]!.metrics.snapshot()[C]).toMatchObject({ dead_letters: 4, dead_letters_by_stage: { map: 2, validate: 1, headers: 1 } });
  });

  it('alerts on dead letters with system.error at most once per connection and interval, counting what came since', async () => {
    harness = new TransformerHarness();
    await harness.start();
    await harness.startWorker({ alertIntervalMs: 3_000 });
    await harness.startTail();
    const bad = (i: number) => ({ remoteId: `V-BAD-${i}`, body: vendor(`V-BAD-${i}`, 'Bad', { Created: 'yesterday' }) });
    // Ten sends, each its own batch and transaction: ten commits with dead letters.
    for (let i = 0; i < 10; i++) await harness.writer.upserts(vendors, [bad(i), { remoteId: `V-${i}`, body: vendor(`V-${i}`) }]);
    await waitFor(() => harness.caughtUp(), { description: 'all raw records handled' });
    const alerts = await waitFor(() => {
      const found = harness.tail!.events(C).filter((event) => event.type === 'system.error') as unknown as MillraceEvent<DeadLetterAlertData>[];
      return found.reduce((sum, event) => sum + event.data.count, 0) === 10 ? found : undefined;
    }, { description: 'system.error alerts counting 10 dead letters' });
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < alerts.length; i++) expect(Date.parse(alerts[i]!.timestamp) - Date.parse(alerts[i - 1]!.timestamp)).toBeGreaterThanOrEqual(2_900);
    expect(alerts[0]!.data).toMatchObject({ code: 'dead_letters', topic: harness.topics.deadLetters, stages: { map: expect.any(Number) }, last: { stage: 'map', path: 'Created' } });
    expect(harness.messages(harness.topics.unified('vendors'))).toHaveLength(10);
  });

  it('keeps change detection across a restart: unchanged re-reads emit nothing, a change emits record.updated', async () => {
    harness = new TransformerHarness();
    await harness.start();
    const first = await harness.startWorker();
    await harness.startTail();
    await harness.writer.upserts(vendors, Array.from({ length: 40 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`) })));
    await waitFor(() => harness.caughtUp(), { description: 'first read transformed' });
    await first.stop();

    await harness.startWorker({ workerId: 'w-restarted' });
    await harness.writer.upserts(vendors, Array.from({ length: 40 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`, i === 7 ? 'Renamed' : undefined) })));
    await waitFor(() => harness.caughtUp(), { description: 're-read transformed' });
    await harness.tail!.caughtUp();
    expect(harness.messages(harness.topics.unified('vendors'))).toHaveLength(41);
    const updates = recordEvents().filter((event) => event.type === 'record.updated');
    expect(updates.map((event) => [event.data.remote_id, event.data.changed_fields])).toEqual([['V-7', ['display_value', 'name']]]);
  });

  it('deletes what a complete full pass did not see, and nothing after an incomplete one', async () => {
    harness = new TransformerHarness();
    await harness.start();
    await harness.startWorker();
    await harness.startTail();
    const ids = ['A', 'B', 'C', 'D', 'E', 'F'];
    await harness.writer.upserts({ ...vendors, passId: 'pass-1' }, ids.map((id) => ({ remoteId: id, body: vendor(id) })));
    await harness.writer.passComplete({ ...vendors, passId: 'pass-1' }, 3);
    // pass-2 sees A, B, C and ends; pass-3 sees only A and never completes.
    await harness.writer.upserts({ ...vendors, passId: 'pass-2' }, ['A', 'B', 'C'].map((id) => ({ remoteId: id, body: vendor(id) })));
    await harness.writer.passComplete({ ...vendors, passId: 'pass-2' }, 3);
    await harness.writer.upserts({ ...vendors, passId: 'pass-3' }, [{ remoteId: 'A', body: vendor('A') }]);
    await waitFor(() => harness.caughtUp(), { description: 'passes transformed' });
    await harness.tail!.caughtUp();
    const deleted = recordEvents().filter((event) => event.type === 'record.deleted').map((event) => event.data.remote_id).sort();
    expect(deleted).toEqual(['D', 'E', 'F']);
    const images = harness.messages(harness.topics.unified('vendors')).filter((message) => message.headers['millrace-op'] === 'delete');
    expect(images.map((message) => message.key).sort()).toEqual([`${C}:D`, `${C}:E`, `${C}:F`]);
    const decoded = await harness.codec.decode(images[0]!.value!);
    expect(decoded.record).toMatchObject({ is_deleted: true });
  });

  it('applies the field mapping stored with the connection', async () => {
    harness = new TransformerHarness();
    await harness.start();
    const producer = harness.kafka.producer();
    await producer.connect();
    const mapping = { vendor: { fields: { website: 'Web', notes: 'Remarks.Text' }, custom_fields: { include: ['YY1_Keep*'], from_raw: { web_host: 'Web' } } } };
    await harness.admin!.createTopics({ topics: [{ topic: harness.topics.connections, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    await producer.send({ topic: harness.topics.connections, messages: [{ key: C, value: JSON.stringify({ id: C, system: 'millrace_plant', mapping }) }] });
    await producer.disconnect();
    await harness.startWorker();
    await harness.startTail();
    await harness.writer.upserts(vendors, [{ remoteId: 'V-1', body: vendor('V-1', 'Rhein', { Web: 'https://rhein.example', Remarks: { Text: 'Audited' }, YY1_Keep_A: 'a', YY1_Drop: 'b' }) }]);
    await waitFor(() => harness.caughtUp(), { description: 'mapped record transformed' });
    await harness.tail!.caughtUp();
    const [message] = harness.messages(harness.topics.unified('vendors'));
    const { record } = await harness.codec.decode(message!.value!);
    expect(record).toMatchObject({ website: 'https://rhein.example', notes: 'Audited', custom_fields: { YY1_Keep_A: 'a', web_host: 'https://rhein.example' } });
    expect((record as { custom_fields: object }).custom_fields).not.toHaveProperty('YY1_Drop');
  });

  it('hands partitions over between workers without losing or doubling a record', async () => {
    harness = new TransformerHarness();
    await harness.start();
    const first = await harness.startWorker();
    await harness.startTail();
    const write = (from: number, count: number) => harness.writer.upserts(vendors, Array.from({ length: count }, (_, i) => ({ remoteId: `V-${from + i}`, body: vendor(`V-${from + i}`) })));
    await write(0, 300);
    await harness.startWorker({ workerId: 'second' });
    await write(300, 300);
    await first.stop();
    await write(600, 300);
    await waitFor(() => harness.caughtUp(), { description: 'every record transformed after two hand-overs' });
    await harness.tail!.caughtUp();
    const keys = harness.messages(harness.topics.unified('vendors')).map((message) => message.key);
    expect(keys).toHaveLength(900);
    expect(new Set(keys).size).toBe(900);
    expect(recordEvents().filter((event) => event.type === 'record.created')).toHaveLength(900);
  });

  it('re-prepares a partition whose producer was fenced, from what Kafka holds, and goes on exactly once', async () => {
    harness = new TransformerHarness();
    await harness.start();
    const worker = await harness.startWorker();
    await harness.startTail();
    await harness.writer.upserts(vendors, Array.from({ length: 60 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`) })));
    await waitFor(() => harness.caughtUp(), { description: 'first records transformed' });
    // Another owner takes every vendor partition's transactional id and leaves a transaction open.
    const intruders = [0, 1, 2].map((partition) => new SlotTransactor(harness.kafka, `${harness.prefix}transformer-${harness.topics.raw('vendors')}-${partition}`));
    for (const intruder of intruders) await intruder.fence();
    const stray = harness.kafka.producer({ transactionalId: `${harness.prefix}transformer-${harness.topics.raw('vendors')}-0`, idempotent: true, maxInFlightRequests: 1 });
    await stray.connect();
    const open = await stray.transaction();
    await open.send({ topic: harness.topics.unified('vendors'), messages: [{ key: `${C}:STRAY`, value: 'never committed' }] });
    // The worker's next commits are refused; it prepares the partitions again, which aborts the stray transaction.
    await harness.writer.upserts(vendors, Array.from({ length: 60 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`, i < 5 ? 'Changed' : undefined) })));
    await harness.writer.upserts(vendors, Array.from({ length: 30 }, (_, i) => ({ remoteId: `V-${100 + i}`, body: vendor(`V-${100 + i}`) })));
    await waitFor(() => harness.caughtUp(), { description: 'records after the fencing transformed', timeoutMs: 60_000 });
    await harness.tail!.caughtUp();
    await stray.disconnect().catch(() => {});
    for (const intruder of intruders) await intruder.close();
    const keys = harness.messages(harness.topics.unified('vendors')).map((message) => message.key);
    expect(keys).not.toContain(`${C}:STRAY`);
    expect(keys).toHaveLength(60 + 5 + 30);
    expect(recordEvents().filter((event) => event.type === 'record.updated').map((event) => event.data.remote_id).sort()).toEqual(['V-0', 'V-1', 'V-2', 'V-3', 'V-4']);
    expect(worker.metrics.snapshot()[C]).toMatchObject({ unchanged: 55 });
  });

  it('after a commit whose answer was lost, prepares the partition again and neither repeats nor loses a record', async () => {
    harness = new TransformerHarness();
    await harness.start();
    const faults = new LostAnswers();
    const kafka = createKafka({ brokers: testBrokers(), clientId: 'millrace-lost-answer-test', logger: harness.logger, socketFactory: faults.socketFactory });
    faults.loseNext('commit');
    const worker = await harness.startWorker({ kafka });
    await harness.startTail();
    await harness.writer.upserts(vendors, Array.from({ length: 40 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`) })));
    await waitFor(() => faults.lost === 1, { description: 'the broker answering the first commit, and the answer lost' });
    await harness.writer.upserts(vendors, Array.from({ length: 20 }, (_, i) => ({ remoteId: `V-${40 + i}`, body: vendor(`V-${40 + i}`) })));
    let positions = '';
    const atEnd = async () => (await harness.caughtUp()) || ((positions = await harness.positions()), false);
    await waitFor(atEnd, { description: () => `the group at the end of every raw partition after the lost answer (committed/high: ${positions})`, timeoutMs: 60_000 });
    await harness.tail!.caughtUp();

    expectEachVendorOnce(60);
    // The committed records fetched again are skipped, not transformed again into "unchanged".
    const counts = worker.metrics.snapshot()[C]!;
    expect(counts.unchanged ?? 0).toBe(0);
    expect(counts.records).toBeLessThan(60);
  });

  it('after a lost answer to a produce inside its transaction, writes every record once', async () => {
    harness = new TransformerHarness();
    await harness.start();
    const faults = new LostAnswers();
    const kafka = createKafka({ brokers: testBrokers(), clientId: 'millrace-lost-answer-test', logger: harness.logger, socketFactory: faults.socketFactory });
    await harness.startWorker({ kafka });
    await harness.startTail();
    faults.loseNext('produce');
    await harness.writer.upserts(vendors, Array.from({ length: 40 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`) })));
    await waitFor(() => faults.lost === 1, { description: 'records written and the answer lost' });
    await harness.writer.upserts(vendors, Array.from({ length: 20 }, (_, i) => ({ remoteId: `V-${40 + i}`, body: vendor(`V-${40 + i}`) })));
    await waitFor(() => harness.caughtUp(), { description: 'every raw record transformed after the lost answer', timeoutMs: 60_000 });
    await harness.tail!.caughtUp();

    expectEachVendorOnce(60);
  });

  it('holds records back while the schema registry is down, dead-letters none of them, and delivers them once it is back', async () => {
    harness = new TransformerHarness();
    await harness.start();
    const proxy = new SwitchableProxy(testRegistryUrl());
    await proxy.start();
    try {
      proxy.up = false;
      await harness.startWorker({ registryUrl: proxy.url });
      await harness.startTail();
      await harness.writer.upserts(vendors, Array.from({ length: 20 }, (_, i) => ({ remoteId: `V-${i}`, body: vendor(`V-${i}`) })));
      await waitFor(() => proxy.refused >= 2, { description: 'the transformer asking the unavailable registry again' });
      expect(await harness.caughtUp()).toBe(false);
      proxy.up = true;
      await waitFor(() => harness.caughtUp(), { description: 'records delivered after the registry came back', timeoutMs: 90_000 });
      await harness.tail!.caughtUp();
      expect(harness.messages(harness.topics.unified('vendors'))).toHaveLength(20);
      expect(harness.messages(harness.topics.deadLetters)).toHaveLength(0);
    } finally {
      await proxy.stop();
    }
  });

  it('refuses to start when transformer-state and the raw topics differ in partition count', async () => {
    harness = new TransformerHarness();
    await harness.start();
    await harness.admin!.createTopics({ topics: [{ topic: harness.topics.transformerState, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], waitForLeaders: true });
    await expect(harness.startWorker()).rejects.toMatchObject({
      code: 'state_partitions_mismatch',
      message: expect.stringMatching(/transformer-state has 2 partitions but .*raw\.purchase_orders has 3/),
    });
  });
});
