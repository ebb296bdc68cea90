import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { ApiKeyStore } from '../api/auth/api-key-store.js';
import { buildApi } from '../api/build-api.js';
import { encodeCursor } from '../api/reads/cursor.js';
import { IdempotencyStore } from '../api/writes/idempotency-store.js';
import { openClickHouse, type ClickHouse } from '../platform/clickhouse.js';
import { loadConfig } from '../platform/config.js';
import { relaxHeapGrowth } from '../platform/heap.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { resolveBrokers } from '../platform/services.js';
import { ConnectionService } from '../producers/connection-service.js';
import { keyRing } from '../producers/master-keys.js';
import { clickhouseTableDdl, exampleRecord, toClickHouseRow } from '../schemas/index.js';
import { recordJsonExpression } from '../schemas/clickhouse/record-image-sql.js';
import { runMigrations } from '../sinks/clickhouse/migration-runner.js';
import { SubscriptionService } from '../sinks/webhooks/index.js';

/**
 * GET /v1/purchase-orders?limit=100 over 1,000,000 purchase orders in ClickHouse (embedded):
 * the first page, deep pages (a cursor 70 % into the table) with and without a status filter,
 * and one record by id. Rows are generated inside ClickHouse from the example purchase order
 * (two lines each, ~3 KB) and inserted in batches of 100,000 like a busy sink would, each with
 * its API image (record_json, spelled by ClickHouse from the row, as migration 0006 does); it is a
 * read benchmark. The API runs in this process with its real stores on Kafka; a local load
 * loop (keep-alive connections) measures latency percentiles and requests per second.
 *
 * Each scenario runs twice: with the API's record cache off (every page reads ClickHouse) and on
 * (images already read are served from memory; the key query always runs).
 *
 *   npx tsx bench/api-list.ts [records=1000000] [seconds per scenario=15] [concurrency=4]
 *   MILLRACE_BENCH_DATA=.millrace/bench-api-list keeps the generated table between runs;
 *   MILLRACE_BENCH_GRANULARITY=1024 creates it with that index_granularity instead of the model's DDL;
 *   MILLRACE_BENCH_IMAGES=0 stores the rows without images (the API then reads every field);
 *   MILLRACE_BENCH_HEAP=default leaves V8's heap growth as V8 picks it (see platform/heap.ts).
 */
const RECORDS = Number(process.argv[2] ?? 1_000_000);
const SECONDS = Number(process.argv[3] ?? 15);
const CONCURRENCY = Number(process.argv[4] ?? 4);
const BATCH = 100_000;
/** MILLRACE_BENCH_IMAGES=0: rows without record_json, as stored before migration 0006 (the API reads their fields). */
const WITH_IMAGES = process.env.MILLRACE_BENCH_IMAGES !== '0';
const STATUSES = ['approved', 'partially_received', 'received', 'billed', 'closed'];
const NETSUITE_CONFIG = { accountId: '1234567', authType: 'tba', consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' };

// As `millrace start` and `millrace worker` run (platform/heap.ts); MILLRACE_BENCH_HEAP=default measures V8's own choice.
if (process.env.MILLRACE_BENCH_HEAP !== 'default') relaxHeapGrowth();
const config = loadConfig();
const logger = createLogger({ level: 'warn' });
const keepData = process.env.MILLRACE_BENCH_DATA;
const dataDir = keepData ? path.resolve(keepData) : fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-bench-api-'));
// With kept data the topics stay too: the rows belong to the connections stored there.
const prefix = keepData ? 'bench-api-kept.' : `bench-api-${Date.now().toString(36)}.`;

async function count(clickhouse: ClickHouse): Promise<number> {
  const result = await clickhouse.client.query({ query: 'SELECT count() AS n FROM purchase_orders', format: 'JSONEachRow' });
  return Number(((await result.json()) as { n: string }[])[0]!.n);
}

async function withoutImage(clickhouse: ClickHouse): Promise<number> {
  const result = await clickhouse.client.query({ query: "SELECT count() AS n FROM purchase_orders WHERE record_json = ''", format: 'JSONEachRow' });
  return Number(((await result.json()) as { n: string }[])[0]!.n);
}

async function loadOrders(clickhouse: ClickHouse, connectionIds: string[]): Promise<void> {
  if (keepData && (await count(clickhouse)) === RECORDS && (await withoutImage(clickhouse)) === (WITH_IMAGES ? 0 : RECORDS)) {
    const result = await clickhouse.client.query({ query: 'SELECT DISTINCT connection_id FROM purchase_orders', format: 'JSONEachRow' });
    const kept = ((await result.json()) as { connection_id: string }[]).map((row) => row.connection_id).sort();
    // The kept rows serve only if they belong to the connections stored in the kept topics.
    if (JSON.stringify(kept) === JSON.stringify([...connectionIds].sort())) return;
  }
  await clickhouse.client.command({ query: 'TRUNCATE TABLE IF EXISTS purchase_orders' });
  await clickhouse.client.command({ query: 'CREATE TABLE IF NOT EXISTS po_template AS purchase_orders ENGINE = Memory' });
  await clickhouse.client.command({ query: 'TRUNCATE TABLE po_template' });
  await clickhouse.client.insert({ table: 'po_template', values: [toClickHouseRow('purchase_order', exampleRecord('purchase_order'))], format: 'JSONEachRow' });
  const connections = `[${connectionIds.map((id) => `'${id}'`).join(', ')}]`;
  const statuses = `[${STATUSES.map((status) => `'${status}'`).join(', ')}]`;
  const started = Date.now();
  for (let offset = 0; offset < RECORDS; offset += BATCH) {
    const rows = Math.min(BATCH, RECORDS - offset);
    await clickhouse.client.command({
      query: `INSERT INTO purchase_orders SELECT * REPLACE (${WITH_IMAGES ? recordJsonExpression('purchase_order') : "''"} AS record_json) FROM (SELECT po_template.* REPLACE (
          generateUUIDv4(n.number) AS id,
          ${connections}[(n.number % ${connectionIds.length}) + 1] AS connection_id,
          toString(n.number) AS remote_id,
          ${statuses}[(n.number % ${STATUSES.length}) + 1] AS status,
          toInt64(1700000000000000 + n.number) AS version,
          n.number % 50 = 0 AS is_deleted,
          toDateTime64('2024-01-01 00:00:00', 3, 'UTC') + toIntervalSecond(n.number) AS synced_at
        ) FROM po_template CROSS JOIN (SELECT number + ${offset} AS number FROM numbers(${rows})) AS n)`,
    });
    process.stdout.write(`  inserted ${offset + rows} rows (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
}

interface Scenario {
  name: string;
  path: () => string;
}

async function measure(pool: Pool, key: string, scenario: Scenario): Promise<void> {
  // A few requests first: connections, JIT and ClickHouse's mark cache warm up.
  for (let index = 0; index < 3; index++) await (await pool.request({ method: 'GET', path: scenario.path(), headers: { authorization: `Bearer ${key}` } })).body.text();
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const response = await pool.request({ method: 'GET', path: scenario.path(), headers: { authorization: `Bearer ${key}` } });
      // Read as bytes, not decoded: the client shares this process (and its garbage collector) with the API.
      let bytes = 0;
      for await (const chunk of response.body) bytes += (chunk as Buffer).length;
      latencies.push(performance.now() - started);
      if (response.statusCode !== 200 || bytes < 100) failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  process.stdout.write(`  ${scenario.name.padEnd(34)} ${String(latencies.length).padStart(6)} req  ${(latencies.length / elapsed).toFixed(1).padStart(7)} req/s  p50 ${at(0.5).padStart(6)} ms  p90 ${at(0.9).padStart(6)} ms  p99 ${at(0.99).padStart(6)} ms  max ${latencies[latencies.length - 1]!.toFixed(1)} ms${failures ? `  (${failures} failed)` : ''}\n`);
}

const { brokers } = await resolveBrokers(config, logger);
const kafka = createKafka({ brokers, clientId: 'millrace-bench-api', logger });
const clickhouse = await openClickHouse({ database: 'millrace', dataDir: path.join(dataDir, 'clickhouse') });
const granularity = process.env.MILLRACE_BENCH_GRANULARITY;
if (granularity) {
  const ddl = clickhouseTableDdl('purchase_order').replace(/SETTINGS (.*)$/m, `SETTINGS $1, index_granularity = ${Number(granularity)}`);
  await clickhouse.client.command({ query: ddl });
}
await runMigrations(clickhouse, logger);
const ringFile = path.join(dataDir, 'bench-master.key');
if (!fs.existsSync(ringFile)) fs.writeFileSync(ringFile, randomBytes(32).toString('base64'));
const ring = keyRing(Buffer.from(fs.readFileSync(ringFile, 'utf8'), 'base64'));
const connections = new ConnectionService({ kafka, prefix, partitions: 3, replicationFactor: 1, keyRing: ring, logger });
const subscriptions = new SubscriptionService({ kafka, topicPrefix: prefix, clickhouse, keyRing: ring, logger, allowlist: [], partitions: 3 });
const apiKeys = new ApiKeyStore({ kafka, prefix, logger });
const idempotency = new IdempotencyStore({ kafka, prefix, logger });
for (const service of [connections, subscriptions, apiKeys, idempotency]) await service.start();

const connectionIds: string[] = [];
for (const name of ['bench one', 'bench two', 'bench three']) {
  const existing = connections.list({ owner: 'bench' }).find((connection) => connection.name === name);
  connectionIds.push(existing?.id ?? (await connections.create({ system: 'netsuite', name, config: NETSUITE_CONFIG, owner: 'bench', paused: true })).id);
}
process.stdout.write(`loading ${RECORDS.toLocaleString('en')} purchase orders into ClickHouse (${dataDir})\n`);
await loadOrders(clickhouse, connectionIds);
const parts = await clickhouse.client.query({ query: "SELECT count() AS parts, sum(rows) AS rows FROM system.parts WHERE database = 'millrace' AND table = 'purchase_orders' AND active", format: 'JSONEachRow' });
process.stdout.write(`table: ${JSON.stringify((await parts.json())[0])}\n`);

const common = { logger, connections, subscriptions, clickhouse, apiKeys, idempotency, topicPrefix: prefix };
const cold = await buildApi({ ...common, settings: { rateLimitPerMinute: 10_000_000, recordCacheSize: 0 } });
const warm = await buildApi({ ...common, settings: { rateLimitPerMinute: 10_000_000 } });
const apps = [
  { name: 'record cache off', pool: new Pool(await cold.listen({ host: '127.0.0.1', port: 0 }), { connections: CONCURRENCY }) },
  { name: 'record cache on', pool: new Pool(await warm.listen({ host: '127.0.0.1', port: 0 }), { connections: CONCURRENCY }) },
];
const { key } = await apiKeys.create({ name: 'bench', owner: 'bench', scope: 'read', rate_limit_per_minute: 10_000_000 });

// 200 cursors spread over the table: deep pages that are not one page read again and again.
const positions = await clickhouse.client.query({ query: `SELECT connection_id, toString(id) AS id FROM purchase_orders WHERE cityHash64(id) % ${Math.max(1, Math.floor(RECORDS / 200))} = 0 LIMIT 200`, format: 'JSONEachRow' });
const cursors = ((await positions.json()) as { connection_id: string; id: string }[]).map((row) => encodeCursor('purchase_order', { connectionId: row.connection_id, id: row.id }));
const someIds = await clickhouse.client.query({ query: 'SELECT toString(id) AS id FROM purchase_orders WHERE NOT is_deleted ORDER BY cityHash64(id) LIMIT 5000', format: 'JSONEachRow' });
const ids = ((await someIds.json()) as { id: string }[]).map((row) => row.id);

const cpus = os.cpus();
process.stdout.write(
  `\nmachine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, embedded ClickHouse (chdb), load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}\n` +
    `GET /v1/purchase-orders, ${RECORDS.toLocaleString('en')} records ${WITH_IMAGES ? 'with' : 'without'} images (record_json), ${CONCURRENCY} concurrent clients, ${SECONDS} s per scenario:\n`,
);
let next = 0;
const pick = <T>(list: T[]) => list[next++ % list.length]!;
const scenarios: Scenario[] = [
  { name: 'first page, limit=100', path: () => '/v1/purchase-orders?limit=100' },
  { name: 'deep pages (200 cursors), limit=100', path: () => `/v1/purchase-orders?limit=100&cursor=${pick(cursors)}` },
  { name: 'deep pages, status=approved', path: () => `/v1/purchase-orders?limit=100&status=approved&cursor=${pick(cursors)}` },
  { name: 'one connection, first page', path: () => `/v1/purchase-orders?limit=100&connection_id=${connectionIds[1]}` },
  { name: 'get by id (5,000 ids)', path: () => `/v1/purchase-orders/${pick(ids)}` },
];
for (const app of apps) {
  process.stdout.write(` ${app.name}:\n`);
  for (const scenario of scenarios) await measure(app.pool, key, scenario);
}
const memory = process.memoryUsage();
process.stdout.write(`load average after: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}; this process: rss ${Math.round(memory.rss / 2 ** 20)} MiB (ClickHouse included), V8 heap ${Math.round(memory.heapTotal / 2 ** 20)} MiB\n`);

for (const app of apps) await app.pool.close();
await cold.close();
await warm.close();
for (const service of [idempotency, apiKeys]) await service.stop();
await subscriptions.close();
await connections.stop();
await clickhouse.close();
if (!keepData) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.startsWith(prefix)) }).catch(() => undefined);
  await admin.disconnect();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
