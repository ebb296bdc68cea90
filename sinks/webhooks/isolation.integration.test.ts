import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../platform/events.js';
import { waitFor } from '../../test/support/wait-for.js';
import { startHarness, type Harness } from './test-harness.js';
import { startReceiver, type Receiver } from './test-receiver.js';
import { registerWebhookMetrics } from './webhook-metrics.js';
import type { WebhookSink } from './delivery-worker.js';

const EVENTS = 200;
const BACKLOG = 100;

function latencies(receiver: Receiver, from = 0): number[] {
  return receiver.requests.slice(from).map((request) => request.at - Date.parse(JSON.parse(request.body).timestamp)).sort((a, b) => a - b);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function produceSteadily(harness: Harness, connectionId: string, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += 10) {
    await harness.produceEvents(Array.from({ length: 10 }, (_, index) => createEvent('sync.completed', connectionId, { n: sent + index })));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('endpoint isolation', () => {
  let harness: Harness;
  let sink: WebhookSink;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    harness = await startHarness();
    // The real 10 s timeout: the hung endpoint holds its requests for as long as production would.
    sink = await harness.startSink({ maxBacklogPerEndpoint: BACKLOG, drainTimeoutMs: 500 });
  });

  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await harness?.stop();
  });

  it('a hung endpoint does not slow a healthy one, and its backlog is bounded and visible', async () => {
    const baselineReceiver = await startReceiver();
    const healthy = await startReceiver();
    const hung = await startReceiver(() => 'hang');
    receivers.push(baselineReceiver, healthy, hung);

    // Baseline: a healthy endpoint alone.
    await harness.service.create({ url: baselineReceiver.url(), event_types: ['sync.completed'], connection_ids: ['conn_baseline'] });
    await waitFor(() => [...sink.store.all()].length === 1, { description: 'the baseline subscription' });
    // Warm-up (group join, first fetches, connection pool) stays out of the measurement.
    await produceSteadily(harness, 'conn_baseline', 20);
    await waitFor(() => baselineReceiver.requests.length === 20, { description: 'warm-up deliveries' });
    await produceSteadily(harness, 'conn_baseline', EVENTS);
    await waitFor(() => baselineReceiver.requests.length === 20 + EVENTS, { description: 'baseline deliveries' });

    // Same load, with a hung endpoint receiving every event too.
    const hungSubscription = await harness.service.create({ url: hung.url(), event_types: ['sync.completed'], connection_ids: ['conn_shared'], max_concurrency: 10 });
    await harness.service.create({ url: healthy.url(), event_types: ['sync.completed'], connection_ids: ['conn_shared'] });
    await waitFor(() => [...sink.store.all()].length === 3, { description: 'the shared subscriptions' });
    await produceSteadily(harness, 'conn_shared', EVENTS);
    await waitFor(() => healthy.requests.length === EVENTS, { description: 'healthy deliveries beside the hung endpoint', timeoutMs: 20_000 });

    const alone = latencies(baselineReceiver, 20);
    const beside = latencies(healthy);
    const report = {
      baseline_ms: { p50: percentile(alone, 50), p95: percentile(alone, 95), max: alone.at(-1) },
      beside_hung_ms: { p50: percentile(beside, 50), p95: percentile(beside, 95), max: beside.at(-1) },
    };
    console.log(`[isolation] ${EVENTS} events; healthy endpoint latency alone vs beside a hung one: ${JSON.stringify(report)}`);
    // Were the endpoints not isolated, healthy deliveries would queue behind the hung ones and
    // wait out their 10 s timeouts. All of them arrived before the first of those timeouts.
    expect(healthy.requests.at(-1)!.at).toBeLessThan(hung.requests[0]!.at + 10_000);
    expect(report.beside_hung_ms.max!).toBeLessThan(5_000);
    // Latencies on a shared 2-core machine are noisy; the margin covers noise, not a 10 s stall.
    expect(report.beside_hung_ms.p95).toBeLessThan(report.baseline_ms.p95 + 2_000);

    const backlog = sink.backlog().find((row) => row.subscription_id === hungSubscription.subscription.id)!;
    console.log(`[isolation] hung endpoint backlog: ${JSON.stringify(backlog)}`);
    expect(hung.requests.length).toBe(10);
    expect(backlog.running).toBe(10);
    expect(backlog.queued).toBeLessThanOrEqual(BACKLOG);
    expect(backlog.queued + backlog.running + backlog.spilled).toBe(EVENTS);
    expect(backlog.spilled).toBe(EVENTS - BACKLOG - 10);
    const registry = new Registry();
    registerWebhookMetrics(registry, sink);
    const metrics = await registry.metrics();
    expect(metrics).toContain(`millrace_webhook_endpoint_running{subscription_id="${hungSubscription.subscription.id}"} 10`);
    expect(metrics).toContain(`millrace_webhook_endpoint_queued{subscription_id="${hungSubscription.subscription.id}"} ${backlog.queued}`);
    expect(metrics).toMatch(/millrace_webhook_attempts\{outcome="succeeded"\} (\d+)/);
    expect(Number(/millrace_webhook_attempts\{outcome="succeeded"\} (\d+)/.exec(metrics)![1])).toBeGreaterThanOrEqual(20 + 2 * EVENTS);
    // Spilled deliveries wait in the retry topic, not in the events consumer.
    await waitFor(() => sink.backlog().find((row) => row.subscription_id === hungSubscription.subscription.id)!.pending_retries >= backlog.spilled, {
      description: 'spilled deliveries pending in the retry consumer',
    });
  });
});
