/**
 * Webhook delivery benchmark: signed deliveries per second from the real webhook sink (Kafka
 * events topic → per-endpoint queues → HTTP) to 100 loopback endpoints, one of which accepts
 * connections and never answers. Every healthy delivery is verified with standardwebhooks'
 * Webhook.verify on the raw body by the receivers, which run in a worker thread.
 *
 *   npx tsx bench/webhooks-delivery.ts [events=500] [endpoints=100]
 *
 * Each event goes to every endpoint, so `events × (endpoints - 1)` deliveries are timed, from the
 * first event produced to the last healthy delivery received. Uses KAFKA_BROKERS, or the local
 * broker (started if needed); ClickHouse is embedded in a temporary directory.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { openClickHouse } from '../platform/clickhouse.js';
import { loadConfig } from '../platform/config.js';
import { createEvent } from '../platform/events.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { resolveBrokers } from '../platform/services.js';
import { keyRing } from '../producers/master-keys.js';
import { SubscriptionService } from '../sinks/webhooks/subscription-service.js';
import { startWebhookSink } from '../sinks/webhooks/delivery-worker.js';

const EVENTS = Number(process.argv[2] ?? 500);
const ENDPOINTS = Number(process.argv[3] ?? 100);
const HUNG_INDEX = 0;

// The receivers: ENDPOINTS HTTP servers in a worker thread, so they do not share the sink's event loop.
const RECEIVER_SOURCE = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { Webhook } = require(workerData.standardwebhooks);
const counts = new Array(workerData.endpoints).fill(0);
let verified = 0, failed = 0, lastAt = 0;
const verifiers = [];
const servers = [];
parentPort.on('message', (message) => {
  if (message.type === 'secrets') message.secrets.forEach((secret, index) => { verifiers[index] = new Webhook(secret); });
  if (message.type === 'stats') parentPort.postMessage({ type: 'stats', counts, verified, failed, lastAt });
  if (message.type === 'close') { for (const server of servers) { server.closeAllConnections(); server.close(); } }
});
(async () => {
  const ports = [];
  for (let index = 0; index < workerData.endpoints; index++) {
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        if (index === workerData.hung) return; // accepts, reads, never answers
        try { verifiers[index].verify(Buffer.concat(chunks).toString('utf8'), req.headers); verified++; } catch { failed++; }
        counts[index]++;
        lastAt = Date.now();
        res.writeHead(200).end();
      });
    });
    server.keepAliveTimeout = 60000;
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    ports.push(server.address().port);
  }
  parentPort.postMessage({ type: 'ports', ports });
})();
`;

interface ReceiverStats {
  counts: number[];
  verified: number;
  failed: number;
  lastAt: number;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const { brokers } = await resolveBrokers(config, logger);
  const kafka = createKafka({ brokers, clientId: 'millrace-bench-webhooks', logger });
  const prefix = `bench-webhooks-${Date.now().toString(36)}.`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-bench-webhooks-'));
  const clickhouse = await openClickHouse({ database: 'bench_webhooks', dataDir });
  const ring = keyRing(randomBytes(32));
  const allowlist = ['127.0.0.1'];

  const worker = new Worker(RECEIVER_SOURCE, {
    eval: true,
    workerData: { endpoints: ENDPOINTS, hung: HUNG_INDEX, standardwebhooks: createRequire(import.meta.url).resolve('standardwebhooks') },
  });
  const ports = await new Promise<number[]>((resolve) => worker.once('message', (message: { ports: number[] }) => resolve(message.ports)));
  const stats = () =>
    new Promise<ReceiverStats>((resolve) => {
      worker.once('message', (message: ReceiverStats) => resolve(message));
      worker.postMessage({ type: 'stats' });
    });

  const service = new SubscriptionService({ kafka, topicPrefix: prefix, clickhouse, keyRing: ring, logger, allowlist, partitions: 3 });
  await service.start();
  const secrets: string[] = [];
  const ids: string[] = [];
  for (const port of ports) {
    const { subscription, secret } = await service.create({ url: `http://127.0.0.1:${port}/hook`, event_types: ['sync.completed'] });
    secrets.push(secret);
    ids.push(subscription.id);
  }
  worker.postMessage({ type: 'secrets', secrets });

  const sink = await startWebhookSink({ kafka, topicPrefix: prefix, clickhouse, keyRing: ring, logger, allowlist, partitions: 3, drainTimeoutMs: 1_000 });
  while ([...sink.store.all()].length < ENDPOINTS) await new Promise((resolve) => setTimeout(resolve, 50));

  const producer = kafka.producer();
  await producer.connect();
  const expected = EVENTS * (ENDPOINTS - 1);
  const started = Date.now();
  for (let sent = 0; sent < EVENTS; sent += 100) {
    const batch = Array.from({ length: Math.min(100, EVENTS - sent) }, (_, index) =>
      createEvent('sync.completed', `conn_${(sent + index) % 10}`, { entity: 'purchase_order', records: sent + index, full_pass: false }),
    );
    await producer.send({ topic: `${prefix}events`, messages: batch.map((event) => ({ key: event.connection_id!, value: JSON.stringify(event) })) });
  }
  const produced = Date.now();

  let current = await stats();
  const healthyTotal = (snapshot: ReceiverStats) => snapshot.counts.reduce((sum, count, index) => (index === HUNG_INDEX ? sum : sum + count), 0);
  const deadline = started + 600_000;
  while (healthyTotal(current) < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    current = await stats();
  }
  const delivered = healthyTotal(current);
  // The receivers count a request before its response reaches the sink: let the last attempts finish.
  for (let waited = 0; (sink.attemptCounts().get('succeeded') ?? 0) < delivered && waited < 5_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (current.lastAt - started) / 1000;
  const hung = sink.backlog().find((row) => row.subscription_id === ids[HUNG_INDEX]);
  const cpus = os.cpus();

  console.log(
    [
      `webhook delivery benchmark — ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, Node ${process.version}, load avg ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`,
      `  ${ENDPOINTS} loopback endpoints (1 hung: accepts, never answers), ${EVENTS} events each sent to every endpoint`,
      `  produced ${EVENTS} events in ${produced - started} ms`,
      `  healthy signed deliveries: ${delivered} / ${expected} in ${seconds.toFixed(2)} s → ${(delivered / seconds).toFixed(0)} deliveries/s`,
      `  verified by standardwebhooks on the raw body: ${current.verified}, failed verification: ${current.failed}`,
      `  attempts by outcome: ${JSON.stringify(Object.fromEntries(sink.attemptCounts()))}`,
      `  hung endpoint on this worker: ${JSON.stringify(hung)}`,
    ].join('\n'),
  );

  await sink.stop();
  const errors = await clickhouse.client.query({
    query: "SELECT error, count() AS attempts FROM webhook_deliveries WHERE outcome != 'succeeded' AND subscription_id != {hung:String} GROUP BY error ORDER BY attempts DESC LIMIT 5",
    query_params: { hung: ids[HUNG_INDEX]! },
    format: 'JSONEachRow',
  });
  const failures = (await errors.json()) as { error: string; attempts: string }[];
  if (failures.length > 0) console.log(`  failed attempts to healthy endpoints: ${JSON.stringify(failures)}`);
  worker.postMessage({ type: 'close' });
  await producer.disconnect();
  await service.close();
  await worker.terminate();
  await clickhouse.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [`${prefix}events`, `${prefix}webhook-subscriptions`, `${prefix}webhook-retries`] }).catch(() => {});
  await admin.disconnect();
  if (delivered < expected) process.exitCode = 1;
}

await main();
