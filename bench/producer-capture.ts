import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { CompressionTypes, type Admin } from 'kafkajs';
import { z } from 'zod';
import type { ConnectorDefinition, StreamDefinition } from '../connectors/sdk/types.js';
import { loadConfig } from '../platform/config.js';
import type { MillraceEvent } from '../platform/events.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { resolveBrokers } from '../platform/services.js';
import { brokerStatus } from '../platform/stack/kafka-broker.js';
import { chunkMessages, upsertMessages } from '../producers/capture-messages.js';
import { CompactedTopicView } from '../producers/compacted-view.js';
import { ConnectionService } from '../producers/connection-service.js';
import { keyRing } from '../producers/master-keys.js';
import { ProducerWorker } from '../producers/worker.js';

/**
 * Raw capture throughput of the producer runtime: an in-process source (no HTTP) yields pages of
 * ~1 KB records as fast as the runtime takes them; the real worker writes each page with its
 * cursor in one Kafka transaction. Prints records/s and MB/s per variant, with the machine.
 *
 *   npx tsx bench/producer-capture.ts [records=200000]
 */
const TOTAL = Number(process.argv[2] ?? 200_000);
/** Each variant runs the whole runtime (service, worker, connector, transactions); the first
 *  line is bare kafkajs with the same messages, the ceiling the runtime works under. */
const VARIANTS = [
  { name: 'page 5000, no compression', pageSize: 5_000, compression: CompressionTypes.None },
  { name: 'page 2000, no compression', pageSize: 2_000, compression: CompressionTypes.None },
  { name: 'page 5000, gzip', pageSize: 5_000, compression: CompressionTypes.GZIP },
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
  process.stdout.write(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, kafkajs 2.2.4, brokers ${brokers.join(',')}\n` +
      `records: ${TOTAL} per variant, ${recordBytes} bytes each (JSON value; plus key and 9 headers)\n\n`,
  );
  const admin = kafka.admin();
  await admin.connect();
  const created: string[] = [];
  try {
    const baselinePrefix = `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
    let cpu = cpuNow();
    const baseline = await kafkajsBaseline(kafka, admin, `${baselinePrefix}raw`);
    created.push(`${baselinePrefix}raw`);
    report('kafkajs alone (ceiling)', baseline, recordBytes, cpuSince(cpu));
    for (const variant of VARIANTS) {
      const prefix = `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
      cpu = cpuNow();
      const result = await runVariant(kafka, prefix, logger, variant.pageSize, variant.compression);
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

/**
 * Wall-clock figures depend on whatever else runs on the machine; CPU seconds used by this
 * process and by the local broker tell what the capture itself costs.
 */
function report(name: string, result: { durationMs: number; records: number }, recordBytes: number, cpu: { node: number; broker: number | null }): void {
  const seconds = result.durationMs / 1000;
  const megabytes = (result.records * recordBytes) / 1e6;
  const broker = cpu.broker === null ? 'n/a' : `${cpu.broker.toFixed(1)} s`;
  process.stdout.write(
    `${name.padEnd(28)} ${Math.round(result.records / seconds).toString().padStart(8)} records/s  ${(megabytes / seconds).toFixed(1).padStart(6)} MB/s  ` +
      `(${result.records} records in ${seconds.toFixed(2)} s; CPU: node ${cpu.node.toFixed(1)} s, broker ${broker}; ${Math.round(result.records / cpu.node)} records per node CPU-second)\n`,
  );
}

const brokerPid = brokerStatus().pid;
const TICKS_PER_SECOND = 100;
function cpuNow(): { node: NodeJS.CpuUsage; broker: number | null } {
  return { node: process.cpuUsage(), broker: brokerCpuSeconds() };
}
function cpuSince(start: { node: NodeJS.CpuUsage; broker: number | null }): { node: number; broker: number | null } {
  const used = process.cpuUsage(start.node);
  const broker = brokerCpuSeconds();
  return { node: (used.user + used.system) / 1e6, broker: broker === null || start.broker === null ? null : broker - start.broker };
}
/** utime + stime of the local broker from /proc (Linux); null when it is not ours or not visible. */
function brokerCpuSeconds(): number | null {
  if (!brokerPid) return null;
  try {
    const fields = fs.readFileSync(`/proc/${brokerPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The same raw messages (key, value, 9 headers), 5000 per transaction, 900 KB per send. */
async function kafkajsBaseline(kafka: ReturnType<typeof createKafka>, admin: Admin, topic: string): Promise<{ durationMs: number; records: number }> {
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({ transactionalId: topic, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const capture = { connectionId: 'bench', sourceSystem: 'bench_source', entity: 'purchase_order', stream: 'records', syncRunId: 'run', passId: 'pass' };
  const started = Date.now();
  for (let since = 0; since < TOTAL; since += 5_000) {
    const records = Array.from({ length: Math.min(5_000, TOTAL - since) }, (_, i) => makeRecord(since + i + 1));
    const messages = upsertMessages(capture, records.map((body) => ({ remoteId: body.id, body })), JSON.stringify({ since }));
    const transaction = await producer.transaction();
    for (const chunk of chunkMessages([{ topic, messages }], 900_000)) await transaction.sendBatch({ topicMessages: chunk, acks: -1 });
    await transaction.commit();
  }
  const durationMs = Date.now() - started;
  await producer.disconnect();
  return { durationMs, records: TOTAL };
}

async function runVariant(kafka: ReturnType<typeof createKafka>, prefix: string, logger: ReturnType<typeof createLogger>, pageSize: number, compression: CompressionTypes): Promise<{ durationMs: number; records: number }> {
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
  const worker = new ProducerWorker({ ...common, workerId: 'bench', settings: { compression } });
  await worker.start();
  try {
    await service.create({ system: benchConnector.id, name: 'bench', config: { pageSize, total: TOTAL } });
    while (completed.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const [event] = completed;
    if (event!.type === 'sync.failed') throw new Error(`the benchmark sync failed: ${JSON.stringify(event!.data)}`);
    return { durationMs: Number(event!.data.duration_ms), records: Number(event!.data.records) };
  } finally {
    await worker.stop();
    await events.stop();
    await service.stop();
  }
}

await main();
process.exit(0);
