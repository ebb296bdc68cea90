import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../platform/events.js';
import { waitFor } from '../../test/support/wait-for.js';
import { isWebhookError, type WebhookErrorCode } from './errors.js';
import type { Resolver } from './ssrf-guard.js';
import { startHarness, type Harness } from './test-harness.js';
import { startReceiver, type Receiver } from './test-receiver.js';
import type { WebhookSink } from './delivery-worker.js';
import { topicOffsets } from '../../platform/kafka.js';

const fakeDns: Resolver = async (hostname) => {
  const table: Record<string, string[]> = {
    'hooks.example.com': ['93.184.216.34'],
    'internal.example.com': ['10.0.0.7'],
    'sneaky.example.com': ['93.184.216.34', '169.254.169.254'],
  };
  const addresses = table[hostname];
  if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<{ code: WebhookErrorCode; message: string; status: number; details?: Record<string, unknown> }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (isWebhookError(error)) return { code: error.code, message: error.message, status: error.status, details: error.details };
    throw error;
  }
  throw new Error('expected a WebhookError');
}

describe('subscription service', () => {
  let harness: Harness;
  let sink: WebhookSink;
  const receivers: Receiver[] = [];
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  };
  const subscriptionsTopicEnd = async () => {
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      return (await topicOffsets(admin, harness.topics.subscriptions)).reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  };
  const rawSubscriptionRecords = async (): Promise<string[]> => {
    const consumer = harness.kafka.consumer({ groupId: `${harness.prefix}raw-${Date.now()}`, maxWaitTimeInMs: 200 });
    const values: string[] = [];
    const expected = await subscriptionsTopicEnd();
    await consumer.connect();
    await consumer.subscribe({ topic: harness.topics.subscriptions, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? '') });
    await waitFor(() => values.length >= expected, { description: 'the raw subscription records' });
    await consumer.disconnect();
    return values;
  };
  const seen = (id: string) => waitFor(() => sink.store.get(id) !== undefined, { description: `the sink to see ${id}` });

  beforeAll(async () => {
    harness = await startHarness({ serviceOverrides: { resolve: fakeDns } });
    sink = await harness.startSink({ retrySchedule: [0, 200, 200], resolve: fakeDns });
  });

  afterAll(async () => {
    await harness?.stop();
    for (const started of receivers) await started.close();
  });

  it('creates a subscription, shows its secret once and keeps it only encrypted', async () => {
    const { subscription, secret } = await harness.service.create({
      url: 'https://hooks.example.com/millrace',
      // Types no test here produces: hooks.example.com is not reachable from the test machine.
      event_types: ['connection.deleted', 'record.*'],
      entities: ['purchase_order'],
      description: 'ERP sync',
      owner: 'team-a',
      rate_limit_per_second: 20,
    });
    expect(secret).toMatch(/^whsec_/);
    expect(subscription).toMatchObject({ url: 'https://hooks.example.com/millrace', enabled: true, owner: 'team-a', connection_ids: null, entities: ['purchase_order'], max_concurrency: 10 });
    expect(JSON.stringify(subscription)).not.toContain(secret.slice(6));
    expect(JSON.stringify(harness.service.get(subscription.id))).not.toContain(secret.slice(6));
    expect(subscription.signing_secrets).toEqual([{ created_at: subscription.created_at, expires_at: null }]);
    const raw = await rawSubscriptionRecords();
    expect(raw.some((value) => value.includes(subscription.id))).toBe(true);
    expect(raw.every((value) => !value.includes(secret.slice(6)))).toBe(true);
  });

  it('lists by owner and by connection; connect-flow subscriptions are limited to their connection', async () => {
    const input = { event_types: ['connection.deleted'], owner: 'team-list' };
    const { subscription: mine } = await harness.service.createForConnection('conn_list', { url: 'https://hooks.example.com/a', ...input });
    const { subscription: everyConnection } = await harness.service.create({ url: 'https://hooks.example.com/b', ...input });
    await harness.service.create({ url: 'https://hooks.example.com/c', ...input, connection_ids: ['conn_other'] });
    expect(mine.connection_ids).toEqual(['conn_list']);
    expect(harness.service.list({ owner: 'team-list' })).toHaveLength(3);
    expect(harness.service.list({ owner: 'team-list', connectionId: 'conn_list' }).map((entry) => entry.id)).toEqual([mine.id, everyConnection.id]);
    expect(harness.service.list({ owner: 'nobody' })).toEqual([]);
    expect((await failure(() => harness.service.list({ owner: 'x', team: 'y' } as never))).code).toBe('webhook_input_invalid');
  });

  it('refuses bad input with every wrong field named, and writes nothing', async () => {
    const before = await subscriptionsTopicEnd();
    const error = await failure(harness.service.create({ url: 'https://hooks.example.com/x', event_types: ['nope.*'], max_concurrency: 1000, enabled: 'yes' }));
    expect(error).toMatchObject({ code: 'webhook_input_invalid', status: 400 });
    expect((error.details!.issues as { path: string }[]).map((issue) => issue.path).sort()).toEqual(['enabled', 'event_types.0', 'max_concurrency']);
    expect(await subscriptionsTopicEnd()).toBe(before);
  });

  it.each([
    // 10.0.0.1 written as one number, in octal and in hex (127.0.0.1 is on this harness's dev allowlist).
    ['a decimal IP', 'https://167772161/hook', 'webhook_url_forbidden_address'],
    ['an octal IP', 'https://012.0.0.1/hook', 'webhook_url_forbidden_address'],
    ['a hex IP', 'https://0x0a000001/hook', 'webhook_url_forbidden_address'],
    ['the metadata address', 'https://169.254.169.254/latest', 'webhook_url_forbidden_address'],
    ['CGNAT', 'https://100.64.1.1/hook', 'webhook_url_forbidden_address'],
    ['multicast', 'https://239.1.1.1/hook', 'webhook_url_forbidden_address'],
    ['reserved', 'https://240.0.0.1/hook', 'webhook_url_forbidden_address'],
    ['IPv6 loopback', 'https://[::1]/hook', 'webhook_url_forbidden_address'],
    ['IPv6 link-local', 'https://[fe80::1]/hook', 'webhook_url_forbidden_address'],
    ['IPv4-mapped IPv6', 'https://[::ffff:10.0.0.1]/hook', 'webhook_url_forbidden_address'],
    ['a name resolving to a private address', 'https://internal.example.com/hook', 'webhook_url_forbidden_address'],
    ['a name with one private address among public ones', 'https://sneaky.example.com/hook', 'webhook_url_forbidden_address'],
    ['plain http to a public host', 'http://hooks.example.com/hook', 'webhook_url_insecure'],
    ['an unresolvable host', 'https://missing.example.com/hook', 'webhook_url_unresolvable'],
  ])('refuses %s at subscription time, and writes nothing', async (_label, url, code) => {
    const before = await subscriptionsTopicEnd();
    const count = harness.service.list().length;
    const error = await failure(harness.service.create({ url, event_types: ['*'] }));
    expect(error.code).toBe(code);
    expect(error.status).toBe(400);
    expect(await subscriptionsTopicEnd()).toBe(before);
    expect(harness.service.list()).toHaveLength(count);
  });

  it('updates only what is sent, re-checks a new URL, and tracks enabling', async () => {
    const { subscription } = await harness.service.create({ url: 'https://hooks.example.com/u', event_types: ['connection.deleted'], description: 'first' });
    const refused = await failure(harness.service.update(subscription.id, { url: 'https://internal.example.com/u' }));
    expect(refused.code).toBe('webhook_url_forbidden_address');
    expect(harness.service.get(subscription.id).url).toBe('https://hooks.example.com/u');

    const updated = await harness.service.update(subscription.id, { description: 'second', max_concurrency: 3 });
    expect(updated).toMatchObject({ description: 'second', max_concurrency: 3, event_types: ['connection.deleted'], url: 'https://hooks.example.com/u' });
    expect(await harness.service.update(subscription.id, { enabled: false })).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    const enabled = await harness.service.update(subscription.id, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
    expect((await failure(harness.service.update('wh_missing', { description: 'x' }))).code).toBe('webhook_subscription_not_found');
  });

  it('deletes a subscription', async () => {
    const { subscription } = await harness.service.create({ url: 'https://hooks.example.com/d', event_types: ['connection.deleted'] });
    await harness.service.delete(subscription.id);
    expect((await failure(() => harness.service.get(subscription.id))).code).toBe('webhook_subscription_not_found');
    expect(harness.service.list().some((entry) => entry.id === subscription.id)).toBe(false);
    expect((await failure(harness.service.delete(subscription.id))).status).toBe(404);
  });

  it('answers delivery-log queries per endpoint and per event, and retries one delivery with the same body and webhook-id', async () => {
    const target = await receiver();
    const { subscription, secret } = await harness.service.create({ url: target.url(), event_types: ['sync.completed'], connection_ids: ['conn_log'] });
    await seen(subscription.id);
    const events = [createEvent('sync.completed', 'conn_log', { n: 1 }), createEvent('sync.completed', 'conn_log', { n: 2 })];
    await harness.produceEvents(events);
    await waitFor(async () => (await harness.service.deliveries({ subscription_id: subscription.id })).length === 2, { description: 'two logged attempts' });

    const byEventRows = await harness.service.deliveries({ event_id: events[1]!.id });
    expect(byEventRows).toHaveLength(1);
    const [byEvent] = byEventRows;
    expect(byEvent).toMatchObject({ subscription_id: subscription.id, event_id: events[1]!.id, outcome: 'succeeded', status_code: 200 });
    expect(await harness.service.deliveries({ subscription_id: subscription.id, limit: 1 })).toHaveLength(1);
    expect(await harness.service.deliveries({ subscription_id: subscription.id, outcome: 'failed' })).toEqual([]);
    expect((await failure(harness.service.deliveries({ subscription_id: subscription.id, limit: 0 }))).code).toBe('webhook_input_invalid');

    const { delivery_id: retried } = await harness.service.retryDelivery(byEvent!.delivery_id);
    expect(retried).not.toBe(byEvent!.delivery_id);
    await waitFor(() => target.requests.length === 3, { description: 'the manual retry' });
    const original = target.requests.find((request) => JSON.parse(request.body).id === events[1]!.id)!;
    expect(target.requests[2]!.body).toBe(original.body);
    expect(target.requests[2]!.headers['webhook-id']).toBe(events[1]!.id);
    expect(() => new Webhook(secret).verify(target.requests[2]!.body, target.requests[2]!.headers)).not.toThrow();
    await waitFor(async () => (await harness.service.deliveries({ delivery_id: retried }))[0]?.trigger === 'manual', { description: 'the manual attempt in the log' });

    expect((await failure(harness.service.retryDelivery('no-such-delivery'))).code).toBe('webhook_delivery_not_found');
  });

  it('replays the events of a time range that the endpoint’s filters match', async () => {
    const target = await receiver();
    const before = createEvent('sync.completed', 'conn_replay', { n: 'before' });
    await harness.produceEvents([before]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const from = new Date().toISOString();
    const inRange = [createEvent('sync.completed', 'conn_replay', { n: 1 }), createEvent('sync.failed', 'conn_replay', { n: 2 })];
    const otherConnection = createEvent('sync.completed', 'conn_elsewhere', { n: 3 });
    const otherType = createEvent('connection.updated', 'conn_replay', { n: 4 });
    await harness.produceEvents([inRange[0]!, otherConnection, otherType, inRange[1]!]);
    const to = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.produceEvents([createEvent('sync.completed', 'conn_replay', { n: 'after' })]);

    // Created after the events: live delivery skips them, replay brings them.
    const { subscription } = await harness.service.create({ url: target.url(), event_types: ['sync.*'], connection_ids: ['conn_replay'] });
    await seen(subscription.id);
    const result = await harness.service.replay(subscription.id, { from, to });
    expect(result.queued).toBe(2);
    expect(result.scanned).toBeGreaterThanOrEqual(4);
    await waitFor(() => target.requests.length === 2, { description: 'the replayed events' });
    expect(target.requests.map((request) => JSON.parse(request.body).id).sort()).toEqual(inRange.map((event) => event.id).sort());
    expect(target.requests.map((request) => request.headers['webhook-id']).sort()).toEqual(inRange.map((event) => event.id).sort());
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.requests).toHaveLength(2);

    expect((await failure(harness.service.replay(subscription.id, { from: to, to: from }))).code).toBe('webhook_input_invalid');
    await harness.service.update(subscription.id, { enabled: false });
    expect((await failure(harness.service.replay(subscription.id, { from, to }))).code).toBe('webhook_subscription_disabled');
  });

  it('sends a signed test event, even to a disabled endpoint, and does not retry it', async () => {
    const target = await receiver((_request, index) => (index === 0 ? { status: 200 } : { status: 500 }));
    const { subscription, secret } = await harness.service.create({ url: target.url(), event_types: ['sync.completed'], enabled: false });
    await seen(subscription.id);
    const { event_id, delivery_id } = await harness.service.sendTestEvent(subscription.id);
    await waitFor(() => target.requests.length === 1, { description: 'the test event' });
    const payload = new Webhook(secret).verify(target.requests[0]!.body, target.requests[0]!.headers) as { type: string; id: string; data: { subscription_id: string } };
    expect(payload).toMatchObject({ id: event_id, type: 'webhook.test', data: { subscription_id: subscription.id } });

    const failing = await harness.service.sendTestEvent(subscription.id);
    await waitFor(async () => (await harness.service.deliveries({ delivery_id: failing.delivery_id })).length === 1, { description: 'the failed test attempt' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    const rows = await harness.service.deliveries({ delivery_id: failing.delivery_id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ trigger: 'test', status_code: 500, outcome: 'failed' });
    expect(harness.service.get(subscription.id).disabled_reason).toBe('manual');
    expect((await harness.service.deliveries({ delivery_id }))[0]).toMatchObject({ outcome: 'succeeded', trigger: 'test' });
  });
});
