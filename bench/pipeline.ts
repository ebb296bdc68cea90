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
 *     as a connector writes pages); for each entity row, the time from its capture (the raw
 *     record's version, taken when the raw message is built and sent) to ClickHouse
 *     acknowledging the insert that holds it (the row is queryable from then on).
 *  3. sustained: steady rates from the latency phase's, 10 % more each step until a rate falls
 *     behind twice in a row (10 % less each step, when the first does, until one keeps up);
 *     prints the highest rate kept up: the pipeline's sustained records/s.
 *
 *   npm run bench -- [records=100000] [--transformer=process|inline] [--rate=records/s] [--seconds=20] [--write-ms=100] [--flush-ms=1000] [--partitions=3]
 *                    [--sustained-steps=8] [--step-seconds=20]
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
/** Phase 3: steps of this many seconds, each this factor faster, at most this many (`--sustained-steps=0` skips the phase). */
const SUSTAINED_STEPS = Number(flag('sustained-steps') ?? 8);
const STEP_SECONDS = Number(flag('step-seconds') ?? 20);
const STEP_FACTOR = 1.1;
/** A step keeps up when every record is queryable and the p99 stays within this: a growing queue's latency grows with the step. */
const KEPT_UP_P99_MS = 4_000;
/** …and its latency does not climb through the step: a queue growing slowly stays under the p99 bound for a while. */
const KEPT_UP_GROWTH_MS = 1_000;
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

interface SteadyResult {
  sent: number;
  arrived: number;
  arrivedPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Median latency of the step's last quarter minus its first quarter's (ms). */
  growth: number;
  sinkP50: number;
  sinkP99: number;
  /** CPU µs per arrived record, by process (null where it could not be read). */
  cpu: { transformer: number | null; self: number | null; broker: number | null };
}

/**
 * Median latency of the records captured in the last quarter of a step minus that of the records
 * captured in its first quarter: a queue that grows shows here before the p99 tells.
 */
function latencyGrowth(captures: number[], latencies: number[], from: number, to: number): number {
  const quarter = (to - from) / 4;
  const first: number[] = [];
  const last: number[] = [];
  for (let i = 0; i < captures.length; i++) {
    if (captures[i]! < from + quarter) first.push(latencies[i]!);
    else if (captures[i]! >= to - quarter) last.push(latencies[i]!);
  }
  first.sort((a, b) => a - b);
  last.sort((a, b) => a - b);
  return percentile(last, 50) - percentile(first, 50);
}

/** `+1.4 s`, `−0.2 s`, `±0.0 s`. */
function signedSeconds(ms: number): string {
  const text = (Math.abs(ms) / 1000).toFixed(1);
  if (text === '0.0') return '±0.0 s';
  return `${ms > 0 ? '+' : '−'}${text} s`;
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
  /** Capture time (ms) of each entry of `latencies`, in the same order. */
  let captures: number[] = [];
  let sinkLatencies: number[] = [];
  const onBatchWritten = (batch: WrittenBatch) => {
    for (const table of batch.tables) {
      if (!ENTITY_TABLES.has(table.table)) continue;
      rows += table.rows;
      for (const captured of table.capturedAtMs) {
        latencies.push(batch.writtenAt - captured);
        captures.push(captured);
      }
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
  let index = TOTAL;
  const since = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);
  /** Writes `rate` records a second for `seconds` (what is due every WRITE_MS), then waits until they are queryable. */
  const steady = async (rate: number, seconds: number, profile = false): Promise<SteadyResult> => {
    latencies = [];
    captures = [];
    sinkLatencies = [];
    rows = 0;
    const startedAt = Date.now();
    const cpuBefore = { self: process.cpuUsage(), transformer: processCpuSeconds(child?.pid), broker: processCpuSeconds(brokerPid) };
    const profiler = profile ? await startCpuProfile() : null;
    const start = performance.now();
    let sent = 0;
    let lastWrite = Number.NEGATIVE_INFINITY;
    while (performance.now() - start < seconds * 1_000) {
      const now = performance.now();
      const due = Math.floor(((now - start) / 1_000) * rate);
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
    const elapsed = (performance.now() - start) / 1_000;
    if (profiler) fs.writeFileSync(STEADY_PROFILE!, JSON.stringify(await profiler.stop()));
    const growth = latencyGrowth(captures, latencies, startedAt, startedAt + seconds * 1_000);
    latencies.sort((a, b) => a - b);
    sinkLatencies.sort((a, b) => a - b);
    const self = process.cpuUsage(cpuBefore.self);
    const perArrived = (cpuSeconds: number | null) => (cpuSeconds === null || rows === 0 ? null : Math.round((cpuSeconds / rows) * 1e6));
    return {
      sent,
      arrived: rows,
      arrivedPerSecond: rows / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
      growth,
      sinkP50: percentile(sinkLatencies, 50),
      sinkP99: percentile(sinkLatencies, 99),
      cpu: {
        transformer: perArrived(since(cpuBefore.transformer, processCpuSeconds(child?.pid))),
        self: perArrived((self.user + self.system) / 1e6),
        broker: perArrived(since(cpuBefore.broker, processCpuSeconds(brokerPid))),
      },
    };
  };
  const micros = (value: number | null) => (value === null ? 'n/a' : `${value} µs`);

  const rate = Number(flag('rate') ?? Math.max(100, Math.round((TOTAL / seconds) * 0.6)));
  process.stdout.write(`2. latency: ${rate.toLocaleString('en')} records/s for ${SECONDS} s (60 % of the measured throughput unless --rate)\n`);
  const latency = await steady(rate, SECONDS, STEADY_PROFILE !== undefined);
  process.stdout.write(
    `   p50 ${Math.round(latency.p50)} ms, p99 ${Math.round(latency.p99)} ms, max ${Math.round(latency.max)} ms from capture to queryable (${latency.arrived.toLocaleString('en')} of ${latency.sent.toLocaleString('en')} records arrived; ${Math.round(latency.arrivedPerSecond).toLocaleString('en')} records/s)\n`,
  );
  process.stdout.write(
    `   CPU per record at this rate: ${MODE === 'process' ? `transformer ${micros(latency.cpu.transformer)}, sink with ClickHouse and the raw writer ${micros(latency.cpu.self)}` : `this process with the raw writer ${micros(latency.cpu.self)}`}, broker ${micros(latency.cpu.broker)}\n`,
  );
  process.stdout.write(`   of which the sink (unified message published → queryable): p50 ${Math.round(latency.sinkP50)} ms, p99 ${Math.round(latency.sinkP99)} ms; the rest is the transformer\n`);

  // 3. The highest steady rate the pipeline keeps up with.
  if (SUSTAINED_STEPS > 0) {
    process.stdout.write(
      `\n3. sustained: ${STEP_SECONDS} s at each rate, ${Math.round((STEP_FACTOR - 1) * 100)} % faster each step until one falls behind twice in a row (slower, if the first does, until one keeps up).\n` +
        `   A step falls behind when its p99 capture → queryable exceeds ${KEPT_UP_P99_MS / 1000} s, its p50 rises ${KEPT_UP_GROWTH_MS / 1000} s from its first quarter to its last, or a record is not queryable within a minute.\n`,
    );
    const stepKeepsUp = async (stepRate: number): Promise<boolean> => {
      const result = await steady(stepRate, STEP_SECONDS);
      const keptUp = result.arrived === result.sent && result.p99 <= KEPT_UP_P99_MS && result.growth <= KEPT_UP_GROWTH_MS;
      process.stdout.write(
        `   ${stepRate.toLocaleString('en').padStart(6)} records/s: ${keptUp ? 'kept up    ' : 'fell behind'} p50 ${(result.p50 / 1000).toFixed(1)} s, p99 ${(result.p99 / 1000).toFixed(1)} s, p50 ${signedSeconds(result.growth)} first → last quarter; CPU per record ${MODE === 'process' ? `transformer ${micros(result.cpu.transformer)}, sink and writer ${micros(result.cpu.self)}` : `this process ${micros(result.cpu.self)}`}, broker ${micros(result.cpu.broker)}\n`,
      );
      return keptUp;
    };
    // A rate falls behind only twice in a row: one step can meet a passing burst of work (the
    // merges of the backlog's parts, a full garbage collection) that a deployment absorbs.
    const keepsUp = async (stepRate: number): Promise<boolean> => (await stepKeepsUp(stepRate)) || stepKeepsUp(stepRate);
    let stepRate = rate;
    let steps = 1;
    let kept: number | null = null;
    let fellBehind = false;
    if (await keepsUp(stepRate)) {
      kept = stepRate;
      while (steps < SUSTAINED_STEPS && !fellBehind) {
        stepRate = Math.round(stepRate * STEP_FACTOR);
        steps += 1;
        if (await keepsUp(stepRate)) kept = stepRate;
        else fellBehind = true;
      }
    } else {
      // The first rate was too fast already: come down until one keeps up.
      fellBehind = true;
      while (steps < SUSTAINED_STEPS && kept === null) {
        stepRate = Math.round(stepRate / STEP_FACTOR);
        steps += 1;
        if (await keepsUp(stepRate)) kept = stepRate;
      }
    }
    process.stdout.write(
      kept === null
        ? `   sustained: below ${stepRate.toLocaleString('en')} records/s (no step kept up)\n`
        : `   sustained: ${kept.toLocaleString('en')} records/s (the highest rate kept up${fellBehind ? '' : `; none of the ${SUSTAINED_STEPS} steps fell behind`})\n`,
    );
  }
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
