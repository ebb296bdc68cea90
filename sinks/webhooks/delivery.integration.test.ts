import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../platform/events.js';
import { groupPositions } from '../../platform/kafka.js';
import { waitFor } from '../../test/support/wait-for.js';
import type { DeliveryAttemptRow } from './delivery-log.js';
import { startHarness, type Harness } from './test-harness.js';
import { startReceiver, type Receiver } from './test-receiver.js';
import type { WebhookSink } from './delivery-worker.js';

// A fast schedule keeps the test short; the default one is tested in retry-schedule.unit.test.ts.
const FAST_SCHEDULE = [0, 300, 300, 300, 300, 300];

describe('webhook delivery', () => {
  let harness: Harness;
  let sink: WebhookSink;
  const receivers: Receiver[] = [];

  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  };
  const attempts = async (subscriptionId: string, count: number) =>
    waitFor(
      async () => {
        const rows = await harness.service.deliveries({ subscription_id: subscriptionId });
        return rows.length >= count ? rows.sort((a, b) => a.attempted_at.localeCompare(b.attempted_at) || a.attempt - b.attempt) : false;
      },
      { description: `${count} logged attempts for ${subscriptionId}`, timeoutMs: 30_000 },
    ) as Promise<DeliveryAttemptRow[]>;
  const subscribe = async (url: string, extra: Record<string, unknown> = {}) => {
    const created = await harness.service.create({ url, event_types: ['*'], owner: 'team-a', ...extra });
    await waitFor(() => sink.store.get(created.subscription.id) !== undefined, { description: 'the sink to see the subscription' });
    return created;
  };

  beforeAll(async () => {
    harness = await startHarness();
    sink = await harness.startSink({ retrySchedule: FAST_SCHEDULE, deliveryTimeoutMs: 2_000 });
  });

  afterAll(async () => {
    await harness?.stop();
    for (const started of receivers) await started.close();
  });

  it('signs each delivery so that standardwebhooks verifies it on the raw body', async () => {
    const target = await receiver();
    const { subscription, secret } = await subscribe(target.url(), { connection_ids: ['conn_sign'] });
    const event = createEvent('record.updated', 'conn_sign', {
      entity: 'purchase_order',
      record_id: 'po_1',
      remote_id: '4500000001',
      version: '1',
      changed_fields: ['status'],
      link: '/v1/purchase-orders/po_1',
      record: { status: 'closed', secret_note: 'not for webhooks' },
    });
    await harness.produceEvents([event]);
    await waitFor(() => target.requests.length === 1, { description: 'the signed delivery' });
    const [request] = target.requests;
    const verified = new Webhook(secret).verify(request!.body, request!.headers) as Record<string, unknown>;
    expect(verified).toEqual({ ...event, data: { entity: 'purchase_order', record_id: 'po_1', remote_id: '4500000001', version: '1', changed_fields: ['status'], link: '/v1/purchase-orders/po_1' } });
    expect(request!.headers['webhook-id']).toBe(event.id);
    expect(request!.headers['content-type']).toBe('application/json');
    const [row] = await attempts(subscription.id, 1);
    expect(row).toMatchObject({ event_id: event.id, attempt: 1, status_code: 200, outcome: 'succeeded', trigger: 'event', connection_id: 'conn_sign', error: '' });
  });

  it('retries a receiver that fails 3 times: it gets the event 4 times under one webhook-id', async () => {
    const target = await receiver((_request, index) => (index < 3 ? { status: 500, body: `down ${index}` } : { status: 200, body: 'ok' }));
    const { subscription, secret } = await subscribe(target.url(), { connection_ids: ['conn_retry'] });
    const event = createEvent('sync.completed', 'conn_retry', { entity: 'vendor', records: 2 });
    await harness.produceEvents([event]);
    const rows = await attempts(subscription.id, 4);
    expect(target.requests).toHaveLength(4);
    expect(new Set(target.requests.map((request) => request.headers['webhook-id']))).toEqual(new Set([event.id]));
    for (const request of target.requests) expect(() => new Webhook(secret).verify(request.body, request.headers)).not.toThrow();
    expect(new Set(target.requests.map((request) => request.body)).size).toBe(1);
    expect(rows.map((row) => [row.attempt, row.status_code, row.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 500, 'retrying'],
      [3, 500, 'retrying'],
      [4, 200, 'succeeded'],
    ]);
    expect(rows[0]!.response_body).toBe('down 0');
    expect(rows[0]!.next_attempt_at).not.toBeNull();
    expect(new Set(rows.map((row) => row.delivery_id)).size).toBe(1);
  });

  it('disables an endpoint answering 410 at once and announces it to the owner’s other endpoints only', async () => {
    const gone = await receiver(() => ({ status: 410, body: 'gone for good' }));
    const watcher = await receiver();
    const stranger = await receiver();
    const dead = await subscribe(gone.url(), { event_types: ['sync.failed', 'endpoint.disabled'], owner: 'team-gone' });
    await subscribe(watcher.url(), { event_types: ['endpoint.disabled'], owner: 'team-gone' });
    await subscribe(stranger.url(), { event_types: ['endpoint.disabled'], owner: 'team-elsewhere' });
    await harness.produceEvents([createEvent('sync.failed', 'conn_gone', { entity: 'asset' })]);

    await waitFor(() => watcher.requests.length === 1, { description: 'the endpoint.disabled event at the watcher' });
    const announced = JSON.parse(watcher.requests[0]!.body);
    expect(announced).toMatchObject({ type: 'endpoint.disabled', connection_id: null, data: { subscription_id: dead.subscription.id, reason: 'gone', owner: 'team-gone', last_status_code: 410 } });
    // The disabler announces first and stores the disable after (endpoint-disabler.ts): the event can arrive before it.
    await waitFor(() => harness.service.get(dead.subscription.id)?.enabled === false, { description: 'the disable stored' });
    expect(harness.service.get(dead.subscription.id)).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    const [row] = await attempts(dead.subscription.id, 1);
    expect(row).toMatchObject({ status_code: 410, outcome: 'endpoint_disabled', response_body: 'gone for good' });

    await waitFor(() => sink.store.get(dead.subscription.id)?.enabled === false, { description: 'the sink to see the endpoint disabled' });
    await harness.produceEvents([createEvent('sync.failed', 'conn_gone', { entity: 'asset' })]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(gone.requests).toHaveLength(1);
    expect(stranger.requests).toHaveLength(0);
  });

  it('does not follow redirects: a 302 is a failed attempt and the target is never called', async () => {
    const target = await receiver();
    const redirecting = await receiver(() => ({ status: 302, headers: { location: target.url('/elsewhere') } }));
    const { subscription } = await subscribe(redirecting.url(), { connection_ids: ['conn_redirect'] });
    await harness.produceEvents([createEvent('sync.completed', 'conn_redirect', {})]);
    const rows = await attempts(subscription.id, 2);
    expect(rows.slice(0, 2).map((row) => [row.status_code, row.outcome])).toEqual([
      [302, 'retrying'],
      [302, 'retrying'],
    ]);
    expect(target.requests).toHaveLength(0);
    await harness.service.update(subscription.id, { enabled: false });
  });

  it('honours Retry-After on 429', async () => {
    const target = await receiver((_request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    const { subscription } = await subscribe(target.url(), { connection_ids: ['conn_throttled'] });
    await harness.produceEvents([createEvent('sync.completed', 'conn_throttled', {})]);
    const rows = await attempts(subscription.id, 2);
    expect(rows.map((row) => row.status_code)).toEqual([429, 200]);
    expect(target.requests[1]!.at - target.requests[0]!.at).toBeGreaterThanOrEqual(1_950);
  });

  it('counts a response slower than the timeout as a failure', async () => {
    const slow = await receiver((_request, index) => (index === 0 ? 'hang' : { status: 200 }));
    const { subscription } = await subscribe(slow.url(), { connection_ids: ['conn_slow'] });
    await harness.produceEvents([createEvent('sync.completed', 'conn_slow', {})]);
    const rows = await attempts(subscription.id, 2);
    expect(rows[0]).toMatchObject({ status_code: 0, outcome: 'retrying', error: 'timeout: no response within 2000 ms' });
    expect(rows[0]!.duration_ms).toBeGreaterThanOrEqual(1_990);
    expect(rows[1]).toMatchObject({ status_code: 200, outcome: 'succeeded' });
  });

  it('verifies TLS certificates: a self-signed endpoint is refused', async () => {
    const tls = await startSelfSignedServer();
    try {
      const { subscription } = await subscribe(tls.url, { connection_ids: ['conn_tls'] });
      await harness.produceEvents([createEvent('sync.completed', 'conn_tls', {})]);
      const [row] = await attempts(subscription.id, 1);
      expect(row!.status_code).toBe(0);
      expect(row!.error).toMatch(/^tls_error: .*(SELF_SIGNED|self-signed|self signed)/i);
      expect(tls.hits()).toBe(0);
      await harness.service.update(subscription.id, { enabled: false });
    } finally {
      await tls.close();
    }
  });

  it('signs with both secrets during a rotation, then with the new one only', async () => {
    const target = await receiver();
    const { subscription, secret: previous } = await subscribe(target.url(), { connection_ids: ['conn_rotate'] });
    const { secret: next } = await harness.service.rotateSecret(subscription.id, { graceSeconds: 2 });
    const rotated = harness.service.get(subscription.id);
    expect(rotated.signing_secrets).toHaveLength(2);
    await waitFor(() => sink.store.get(subscription.id)?.secrets.length === 2, { description: 'the sink to see the rotation' });
    await harness.produceEvents([createEvent('sync.completed', 'conn_rotate', {})]);
    await waitFor(() => target.requests.length === 1, { description: 'the delivery during the grace period' });
    const during = target.requests[0]!;
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(previous).verify(during.body, during.headers)).not.toThrow();
    expect(() => new Webhook(next).verify(during.body, during.headers)).not.toThrow();

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await harness.produceEvents([createEvent('sync.completed', 'conn_rotate', {})]);
    await waitFor(() => target.requests.length === 2, { description: 'the delivery after the grace period' });
    const after = target.requests[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(() => new Webhook(next).verify(after.body, after.headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(after.body, after.headers)).toThrow(/No matching signature/);
  });

  it('skips an unreadable event with an error log and still delivers the next one', async () => {
    const target = await receiver();
    await subscribe(target.url(), { connection_ids: ['conn_bad_input'] });
    const good = createEvent('sync.completed', 'conn_bad_input', { n: 1 });
    const wrongType = JSON.stringify({ ...createEvent('sync.completed', 'conn_bad_input', {}), type: 'sync.exploded' });
    await harness.produceEvents(['not json at all', wrongType, good]);
    await waitFor(() => target.requests.length === 1, { description: 'the good event' });
    expect(JSON.parse(target.requests[0]!.body).id).toBe(good.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.requests).toHaveLength(1);
  });

  it('commits past the transaction markers after the events it read, so a caught-up group shows no lag', async () => {
    const target = await receiver();
    await subscribe(target.url(), { connection_ids: ['conn_markers'] });
    const delivered = createEvent('sync.completed', 'conn_markers', { n: 1 });
    const never = createEvent('sync.completed', 'conn_markers', { n: 2 });
    // As the transformer writes events: in transactions; an aborted one last.
    const producer = harness.kafka.producer({ transactionalId: `${harness.prefix}markers`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (const [event, commit] of [[delivered, true], [never, false]] as const) {
        const transaction = await producer.transaction();
        await transaction.send({ topic: harness.topics.events, messages: [{ key: 'conn_markers', value: JSON.stringify(event) }] });
        await (commit ? transaction.commit() : transaction.abort());
      }
    } finally {
      await producer.disconnect();
    }
    await waitFor(() => target.requests.length === 1, { description: 'the committed event' });
    expect(JSON.parse(target.requests[0]!.body).id).toBe(delivered.id);
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      const lag = async () => (await groupPositions(admin, `${harness.prefix}webhooks`, [harness.topics.events])).reduce((sum, { committed, high }) => sum + Number(high - (committed > 0n ? committed : 0n)), 0);
      await waitFor(async () => (await lag()) === 0, { description: 'no lag on the events topic', timeoutMs: 30_000 });
    } finally {
      await admin.disconnect();
    }
    expect(target.requests).toHaveLength(1);
  });
});

describe('endpoint grace period', () => {
  it('disables an endpoint that only fails for its whole grace period and emits endpoint.disabled', async () => {
    const harness = await startHarness();
    const failing = await startReceiver(() => ({ status: 500 }));
    const watcher = await startReceiver();
    try {
      const sink = await harness.startSink({ retrySchedule: Array(40).fill(200), gracePeriodMs: 1_500 });
      const { subscription } = await harness.service.create({ url: failing.url(), event_types: ['sync.*'], owner: 'team-grace' });
      await harness.service.create({ url: watcher.url(), event_types: ['endpoint.disabled'], owner: 'team-grace' });
      await waitFor(() => [...sink.store.all()].length === 2, { description: 'the sink to see both subscriptions' });
      await harness.produceEvents([createEvent('sync.failed', 'conn_grace', {})]);
      await waitFor(() => watcher.requests.length === 1, { description: 'endpoint.disabled', timeoutMs: 20_000 });
      const announced = JSON.parse(watcher.requests[0]!.body);
      expect(announced.data).toMatchObject({ subscription_id: subscription.id, reason: 'failing', last_status_code: 500 });
      expect(Date.parse(announced.timestamp) - Date.parse(announced.data.failing_since)).toBeGreaterThanOrEqual(1_500);
      await waitFor(() => harness.service.get(subscription.id)?.enabled === false, { description: 'the disable stored' });
      expect(harness.service.get(subscription.id)).toMatchObject({ enabled: false, disabled_reason: 'failing' });
      const attemptsMade = failing.requests.length;
      expect(attemptsMade).toBeGreaterThanOrEqual(5);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(failing.requests.length).toBe(attemptsMade);
    } finally {
      await harness.stop();
      await failing.close();
      await watcher.close();
    }
  });
});

async function startSelfSignedServer(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  const { execFileSync } = await import('node:child_process');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const https = await import('node:https');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  let hits = 0;
  const [key, cert] = [fs.readFileSync(path.join(dir, 'key.pem')), fs.readFileSync(path.join(dir, 'cert.pem'))];
  fs.rmSync(dir, { recursive: true, force: true });
  const server = https.createServer({ key, cert }, (_req, res) => {
    hits += 1;
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}/hook`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
