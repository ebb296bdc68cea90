import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { CompressionTypes, type Admin } from 'kafkajs';
import { z } from 'zod';
import type { ConnectorDefinition, StreamDefinition } from '../connectors/sdk/types.js';
import { loadConfig } from '../platform/config.js';
import type { MillraceEvent } from '../platform/events.js';
import { createKafka } from '../platform/kafka.js';
import { kafkajsVersion, setFastProduceEnabled } from '../platform/kafkajs-fast-produce.js';
import { createLogger } from '../platform/logger.js';
import { resolveBrokers } from '../platform/services.js';
import { RAW_HEADERS } from '../platform/raw-record.js';
import { brokerStatus } from '../platform/stack/kafka-broker.js';
import { processCpuSeconds } from './process-cpu.js';
import { chunkMessages, upsertMessages } from '../producers/capture-messages.js';
import { CompactedTopicView } from '../platform/compacted-view.js';
import { ConnectionService } from '../producers/connection-service.js';
import { keyRing } from '../producers/master-keys.js';
import { ProducerWorker } from '../producers/worker.js';

/**
 * Raw capture throughput of the producer runtime: an in-process source (no HTTP) yields pages of
 * ~1 KB records as fast as the runtime takes them; the real worker writes each page with its
 * cursor in one Kafka transaction. Prints records/s, MB/s and the CPU per record of Node and of
 * the local broker, per variant, with the machine. Figures and analysis: docs/benchmarks.md.
 *
 *   npx tsx bench/producer-capture.ts [records=200000] [only variants whose name contains this]
 */
const TOTAL = Number(process.argv[2] ?? 200_000);
const ONLY = process.argv[3];

type Kafka = ReturnType<typeof createKafka>;
type Logger = ReturnType<typeof createLogger>;
interface Outcome {
  durationMs: number;
  records: number;
}
interface Variant {
  name: string;
  run(kafka: Kafka, admin: Admin, prefix: string, logger: Logger): Promise<Outcome>;
}

/**
 * The first lines are a bare transactional kafkajs producer with the runtime's messages (5000
 * per transaction, 900 KB per send): kafkajs as shipped, then with Millrace's produce path
 * (platform/kafkajs-fast-produce.ts), then with the cursor header on every record as before.
 * The others run the whole runtime: service, worker, connector, one transaction per page.
 */
const VARIANTS: Variant[] = [
  { name: 'kafkajs 2.2.4 as shipped', run: (kafka, admin, prefix) => withKafkajsEncoding(() => bareProducer(kafka, admin, prefix, { cursorOnEveryRecord: true })) },
  { name: 'kafkajs + fast produce', run: (kafka, admin, prefix) => bareProducer(kafka, admin, prefix, { cursorOnEveryRecord: false }) },
  { name: '  … cursor on every record', run: (kafka, admin, prefix) => bareProducer(kafka, admin, prefix, { cursorOnEveryRecord: true }) },
  { name: 'runtime, page 5000', run: (kafka, _admin, prefix, logger) => runtime(kafka, prefix, logger, { pageSize: 5_000, compression: CompressionTypes.None, connections: 1 }) },
  { name: 'runtime, page 1000', run: (kafka, _admin, prefix, logger) => runtime(kafka, prefix, logger, { pageSize: 1_000, compression: CompressionTypes.None, connections: 1 }) },
  { name: 'runtime, page 5000, gzip', run: (kafka, _admin, prefix, logger) => runtime(kafka, prefix, logger, { pageSize: 5_000, compression: CompressionTypes.GZIP, connections: 1 }) },
  { name: 'runtime, 2 connections', run: (kafka, _admin, prefix, logger) => runtime(kafka, prefix, logger, { pageSize: 5_000, compression: CompressionTypes.None, connections: 2 }) },
];

interface BenchRecord {
  id: string;
  seq: number;
  name: string;
  status: string;
  amount: string;
  currency: string;
  updated_at: string;
  description: string;
}

const filler = 'Preventive maintenance of the conveyor drive: inspect bearings, belt tension and gearbox oil. '.repeat(9).slice(0, 820);

function makeRecord(seq: number): BenchRecord {
  return { id: `PO-${String(seq).padStart(9, '0')}`, seq, name: `Purchase order ${seq}`, status: seq % 7 === 0 ? 'closed' : 'open', amount: (seq * 13.37).toFixed(2), currency: 'EUR', updated_at: new Date(1_700_000_000_000 + seq * 1000).toISOString(), description: filler };
}

const stream: StreamDefinition<{ pageSize: number; total: number }, BenchRecord, { since: number }> = {
  name: 'records',
  entity: 'purchase_order',
  primaryKey: 'id',
  cursorField: 'seq',
  syncMode: 'incremental',
  defaultIntervalSeconds: 86_400,
  remoteId: (raw) => raw.id,
  async *read(client, cursor) {
    let since = cursor?.since ?? 0;
    while (since < client.total) {
      const count = Math.min(client.pageSize, client.total - since);
      const records = Array.from({ length: count }, (_, i) => makeRecord(since + i + 1));
      since += count;
      yield { records, cursor: { since } };
    }
  },
  nextCursor: (cursor, record) => ({ since: Math.max(cursor?.since ?? 0, record.seq) }),
  map: (raw) => ({ remote_id: raw.id }),
};

const benchConnector: ConnectorDefinition<{ pageSize: number; total: number }, { pageSize: number; total: number }> = {
  id: 'bench_source',
  displayName: 'In-process benchmark source',
  authKinds: ['api_key'],
  configSchema: z.object({ pageSize: z.number().int(), total: z.number().int() }),
  connect: (ctx) => ctx.config,
  testConnection: async () => {},
  streams: [stream],
};

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const { brokers } = await resolveBrokers(config, logger);
  const kafka = createKafka({ brokers, clientId: 'millrace-bench', logger });
  const recordBytes = Buffer.byteLength(JSON.stringify(makeRecord(1)));
  const sample = upsertMessages(CAPTURE, [{ remoteId: 'PO-1', body: makeRecord(1) }], '{"since":5000}')[0]!;
  const headerBytes = Object.entries(sample.headers!).reduce((sum, [name, value]) => sum + name.length + String(value).length, 0);
  process.stdout.write(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, kafkajs ${kafkajsVersion()}, brokers ${brokers.join(',')}\n` +
      `records: ${TOTAL} per variant, ${recordBytes} bytes each (JSON value; plus key and ${Object.keys(sample.headers!).length - 1} headers of ~${headerBytes - 40} bytes, the cursor on each page's last record)\n` +
      `the in-process source alone (making the records): ${sourceMicrosPerRecord().toFixed(1)} µs of CPU per record, included in the node figures\n\n`,
  );
  const admin = kafka.admin();
  await admin.connect();
  const created: string[] = [];
  try {
    for (const variant of VARIANTS.filter((entry) => !ONLY || entry.name.includes(ONLY))) {
      const prefix = `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
      const cpu = cpuNow();
      const result = await variant.run(kafka, admin, prefix, logger);
      const used = cpuSince(cpu);
      created.push(...(await admin.listTopics()).filter((topic) => topic.startsWith(prefix)));
      report(variant.name, result, recordBytes, used);
    }
    process.stdout.write(`\nload average after the run: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')} (other processes share these cores)\n`);
  } finally {
    if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => {});
    await admin.disconnect();
  }
}

/** CPU the benchmark's own source spends per record, so it can be told apart from capture. */
function sourceMicrosPerRecord(): number {
  const start = process.cpuUsage();
  let keep = 0;
  for (let i = 0; i < 50_000; i++) keep += makeRecord(i).seq;
  const used = process.cpuUsage(start);
  return keep >= 0 ? (used.user + used.system) / 50_000 : 0;
}

/**
 * Wall-clock figures depend on whatever else runs on the machine; CPU seconds used by this
 * process and by the local broker tell what the capture itself costs.
 */
function report(name: string, result: Outcome, recordBytes: number, cpu: { node: number; broker: number | null }): void {
  const seconds = result.durationMs / 1000;
  const megabytes = (result.records * recordBytes) / 1e6;
  const micros = (cpuSeconds: number) => ((cpuSeconds * 1e6) / result.records).toFixed(1);
  const broker = cpu.broker === null ? 'n/a' : `${micros(cpu.broker)} µs`;
  process.stdout.write(
    `${name.padEnd(28)} ${Math.round(result.records / seconds).toString().padStart(7)} records/s ${(megabytes / seconds).toFixed(1).padStart(5)} MB/s  ` +
      `CPU per record: node ${micros(cpu.node)} µs, broker ${broker}  (${result.records} records in ${seconds.toFixed(2)} s)\n`,
  );
}

const brokerPid = brokerStatus().pid;
function cpuNow(): { node: NodeJS.CpuUsage; broker: number | null } {
  return { node: process.cpuUsage(), broker: brokerCpuSeconds() };
}
function cpuSince(start: { node: NodeJS.CpuUsage; broker: number | null }): { node: number; broker: number | null } {
  const used = process.cpuUsage(start.node);
  const broker = brokerCpuSeconds();
  return { node: (used.user + used.system) / 1e6, broker: broker === null || start.broker === null ? null : broker - start.broker };
}
/** utime + stime of the local broker; null when it is not ours or not visible. */
function brokerCpuSeconds(): number | null {
  return processCpuSeconds(brokerPid);
}

const CAPTURE = { connectionId: 'bench', sourceSystem: 'bench_source', entity: 'purchase_order', stream: 'records', syncRunId: 'run', passId: 'pass' };

async function withKafkajsEncoding<T>(run: () => Promise<T>): Promise<T> {
  setFastProduceEnabled(false);
  try {
    return await run();
  } finally {
    setFastProduceEnabled(true);
  }
}

/** The runtime's raw messages, 5000 per transaction, 900 KB per send, through one bare producer. */
async function bareProducer(kafka: Kafka, admin: Admin, prefix: string, options: { cursorOnEveryRecord: boolean }): Promise<Outcome> {
  const topic = `${prefix}raw`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({ transactionalId: topic, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = Date.now();
  for (let since = 0; since < TOTAL; since += 5_000) {
    const records = Array.from({ length: Math.min(5_000, TOTAL - since) }, (_, i) => makeRecord(since + i + 1));
    const cursor = JSON.stringify({ since: since + records.length });
    const messages = upsertMessages(CAPTURE, records.map((body) => ({ remoteId: body.id, body })), cursor);
    if (options.cursorOnEveryRecord) for (const message of messages) message.headers![RAW_HEADERS.cursor] = cursor;
    const transaction = await producer.transaction();
    for (const chunk of chunkMessages([{ topic, messages }], 900_000)) await transaction.sendBatch({ topicMessages: chunk, acks: -1 });
    await transaction.commit();
  }
  const durationMs = Date.now() - started;
  await producer.disconnect();
  return { durationMs, records: TOTAL };
}

/**
 * The whole runtime. With several connections the records are split between them and the
 * duration is wall time from the first create to the last sync.completed; with one it is the
 * sync run's own duration.
 */
async function runtime(kafka: Kafka, prefix: string, logger: Logger, options: { pageSize: number; compression: CompressionTypes; connections: number }): Promise<Outcome> {
  const ring = keyRing(randomBytes(32));
  const common = { kafka, prefix, partitions: 3, replicationFactor: 1, keyRing: ring, logger, connectorLookup: (id: string) => (id === benchConnector.id ? benchConnector : undefined) };
  const service = new ConnectionService(common);
  await service.start();
  const completed: MillraceEvent[] = [];
  const events = new CompactedTopicView({
    kafka,
    topics: [`${prefix}events`],
    groupPrefix: `${prefix}bench-events`,
    logger,
    apply: ({ value }) => {
      const event = value ? (JSON.parse(value.toString()) as MillraceEvent) : null;
      if (event?.type === 'sync.completed' || event?.type === 'sync.failed') completed.push(event);
    },
  });
  await events.start();
  const worker = new ProducerWorker({ ...common, workerId: 'bench', settings: { compression: options.compression } });
  await worker.start();
  try {
    const started = Date.now();
    const share = Math.ceil(TOTAL / options.connections);
    for (let i = 0; i < options.connections; i++) {
      await service.create({ system: benchConnector.id, name: `bench-${i}`, config: { pageSize: options.pageSize, total: Math.min(share, TOTAL - i * share) } });
    }
    while (completed.length < options.connections) await new Promise((resolve) => setTimeout(resolve, 20));
    const wallMs = Date.now() - started;
    const failed = completed.find((event) => event.type === 'sync.failed');
    if (failed) throw new Error(`the benchmark sync failed: ${JSON.stringify(failed.data)}`);
    const records = completed.reduce((sum, event) => sum + Number(event.data.records), 0);
    return { durationMs: options.connections === 1 ? Number(completed[0]!.data.duration_ms) : wallMs, records };
  } finally {
    await worker.stop();
    await events.stop();
    await service.stop();
  }
}

await main();
process.exit(0);
