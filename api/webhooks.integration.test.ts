import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger.js';
import { startWebhookSink, type WebhookSink } from '../sinks/webhooks/index.js';
import { startReceiver, type Receiver } from '../sinks/webhooks/test-receiver.js';
import { waitFor } from '../test/support/wait-for.js';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';

const NETSUITE_CONFIG = { accountId: '1234567', authType: 'tba', consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' };

describe('webhook subscriptions, deliveries, retry and replay through the API', () => {
  let api: ApiHarness;
  let sink: WebhookSink;
  let receiver: Receiver;
  let foreignConnection: string;

  beforeAll(async () => {
    api = await startApiHarness();
    receiver = await startReceiver();
    sink = await startWebhookSink({ kafka: api.kafka, topicPrefix: api.prefix, clickhouse: api.clickhouse, keyRing: api.ring, logger: createLogger({ level: 'silent' }), allowlist: ['127.0.0.1'], partitions: 3 });
    foreignConnection = (await api.connections.create({ system: 'netsuite', name: 'theirs', config: NETSUITE_CONFIG, owner: 'globex', paused: true })).id;
  });
  afterAll(async () => {
    await sink?.stop();
    await api?.close();
    await receiver?.close();
  });

  it('refuses unsafe URLs, unknown fields and other owners\' connections, storing nothing', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ url: 'https://10.1.2.3/hook', event_types: ['*'] }, 400, 'webhook_url_forbidden_address'],
      [{ url: 'http://example.com/hook', event_types: ['*'] }, 400, 'webhook_url_insecure'],
      [{ url: receiver.url('/hook'), event_types: ['nothing.matches'] }, 400, 'request_invalid'],
      [{ url: receiver.url('/hook'), event_types: ['*'], owner: 'globex' }, 400, 'request_invalid'],
      [{ url: receiver.url('/hook'), event_types: ['*'], connection_ids: [foreignConnection] }, 404, 'connection_not_found'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await api.call('POST', '/v1/webhooks', { key: api.keys.write, body });
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect((await api.call('GET', '/v1/webhooks')).body.data).toEqual([]);
  });

  it('creates, signs, logs, retries and replays deliveries for its owner only', async () => {
    const created = await api.call('POST', '/v1/webhooks', { key: api.keys.write, body: { url: receiver.url('/hook'), event_types: ['webhook.test', 'connection.*'], description: 'ops' } });
    expect(created.status).toBe(201);
    const { subscription, secret } = created.body;
    expect(subscription).toMatchObject({ owner: 'acme', enabled: true, description: 'ops' });
    expect(JSON.stringify((await api.call('GET', `/v1/webhooks/${subscription.id}`)).body)).not.toContain(secret);
    for (const [method, route] of [
      ['GET', `/v1/webhooks/${subscription.id}`],
      ['PATCH', `/v1/webhooks/${subscription.id}`],
      ['DELETE', `/v1/webhooks/${subscription.id}`],
      ['POST', `/v1/webhooks/${subscription.id}/test`],
      ['GET', `/v1/webhooks/${subscription.id}/deliveries`],
    ] as const) {
      const foreign = await api.call(method, route, { key: api.keys.otherAdmin, ...(method === 'PATCH' ? { body: { description: 'x' } } : {}) });
      expect(foreign.status, `${method} ${route}`).toBe(404);
      expect(foreign.body.error.code).toBe('webhook_subscription_not_found');
    }

    const test = await api.call('POST', `/v1/webhooks/${subscription.id}/test`, { key: api.keys.write });
    expect(test.status).toBe(202);
    const delivered = await waitFor(() => receiver.requests.find((request) => request.headers['webhook-id'] === test.body.event_id), { timeoutMs: 30_000, description: 'the test event' });
    expect(new Webhook(secret).verify(delivered.body, delivered.headers)).toMatchObject({ type: 'webhook.test' });
    const log = await waitFor(async () => {
      const answer = await api.call('GET', `/v1/webhooks/${subscription.id}/deliveries?outcome=succeeded`, { key: api.keys.read });
      return answer.body.data.length > 0 && answer.body.data;
    }, { description: 'the attempt in the delivery log' });
    expect(log[0]).toMatchObject({ delivery_id: test.body.delivery_id, event_type: 'webhook.test', status_code: 200, trigger: 'test' });

    const retried = await api.call('POST', `/v1/webhooks/${subscription.id}/deliveries/${test.body.delivery_id}/retry`, { key: api.keys.write });
    expect(retried.status).toBe(202);
    await waitFor(() => receiver.requests.filter((request) => request.headers['webhook-id'] === test.body.event_id).length === 2, { description: 'the retried delivery' });
    const unknownDelivery = await api.call('POST', `/v1/webhooks/${subscription.id}/deliveries/nope/retry`);
    expect(unknownDelivery.status).toBe(404);
    expect(unknownDelivery.body.error.code).toBe('webhook_delivery_not_found');

    const from = new Date(Date.now() - 1000).toISOString();
    await api.call('POST', '/v1/connections', { key: api.keys.write, body: { system: 'netsuite', name: 'announced', config: NETSUITE_CONFIG, paused: true } });
    await waitFor(() => receiver.requests.some((request) => JSON.parse(request.body).type === 'connection.created'), { timeoutMs: 30_000, description: 'connection.created delivered' });
    const replayed = await api.call('POST', `/v1/webhooks/${subscription.id}/replay`, { key: api.keys.write, body: { from, to: new Date(Date.now() + 1000).toISOString() } });
    expect(replayed.status).toBe(202);
    expect(replayed.body.queued).toBeGreaterThanOrEqual(1);
    await waitFor(() => receiver.requests.filter((request) => JSON.parse(request.body).type === 'connection.created').length >= 2, { timeoutMs: 30_000, description: 'the replayed event' });
    const badRange = await api.call('POST', `/v1/webhooks/${subscription.id}/replay`, { body: { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } });
    expect(badRange.status).toBe(400);
    expect(badRange.body.error.code).toBe('webhook_input_invalid');

    const rotated = await api.call('POST', `/v1/webhooks/${subscription.id}/rotate-secret`, { key: api.keys.write, body: { grace_seconds: 60 } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    expect((await api.call('GET', `/v1/webhooks/${subscription.id}`)).body.signing_secrets).toHaveLength(2);

    const disabled = await api.call('PATCH', `/v1/webhooks/${subscription.id}`, { key: api.keys.write, body: { enabled: false } });
    expect(disabled.body).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    const replayDisabled = await api.call('POST', `/v1/webhooks/${subscription.id}/replay`, { body: { from, to: new Date().toISOString() } });
    expect(replayDisabled.status).toBe(409);
    expect(replayDisabled.body.error.code).toBe('webhook_subscription_disabled');
    const unknownPatch = await api.call('PATCH', `/v1/webhooks/${subscription.id}`, { body: { colour: 'red' } });
    expect(unknownPatch.status).toBe(400);
    expect(unknownPatch.body.error.issues[0].path).toBe('body.colour');

    expect((await api.call('DELETE', `/v1/webhooks/${subscription.id}`, { key: api.keys.write })).body).toEqual({ id: subscription.id, deleted: true });
    expect((await api.call('GET', `/v1/webhooks/${subscription.id}`)).status).toBe(404);
  });
});
