import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { HEAP_GROWING_PERCENT, relaxHeapGrowth } from '../platform/heap.js';
import { openClickHouse } from '../platform/clickhouse.js';
import { loadConfig } from '../platform/config.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { resolveBrokers } from '../platform/services.js';
import { brokerStatus } from '../platform/stack/kafka-broker.js';
import { startSchemaRegistry } from '../schemas/index.js';
import type { WrittenBatch } from '../sinks/clickhouse/batch-flusher.js';
import { startClickHouseSink } from '../sinks/clickhouse/clickhouse-sink.js';
import { orderId, plantOrder, writePlantRecords } from '../sinks/clickhouse/testing/pipeline-fixtures.js';
import { plantConnectorLookup } from '../transformers/testing/plant-connector.js';
import { RawWriter } from '../transformers/testing/raw-writer.js';
import { ensureTransformerTopics } from '../transformers/transformer-topics.js';
import { TransformerWorker } from '../transformers/worker.js';
import { processCpuSeconds } from './process-cpu.js';

/**
 * End-to-end throughput and latency, raw topic → ClickHouse: raw records as the producer writes
 * them (plant test connector: vendors, purchase orders with 3 lines), the transformer, the
 * ClickHouse sink on embedded ClickHouse (raw_records, entity tables, events).
 *
 *  1. throughput: N raw records written first, then the transformer and the sink start; the clock
 *     runs until ClickHouse acknowledged the last entity row.
 *  2. latency: records written at a steady rate for a while (what is due, every `--write-ms`,
 *     as a connector writes pages); for each entity row, the time from its capture (the raw record's version, taken when the raw message is built and sent) to
 *     ClickHouse acknowledging the insert that holds it (the row is queryable from then on).
 *
 *   npm run bench -- [records=100000] [--transformer=process|inline] [--rate=records/s] [--seconds=20] [--write-ms=100] [--flush-ms=1000] [--partitions=3]
 *
 * `process` (default) runs the transformer as its own process, the way two cores are best used;
 * `inline` runs everything in this one process, as `millrace start` does.
 */
const args = process.argv.slice(2);
const flag = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const TOTAL = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 100_000);
const MODE = flag('transformer') ?? 'process';
const SECONDS = Number(flag('seconds') ?? 20);
/** The sink's flush interval (MILLRACE_SINK_FLUSH_INTERVAL_MS in a deployment): longer means fewer, larger inserts. */
const FLUSH_MS = Number(flag('flush-ms') ?? 1_000);
const PARTITIONS = Number(flag('partitions') ?? 3);
/** How often the latency phase writes what is due: a connector writes pages, not single records. */
const WRITE_MS = Number(flag('write-ms') ?? 100);
/** MILLRACE_BENCH_HEAP=default: V8's own heap growth instead of the one `millrace start` and `worker` set (platform/heap.ts). */
const DEFAULT_HEAP = process.env.MILLRACE_BENCH_HEAP === 'default';
if (!DEFAULT_HEAP) relaxHeapGrowth();
/** MILLRACE_BENCH_TRANSFORMER_FLAGS: extra node flags for the transformer process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`. */
const TRANSFORMER_FLAGS = process.env.MILLRACE_BENCH_TRANSFORMER_FLAGS?.split(' ').filter(Boolean) ?? [];
/** MILLRACE_BENCH_STEADY_PROFILE=<file>: a V8 CPU profile of this process (the sink, ClickHouse's calls, the raw writer) during the latency phase. */
const STEADY_PROFILE = process.env.MILLRACE_BENCH_STEADY_PROFILE;
const ENTITY_TABLES = new Set(['vendors', 'purchase_orders']);

async function startCpuProfile(): Promise<{ stop: () => Promise<object> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const { brokers } = await resolveBrokers(config, logger);
  const kafka = createKafka({ brokers, clientId: 'millrace-bench-pipeline', logger });
  const prefix = `bench-pipeline-${randomUUID().slice(0, 8)}.`;
  const ownRegistry = config.SCHEMA_REGISTRY_URL ? null : await startSchemaRegistry({ kafka, topic: `${prefix}_schemas`, port: 0, logger });
  const registryUrl = config.SCHEMA_REGISTRY_URL ?? ownRegistry!.url;
  const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`machine: ${os.cpus().length} cores (${cpuModel}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; load average before: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}\n`);
  process.stdout.write(`pipeline: raw → transformer (${MODE === 'process' ? 'own process' : 'this process'}) → ClickHouse sink (this process, embedded ClickHouse, flush every ${FLUSH_MS} ms); ${PARTITIONS} partitions per topic\n\n`);

  const admin = kafka.admin();
  await admin.connect();
  await ensureTransformerTopics(admin, { prefix, partitions: PARTITIONS, replicationFactor: 1 });
  const writer = new RawWriter(kafka, prefix);
  await writer.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-bench-pipeline-'));
  const clickhouse = await openClickHouse({ database: 'bench', dataDir });

  let rows = 0;
  let latencies: number[] = [];
  let sinkLatencies: number[] = [];
  const onBatchWritten = (batch: WrittenBatch) => {
    for (const table of batch.tables) {
      if (!ENTITY_TABLES.has(table.table)) continue;
      rows += table.rows;
      for (const captured of table.capturedAtMs) latencies.push(batch.writtenAt - captured);
      for (const published of table.publishedAtMs) sinkLatencies.push(batch.writtenAt - published);
    }
  };

  // 1. Throughput.
  process.stdout.write(`1. throughput: ${TOTAL.toLocaleString('en')} raw records written first (30 % vendors, 70 % orders)\n`);
  const connection = 'bench-plant';
  const vendors = Math.round(TOTAL * 0.3);
  await writePlantRecords(writer, connection, { vendors, orders: TOTAL - vendors }, 2_000);
  const cpuBefore = process.cpuUsage();
  const brokerPid = brokerStatus().pid;
  const brokerBefore = processCpuSeconds(brokerPid);
  const started = performance.now();
  let child: ChildProcess | null = null;
  let inline: TransformerWorker | null = null;
  if (MODE === 'process') {
    child = spawn(process.execPath, [...(DEFAULT_HEAP ? [] : [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]), ...TRANSFORMER_FLAGS, '--import', 'tsx', 'transformers/testing/transformer-process.ts'], {
      env: { ...process.env, KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl, MILLRACE_TOPIC_PREFIX: prefix, MILLRACE_TOPIC_PARTITIONS: String(PARTITIONS), MILLRACE_WORKER_ID: 'bench', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } else {
    inline = new TransformerWorker({ kafka, prefix, workerId: 'bench', logger, registryUrl, partitions: PARTITIONS, connectorLookup: plantConnectorLookup });
    await inline.start();
  }
  const sink = await startClickHouseSink({ kafka, clickhouse, registryUrl, topicPrefix: prefix, logger, partitions: PARTITIONS, flushIntervalMs: FLUSH_MS, onBatchWritten });
  while (rows < TOTAL) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - started) / 1_000;
  const cpu = process.cpuUsage(cpuBefore);
  const sinkCpu = (cpu.user + cpu.system) / 1e6;
  // The transformer process started with the clock, so its whole CPU time counts.
  const transformerCpu = processCpuSeconds(child?.pid);
  const brokerAfter = processCpuSeconds(brokerPid);
  const brokerCpu = brokerBefore === null || brokerAfter === null ? null : brokerAfter - brokerBefore;
  process.stdout.write(
    `   ${Math.round(TOTAL / seconds).toLocaleString('en').padStart(7)} records/s end to end (${TOTAL.toLocaleString('en')} in ${seconds.toFixed(1)} s; this process used ${sinkCpu.toFixed(1)} CPU s incl. ClickHouse threads)\n`,
  );
  const perRecord = (cpuSeconds: number | null) => (cpuSeconds === null ? 'n/a' : `${Math.round((cpuSeconds / TOTAL) * 1e6)} µs`);
  process.stdout.write(
    `   CPU per record: ${MODE === 'process' ? `transformer ${perRecord(transformerCpu)} (incl. its start-up), sink with ClickHouse ${perRecord(sinkCpu)}` : `this process ${perRecord(sinkCpu)}`}, broker ${perRecord(brokerCpu)}\n`,
  );
  latencies.sort((a, b) => a - b);
  process.stdout.write(`   (backlog latency, capture → queryable: p50 ${(percentile(latencies, 50) / 1000).toFixed(1)} s, p99 ${(percentile(latencies, 99) / 1000).toFixed(1)} s — queueing behind the backlog, not the pipeline's own delay)\n\n`);

  // 2. Latency at a steady rate under capacity.
  const rate = Number(flag('rate') ?? Math.max(100, Math.round((TOTAL / seconds) * 0.6)));
  process.stdout.write(`2. latency: ${rate.toLocaleString('en')} records/s for ${SECONDS} s (60 % of the measured throughput unless --rate)\n`);
  latencies = [];
  sinkLatencies = [];
  rows = 0;
  const steadyCpuBefore = { self: process.cpuUsage(), transformer: processCpuSeconds(child?.pid), broker: processCpuSeconds(brokerPid) };
  const profiler = STEADY_PROFILE ? await startCpuProfile() : null;
  const steadyStart = performance.now();
  let sent = 0;
  let index = TOTAL;
  let lastWrite = Number.NEGATIVE_INFINITY;
  while (performance.now() - steadyStart < SECONDS * 1_000) {
    const now = performance.now();
    const due = Math.floor(((now - steadyStart) / 1_000) * rate);
    if (sent < due && now - lastWrite >= WRITE_MS) {
      lastWrite = now;
      const count = due - sent;
      const ids = Array.from({ length: count }, (_, i) => index + i);
      await writer.upserts({ connectionId: connection, entity: 'purchase_order', stream: 'purchase_orders' }, ids.map((i) => ({ remoteId: orderId(i), body: plantOrder(i, vendors) })));
      index += count;
      sent += count;
    } else {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const deadline = performance.now() + 60_000;
  while (rows < sent && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const steadySeconds = (performance.now() - steadyStart) / 1_000;
  if (profiler) fs.writeFileSync(STEADY_PROFILE!, JSON.stringify(await profiler.stop()));
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    `   p50 ${Math.round(percentile(latencies, 50))} ms, p99 ${Math.round(percentile(latencies, 99))} ms, max ${Math.round(latencies[latencies.length - 1] ?? Number.NaN)} ms from capture to queryable (${rows.toLocaleString('en')} of ${sent.toLocaleString('en')} records arrived; ${Math.round(rows / steadySeconds).toLocaleString('en')} records/s)\n`,
  );
  const steadySelf = process.cpuUsage(steadyCpuBefore.self);
  const since = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);
  const perArrived = (cpuSeconds: number | null) => (cpuSeconds === null || rows === 0 ? 'n/a' : `${Math.round((cpuSeconds / rows) * 1e6)} µs`);
  process.stdout.write(
    `   CPU per record at this rate: ${MODE === 'process' ? `transformer ${perArrived(since(steadyCpuBefore.transformer, processCpuSeconds(child?.pid)))}, sink with ClickHouse and the raw writer ${perArrived((steadySelf.user + steadySelf.system) / 1e6)}` : `this process with the raw writer ${perArrived((steadySelf.user + steadySelf.system) / 1e6)}`}, broker ${perArrived(since(steadyCpuBefore.broker, processCpuSeconds(brokerPid)))}\n`,
  );
  sinkLatencies.sort((a, b) => a - b);
  process.stdout.write(`   of which the sink (unified message published → queryable): p50 ${Math.round(percentile(sinkLatencies, 50))} ms, p99 ${Math.round(percentile(sinkLatencies, 99))} ms; the rest is the transformer\n`);
  process.stdout.write(`\nsink: ${JSON.stringify(sink.snapshot())}\n`);
  process.stdout.write(`load average after: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')} (other processes share these cores)\n`);

  await sink.stop();
  if (child) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
  await inline?.stop();
  await writer.stop();
  await clickhouse.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const mine = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
  await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
  await ownRegistry?.close();
}

await main();
