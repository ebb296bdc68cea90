import { Gauge, type Registry } from 'prom-client';
import type { WebhookSink } from './delivery-worker.js';

/**
 * Prometheus gauges for a running sink, read when scraped: per-endpoint backlog (queued,
 * running, pending retries, spilled) and attempts by outcome since start. Label cardinality is
 * the number of subscriptions this worker has delivered to.
 */
export function registerWebhookMetrics(registry: Registry, sink: WebhookSink): void {
  const backlogGauge = (name: string, help: string, pick: (row: ReturnType<WebhookSink['backlog']>[number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['subscription_id'],
      registers: [registry],
      collect() {
        this.reset();
        for (const row of sink.backlog()) this.set({ subscription_id: row.subscription_id }, pick(row));
      },
    });
  backlogGauge('millrace_webhook_endpoint_queued', 'Deliveries waiting in the endpoint queue of this worker', (row) => row.queued);
  backlogGauge('millrace_webhook_endpoint_running', 'Requests in flight to the endpoint from this worker', (row) => row.running);
  backlogGauge('millrace_webhook_endpoint_pending_retries', 'Retries this worker holds for the endpoint', (row) => row.pending_retries);
  backlogGauge('millrace_webhook_endpoint_spilled', 'New deliveries sent to the retry topic because the endpoint queue was full, since start', (row) => row.spilled);
  new Gauge({
    name: 'millrace_webhook_attempts',
    help: 'Delivery attempts made by this worker since start, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      for (const [outcome, count] of sink.attemptCounts()) this.set({ outcome }, count);
    },
  });
}
