import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAW_HEADERS } from '../platform/raw-record.js';
import { TestSource } from '../test/test-connector/source-server.js';
import { startRuntime, TopicTail, type Runtime } from '../test/test-connector/runtime-harness.js';
import { waitFor } from '../test/support/wait-for.js';

// The producer runtime end to end on the real broker: first sync as a full pass into the raw
// topics, incremental "sync now" with deletes, full resync of one stream, pause and resume.
describe('producer worker', () => {
  let source: TestSource;
  let runtime: Runtime;
  let tail: TopicTail;
  let connectionId: string;

  beforeAll(async () => {
    source = new TestSource({ records: { vendors: 120, work_orders: 30, assets: 25 } });
    await source.start();
    runtime = await startRuntime();
    const { topics } = runtime;
    tail = new TopicTail(runtime.kafka, [topics.raw('vendors'), topics.raw('work_orders'), topics.raw('assets'), topics.events, topics.cursors]);
    await tail.start();
    const created = await runtime.service.create({
      system: 'millrace_test',
      name: 'Plant 1',
      owner: 'tenant-a',
      config: { baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken, pageSize: 50 },
    });
    connectionId = created.id;
  });

  afterAll(async () => {
    await tail?.stop();
    await runtime?.stop();
    await source?.stop();
  });

  const completed = (stream: string) => tail.events(connectionId).filter((event) => event.type === 'sync.completed' && event.data.stream === stream);
  const raw = (plural: string) => tail.messages.filter((message) => message.topic === runtime.topics.raw(plural));

  it('captures every stream as a full pass: raw bodies untouched, keyed and with headers, pass_complete on every partition', async () => {
    await waitFor(() => ['vendors', 'work_orders', 'assets'].every((stream) => completed(stream).length === 1), { description: 'first sync of all three streams', timeoutMs: 60_000 });
    const vendors = raw('vendors');
    const upserts = vendors.filter((message) => message.headers[RAW_HEADERS.op] === 'upsert');
    expect(upserts).toHaveLength(120);
    const first = upserts.find((message) => message.key === `${connectionId}:ve-000000`)!;
    expect(JSON.parse(first.value!.toString())).toEqual(source.records('vendors')[0]);
    expect(first.headers).toMatchObject({
      [RAW_HEADERS.connectionId]: connectionId,
      [RAW_HEADERS.sourceSystem]: 'millrace_test',
      [RAW_HEADERS.entity]: 'vendor',
      [RAW_HEADERS.stream]: 'vendors',
    });
    expect(first.headers[RAW_HEADERS.capturedAt]).toMatch(/^\d{16}$/);
    // The page's cursor rides on its last record only (platform/raw-record.ts).
    expect(first.headers[RAW_HEADERS.cursor]).toBeUndefined();
    const lastOfPage = upserts.find((message) => message.key === `${connectionId}:ve-000049`)!;
    expect(JSON.parse(lastOfPage.headers[RAW_HEADERS.cursor]!)).toEqual({ since: 50 });
    expect(upserts.filter((message) => message.headers[RAW_HEADERS.cursor] !== undefined)).toHaveLength(3);
    const passIds = new Set(upserts.map((message) => message.headers[RAW_HEADERS.passId]));
    expect(passIds.size).toBe(1);
    const passComplete = vendors.filter((message) => message.headers[RAW_HEADERS.op] === 'pass_complete');
    expect(passComplete.map((message) => message.partition).sort()).toEqual([0, 1, 2]);
    expect(JSON.parse(passComplete[0]!.value!.toString())).toMatchObject({ pass_id: [...passIds][0], connection_id: connectionId, entity: 'vendor', stream: 'vendors' });
    // pass_complete comes after every record of the pass on its partition.
    for (const marker of passComplete) {
      const before = upserts.filter((message) => message.partition === marker.partition);
      expect(before.every((message) => BigInt(message.offset) < BigInt(marker.offset))).toBe(true);
    }
    expect(raw('assets').filter((message) => message.headers[RAW_HEADERS.op] === 'upsert')).toHaveLength(25);

    const [event] = completed('vendors');
    expect(event!.data).toMatchObject({ entity: 'vendor', records: 120, deletes: 0, full_pass: true, cursor: { since: 120 } });
    expect(typeof event!.data.duration_ms).toBe('number');
    const connection = runtime.service.get(connectionId);
    expect(connection.status).toBe('online');
    const runs = await runtime.service.syncRuns(connectionId);
    expect(runs.runs.filter((run) => run.status === 'succeeded')).toHaveLength(3);
    expect(runs.streams.vendors?.last_success_at).toBeTruthy();
    expect(Date.parse(runs.streams.vendors!.next_run_at!)).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('syncs only what changed on "sync now", emits the deleted feed as delete records, and opens no pass', async () => {
    source.put('vendors', 've-000003', 'renamed');
    source.put('vendors', 've-000200', 'new vendor');
    source.remove('vendors', 've-000004');
    await runtime.service.syncNow(connectionId, 'vendors');
    await waitFor(() => completed('vendors').length === 2, { description: 'incremental vendors sync' });
    expect(completed('vendors')[1]!.data).toMatchObject({ records: 2, deletes: 1, full_pass: false });
    const latest = raw('vendors').slice(-3);
    // Partitions interleave in the tail, so compare as a set.
    expect(latest.map((message) => `${message.key} ${message.headers[RAW_HEADERS.op]}`).sort()).toEqual([
      `${connectionId}:ve-000003 upsert`,
      `${connectionId}:ve-000004 delete`,
      `${connectionId}:ve-000200 upsert`,
    ]);
    expect(latest.every((message) => message.headers[RAW_HEADERS.passId] === undefined)).toBe(true);
    expect(latest.find((message) => message.headers[RAW_HEADERS.op] === 'delete')!.value).toBeNull();
    expect(source.cursorLog.filter((entry) => entry.stream === 'vendors').at(-1)!.cursor).toBe('120');
  });

  it('backfills one stream from an empty cursor on full resync while other streams keep syncing', async () => {
    const before = raw('vendors').length;
    await runtime.service.fullResync(connectionId, 'vendors');
    await runtime.service.syncNow(connectionId, 'work_orders');
    await waitFor(() => completed('vendors').length === 3 && completed('work_orders').length === 2, { description: 'full resync and incremental sync' });
    const resync = completed('vendors')[2]!;
    expect(resync.data).toMatchObject({ full_pass: true, records: 120 });
    const pass = raw('vendors').slice(before);
    const passId = pass[0]!.headers[RAW_HEADERS.passId];
    expect(pass.filter((message) => message.headers[RAW_HEADERS.op] === 'upsert').every((message) => message.headers[RAW_HEADERS.passId] === passId)).toBe(true);
    expect(pass.filter((message) => message.headers[RAW_HEADERS.op] === 'pass_complete').map((message) => JSON.parse(message.value!.toString()).pass_id)).toEqual([passId, passId, passId]);
    expect(completed('work_orders')[1]!.data).toMatchObject({ records: 0, full_pass: false });
    expect(source.cursorLog.filter((entry) => entry.stream === 'vendors').slice(-3)[0]!.cursor).toBe('0');
  });

  it('polls each stream on its own schedule, and a shortened interval applies at once', async () => {
    const before = completed('work_orders').length;
    await runtime.service.updateConfig(connectionId, { schedule: { work_orders: 1 } });
    await waitFor(() => completed('work_orders').length >= before + 3, { description: 'three scheduled work_orders runs', timeoutMs: 20_000 });
    const runs = completed('work_orders').slice(before);
    const gaps = runs.slice(1).map((event, i) => Date.parse(event.timestamp) - Date.parse(runs[i]!.timestamp));
    expect(gaps.every((gap) => gap >= 900)).toBe(true);
    // vendors keeps its hourly default: no scheduled vendors run meanwhile.
    expect(completed('vendors')).toHaveLength(3);
    await runtime.service.updateConfig(connectionId, { schedule: { work_orders: 86_400 } });
  });

  it('stops polling while paused and resumes after', async () => {
    await runtime.service.pause(connectionId);
    await waitFor(() => tail.events(connectionId).some((event) => event.type === 'connection.status_changed' && event.data.to === 'paused'), { description: 'paused status' });
    const requests = source.cursorLog.length;
    await expect(runtime.service.syncNow(connectionId, 'vendors')).resolves.toMatchObject({ status: 'paused' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(source.cursorLog.length).toBe(requests);
    await runtime.service.resume(connectionId);
    await waitFor(() => completed('vendors').length === 4, { description: 'the requested sync after resume' });
    const changes = tail.events(connectionId).filter((event) => event.type === 'connection.status_changed').map((event) => `${event.data.from}->${event.data.to}`);
    expect(changes).toEqual(['online->paused', 'paused->online']);
  });
});
