import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Admin } from 'kafkajs';
import { startSapSandbox } from '../connectors/sap-s4hana/sandbox/index.js';
import { loadConfig } from '../platform/config.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { resolveBrokers } from '../platform/services.js';
import { topicNames } from '../platform/topics.js';
import { startSchemaRegistry } from '../schemas/index.js';
import { startPipeline, type TestPipeline } from '../test/support/pipeline.js';

/**
 * The SAP bar of CONNECTORS.md: a sync of 100,000 sandbox purchase orders with 5 items each
 * completes and the counts match in ClickHouse. The SAP sandbox (its own process by default, as
 * SAP is another machine; it still shares the cores) → the producer runtime → raw topic → the
 * transformer → unified topic → the ClickHouse sink on embedded ClickHouse, the three stages in
 * one process as `millrace start` runs them (startStages). Prints when each stage finished, the
 * counts, and the machine; exits 1 when a count does not match.
 *
 *   npm run bench -- sap-100k [orders=100000] [--page-size=1000] [--sandbox=process|inline]
 */
const args = process.argv.slice(2).filter((arg) => arg !== 'sap-100k');
const flag = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const ORDERS = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 100_000);
const ITEMS_PER_ORDER = 5;
const PAGE_SIZE = Number(flag('page-size') ?? 1000);
const SANDBOX = flag('sandbox') ?? 'process';
// Small master data: the orders are what is measured (their items point at these products and suppliers).
const SIZES = { purchaseOrders: ORDERS, maintenanceOrders: 10, equipment: 10, businessPartners: 20, products: 50 };
const STALL_MS = 180_000;

interface SandboxHandle {
  baseUrl: string;
  credentials: { username: string; password: string };
  stop(): Promise<void>;
}

/** Child mode: serve the sandbox, print its address as one JSON line, stop on SIGTERM. */
async function serveSandbox(): Promise<void> {
  const sandbox = await startSapSandbox({ seed: 1, sizes: SIZES, itemsPerOrder: ITEMS_PER_ORDER });
  process.stdout.write(`${JSON.stringify({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials })}\n`);
  process.once('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
}

async function startSandbox(): Promise<SandboxHandle> {
  if (SANDBOX === 'inline') {
    const sandbox = await startSapSandbox({ seed: 1, sizes: SIZES, itemsPerOrder: ITEMS_PER_ORDER });
    return { baseUrl: sandbox.baseUrl, credentials: sandbox.credentials, stop: () => sandbox.close() };
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve-sandbox', String(ORDERS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the sandbox process exited with ${code}`)));
  });
  const started = JSON.parse(line) as Omit<SandboxHandle, 'stop'>;
  return {
    ...started,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Records of `topic` past the group's committed offsets (commit markers count as one each). */
async function groupLag(admin: Admin, groupId: string, topic: string): Promise<{ end: number; lag: number }> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  let end = 0;
  let lag = 0;
  for (const partition of await admin.fetchTopicOffsets(topic)) {
    const high = Number(partition.high);
    const done = Number(committed?.partitions.find((entry) => entry.partition === partition.partition)?.offset ?? -1);
    end += high;
    // The committed offset of a partition ends one short of its end: the last commit marker.
    if (high > 0) lag += Math.max(0, high - 1 - Math.max(done, 0));
  }
  return { end, lag };
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

const seconds = (ms: number) => +(ms / 1000).toFixed(1);

async function measure(pipeline: TestPipeline, sandbox: SandboxHandle): Promise<boolean> {
  const names = topicNames(pipeline.prefix);
  const raw = names.raw('purchase_orders');
  const admin = pipeline.kafka.admin();
  await admin.connect();
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const connection = await pipeline.connections.create({
    system: 'sap_s4hana',
    name: 'SAP 100k benchmark',
    config: { baseUrl: sandbox.baseUrl, username: sandbox.credentials.username, password: sandbox.credentials.password, pageSize: PAGE_SIZE },
  });
  const where = { c: connection.id };
  const marks: { capture?: number; transformer?: number; sink?: number } = {};
  let captured = 0;
  let lastProgress = '';
  let lastProgressAt = Date.now();
  let lastPrintAt = 0;
  let peakRss = 0;
  while (marks.sink === undefined) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const run = (await pipeline.connections.syncRuns(connection.id)).streams.purchase_orders?.last_run;
    if (run?.status === 'failed') throw new Error(`the purchase order sync failed: ${run.error?.code}: ${run.error?.message}`);
    if (marks.capture === undefined && run?.status === 'succeeded') {
      marks.capture = Date.parse(run.finished_at!) - started;
      captured = run.records;
    }
    const transformer = await groupLag(admin, `${pipeline.prefix}transformers`, raw);
    if (marks.capture !== undefined && marks.transformer === undefined && transformer.lag === 0) marks.transformer = Date.now() - started;
    const [row] = await pipeline.query<{ n: string }>('SELECT count() AS n FROM purchase_orders WHERE connection_id = {c:String}', where);
    const rows = Number(row!.n);
    if (rows >= ORDERS) marks.sink = Date.now() - started;
    const progress = `${rows}|${transformer.end}|${transformer.lag}`;
    if (progress !== lastProgress) lastProgressAt = Date.now();
    lastProgress = progress;
    if (Date.now() - lastProgressAt > STALL_MS) throw new Error(`no progress for ${STALL_MS / 1000} s at ${rows} orders in ClickHouse`);
    if (Date.now() - lastPrintAt > 15_000) {
      lastPrintAt = Date.now();
      process.stdout.write(`  ${seconds(Date.now() - started).toFixed(0).padStart(5)} s: raw topic ${transformer.end.toLocaleString('en')} messages, transformer behind by ${transformer.lag.toLocaleString('en')}, ClickHouse ${rows.toLocaleString('en')} orders${marks.capture ? ' (capture done)' : ''}\n`);
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  await admin.disconnect();

  // The bar's own query: every order once, without FINAL, and its five lines each.
  const [all] = await pipeline.query<{ n: string }>('SELECT count() AS n FROM purchase_orders');
  const [counts] = await pipeline.query<{ rows: string; orders: string; lines: string }>(
    'SELECT count() AS rows, uniqExact(id) AS orders, sum(length(lines)) AS lines FROM purchase_orders WHERE connection_id = {c:String}',
    where,
  );
  // The flattened view leaves out deleted orders and deleted lines (the sandbox flags some, as SAP users do).
  const [view] = await pipeline.query<{ n: string }>('SELECT count() AS n FROM purchase_order_lines WHERE connection_id = {c:String}', where);
  const [current] = await pipeline.query<{ n: string }>('SELECT sum(arrayCount(line -> NOT line.is_deleted, lines)) AS n FROM purchase_orders FINAL WHERE connection_id = {c:String} AND NOT is_deleted', where);
  const [rawRows] = await pipeline.query<{ n: string }>("SELECT count() AS n FROM raw_records WHERE connection_id = {c:String} AND entity = 'purchase_order'", where);
  const [dead] = await pipeline.query<{ n: string }>('SELECT count() AS n FROM dead_letters WHERE connection_id = {c:String}', where);

  const checks = {
    'SELECT count() FROM purchase_orders': [Number(all!.n), ORDERS],
    'distinct orders': [Number(counts!.orders), ORDERS],
    'sum(length(lines))': [Number(counts!.lines), ORDERS * ITEMS_PER_ORDER],
    'purchase_order_lines (view) = live lines of live orders': [Number(view!.n), Number(current!.n)],
    'raw_records': [Number(rawRows!.n), ORDERS],
    'captured by the sync run': [captured, ORDERS],
    'dead letters': [Number(dead!.n), 0],
  } as const;
  const total = marks.sink!;
  process.stdout.write(
    `\n${JSON.stringify(
      {
        machine: machine(),
        load_average_after: os.loadavg().map((load) => +load.toFixed(1)),
        orders: ORDERS,
        lines: ORDERS * ITEMS_PER_ORDER,
        page_size: PAGE_SIZE,
        sandbox: SANDBOX === 'inline' ? 'in this process' : 'own process',
        seconds_from_connection_created: { capture_done: seconds(marks.capture!), transformer_done: seconds(marks.transformer ?? total), all_in_clickhouse: seconds(total) },
        orders_per_second_end_to_end: Math.round(ORDERS / (total / 1000)),
        millrace_process_cpu_seconds: seconds((cpu.user + cpu.system) / 1000),
        millrace_process_peak_rss_mb: Math.round(peakRss / 2 ** 20),
        counts: Object.fromEntries(Object.entries(checks).map(([name, [got, expected]]) => [name, got === expected ? got : `${got} (expected ${expected})`])),
      },
      null,
      2,
    )}\n`,
  );
  return Object.values(checks).every(([got, expected]) => got === expected);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const { brokers } = await resolveBrokers(config, logger);
  const prefix = `bench-sap100k-${randomUUID().slice(0, 8)}.`;
  const kafka = createKafka({ brokers, clientId: 'millrace-bench-sap-100k', logger });
  const ownRegistry = config.SCHEMA_REGISTRY_URL ? null : await startSchemaRegistry({ kafka, topic: `${prefix}_schemas`, port: 0, logger });
  process.stdout.write(`machine: ${machine()}; load average before: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}\n`);
  process.stdout.write(`SAP sandbox (${SANDBOX === 'inline' ? 'this process' : 'own process'}): ${ORDERS.toLocaleString('en')} purchase orders × ${ITEMS_PER_ORDER} items → producer runtime → transformer → ClickHouse sink (one process, embedded ClickHouse, 3 partitions)\n`);
  const sandbox = await startSandbox();
  let pipeline: TestPipeline | null = null;
  let ok = false;
  try {
    pipeline = await startPipeline({ brokers, registryUrl: config.SCHEMA_REGISTRY_URL ?? ownRegistry!.url, prefix, logLevel: process.env.LOG_LEVEL ?? 'warn' });
    ok = await measure(pipeline, sandbox);
  } finally {
    await pipeline?.stop({ beforeRemovingTopics: async () => ownRegistry?.close() });
    await sandbox.stop();
    if (!pipeline) await ownRegistry?.close();
  }
  if (!ok) {
    process.stderr.write('COUNTS DO NOT MATCH\n');
    process.exitCode = 1;
  }
}

if (process.argv.includes('--serve-sandbox')) await serveSandbox();
else {
  await main();
  process.exit(process.exitCode ?? 0);
}
