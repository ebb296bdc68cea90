import { afterEach, describe, expect, it } from 'vitest';
import { RAW_HEADERS } from '../platform/raw-record.js';
import { TestSource, type SourceOptions } from '../test/test-connector/source-server.js';
import { startRuntime, TopicTail, type Runtime } from '../test/test-connector/runtime-harness.js';
import { waitFor } from '../test/support/wait-for.js';
import type { MillraceEvent } from '../platform/events.js';

// How the runtime meets a misbehaving source, on the real broker: 429 with Retry-After, an
// expired access token, revoked credentials, a source that goes down and comes back, and a
// page of invalid JSON in the middle of a sync.
describe('connection health', () => {
  let source: TestSource;
  let runtime: Runtime;
  let tail: TopicTail;
  let connectionId: string;

  async function setup(records: SourceOptions['records'], pageSize: number, schedule: Record<string, number> = {}): Promise<void> {
    source = new TestSource({ records });
    await source.start();
    runtime = await startRuntime();
    const { topics } = runtime;
    tail = new TopicTail(runtime.kafka, [topics.raw('vendors'), topics.raw('work_orders'), topics.raw('assets'), topics.events, topics.cursors]);
    await tail.start();
    // Streams other than vendors sync rarely, so each test watches one stream.
    const created = await runtime.service.create({
      system: 'millrace_test',
      name: 'health',
      schedule: { work_orders: 86_400, assets: 86_400, ...schedule },
      config: { baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken, pageSize },
    });
    connectionId = created.id;
  }

  afterEach(async () => {
    await tail?.stop();
    await runtime?.stop();
    await source?.stop();
  });

  const events = (type: string, stream?: string): MillraceEvent[] =>
    tail.events(connectionId).filter((event) => event.type === type && (stream === undefined || event.data.stream === stream));
  const vendorUpserts = () => tail.messages.filter((message) => message.topic === runtime.topics.raw('vendors') && message.headers[RAW_HEADERS.op] === 'upsert');

  it('waits out a 429 with Retry-After instead of hammering the source, then completes', async () => {
    source = new TestSource({ records: { vendors: 60, work_orders: 0, assets: 0 } });
    source.faults.rateLimit = { limit: 3, windowMs: 2_000, retryAfterSeconds: 2 };
    await source.start();
    runtime = await startRuntime();
    tail = new TopicTail(runtime.kafka, [runtime.topics.raw('vendors'), runtime.topics.events]);
    await tail.start();
    connectionId = (await runtime.service.create({
      system: 'millrace_test',
      name: 'limited',
      schedule: { work_orders: 86_400, assets: 86_400 },
      config: { baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken, pageSize: 10 },
    })).id;
    await waitFor(() => events('sync.completed', 'vendors').length === 1, { description: 'vendors synced despite 429s', timeoutMs: 60_000 });
    const limited = source.requestLog.filter((entry) => entry.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const answer of limited) {
      const next = source.requestLog.find((entry) => entry.at > answer.at && entry.url.includes('/api/vendors'));
      if (next) expect(next.at - answer.at).toBeGreaterThanOrEqual(1_900);
    }
    expect(events('sync.failed')).toHaveLength(0);
    expect(new Set(vendorUpserts().map((message) => message.key)).size).toBe(60);
    expect(vendorUpserts()).toHaveLength(60);
  });

  it('refreshes an expired access token once and continues', async () => {
    await setup({ vendors: 30, work_orders: 0, assets: 0 }, 10);
    await waitFor(() => events('sync.completed', 'vendors').length === 1, { description: 'first sync' });
    const tokenRequests = source.tokenRequests;
    source.expireAccessTokens();
    source.put('vendors', 've-new', 'after expiry');
    await runtime.service.syncNow(connectionId, 'vendors');
    await waitFor(() => events('sync.completed', 'vendors').length === 2, { description: 'sync after token expiry' });
    expect(source.tokenRequests).toBe(tokenRequests + 1);
    expect(events('sync.completed', 'vendors')[1]!.data).toMatchObject({ records: 1 });
    expect(events('connection.auth_required')).toHaveLength(0);
    // The rotated refresh token was stored: a connection test with the stored credentials passes.
    await expect(runtime.service.testConnection(connectionId)).resolves.toEqual({ ok: true });
  });

  it('announces revoked credentials exactly once, stops polling, and resumes on new credentials', async () => {
    await setup({ vendors: 10, work_orders: 5, assets: 5 }, 10);
    await waitFor(() => events('sync.completed').length === 3, { description: 'first sync of every stream' });
    source.revoke();
    await runtime.service.syncNow(connectionId);
    await waitFor(() => events('connection.auth_required').length === 1, { description: 'auth_required' });
    await waitFor(() => runtime.service.get(connectionId).status === 'auth_required', { description: 'status auth_required in the API' });
    const requests = source.requestLog.length;
    // Polling has stopped: a sync request reaches no source while credentials are rejected.
    await runtime.service.syncNow(connectionId, 'vendors');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(source.requestLog.length).toBe(requests);
    expect(events('connection.auth_required')).toHaveLength(1);
    expect(events('connection.status_changed').map((event) => `${event.data.from}->${event.data.to}`)).toEqual(['online->auth_required']);
    expect(events('connection.auth_required')[0]!.data).toMatchObject({ error: { code: 'auth' } });

    await runtime.service.updateCredentials(connectionId, { refreshToken: source.reinstate() });
    await waitFor(() => events('sync.completed', 'vendors').length === 2, { description: 'sync with the new credentials' });
    expect(events('connection.status_changed').map((event) => `${event.data.from}->${event.data.to}`)).toEqual(['online->auth_required', 'auth_required->online']);
    expect(runtime.service.get(connectionId).status).toBe('online');
  });

  it('goes offline after consecutive unavailable failures and online again on recovery', async () => {
    await setup({ vendors: 10, work_orders: 0, assets: 0 }, 10);
    await waitFor(() => events('sync.completed', 'vendors').length === 1, { description: 'first sync' });
    await source.goDown();
    await runtime.service.syncNow(connectionId, 'vendors');
    await waitFor(() => events('connection.status_changed').some((event) => event.data.to === 'offline'), { description: 'offline', timeoutMs: 30_000 });
    const failures = events('sync.failed', 'vendors');
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures[0]!.data).toMatchObject({ error: { code: 'unavailable', retriable: true } });
    expect(runtime.service.get(connectionId).status).toBe('offline');
    await source.comeUp();
    await waitFor(() => events('connection.status_changed').some((event) => event.data.to === 'online'), { description: 'online again', timeoutMs: 30_000 });
    expect(events('connection.status_changed').map((event) => `${event.data.from}->${event.data.to}`)).toEqual(['online->offline', 'offline->online']);
    expect(events('sync.completed', 'vendors').length).toBe(2);
  });

  it('fails a sync on a page of invalid JSON with invalid_response, keeps the committed cursor and loses nothing', async () => {
    source = new TestSource({ records: { vendors: 50, work_orders: 0, assets: 0 } });
    source.malformOnce.add('vendors:20');
    await source.start();
    runtime = await startRuntime();
    tail = new TopicTail(runtime.kafka, [runtime.topics.raw('vendors'), runtime.topics.events, runtime.topics.cursors]);
    await tail.start();
    connectionId = (await runtime.service.create({
      system: 'millrace_test',
      name: 'malformed',
      schedule: { work_orders: 86_400, assets: 86_400 },
      config: { baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken, pageSize: 10 },
    })).id;
    await waitFor(() => events('sync.failed', 'vendors').length === 1, { description: 'the failed sync' });
    const failed = events('sync.failed', 'vendors')[0]!;
    expect(failed.data).toMatchObject({ entity: 'vendor', records: 20, error: { code: 'invalid_response', retriable: false } });
    await tail.caughtUp();
    expect(vendorUpserts()).toHaveLength(20);
    const passId = vendorUpserts()[0]!.headers[RAW_HEADERS.passId];
    // A partial pass never completes: no pass_complete after the failure.
    expect(tail.messages.some((message) => message.headers[RAW_HEADERS.op] === 'pass_complete')).toBe(false);
    const cursors = tail.messages.filter((message) => message.topic === runtime.topics.cursors).map((message) => JSON.parse(message.value!.toString())).filter((record) => record.stream === 'vendors');
    expect(cursors.at(-1)).toMatchObject({ stream: 'vendors', cursor: { since: 20 }, pass: { id: passId } });
    const runs = await runtime.service.syncRuns(connectionId);
    expect(runs.streams.vendors?.last_error).toMatchObject({ code: 'invalid_response' });

    await runtime.service.syncNow(connectionId, 'vendors');
    await waitFor(() => events('sync.completed', 'vendors').length === 1, { description: 'the resumed pass' });
    expect(source.cursorLog.filter((entry) => entry.stream === 'vendors').map((entry) => entry.cursor)).toEqual(['0', '10', '20', '20', '30', '40', '50']);
    await tail.caughtUp();
    const keys = vendorUpserts().map((message) => message.key);
    expect(keys).toHaveLength(50);
    expect(new Set(keys).size).toBe(50);
    // The resumed pass kept its id, and now completes.
    expect(new Set(vendorUpserts().map((message) => message.headers[RAW_HEADERS.passId]))).toEqual(new Set([passId]));
    const markers = tail.messages.filter((message) => message.headers[RAW_HEADERS.op] === 'pass_complete');
    expect(markers.map((message) => JSON.parse(message.value!.toString()).pass_id)).toEqual([passId, passId, passId]);
  });
});
