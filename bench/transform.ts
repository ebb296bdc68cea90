import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { loadConfig } from '../platform/config.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { rawHeaders } from '../platform/raw-record.js';
import { resolveBrokers } from '../platform/services.js';
import { brokerStatus } from '../platform/stack/kafka-broker.js';
import { processCpuSeconds } from './process-cpu.js';
import { topicNames } from '../platform/topics.js';
import { createUnifiedCodec, startSchemaRegistry, type EntityName } from '../schemas/index.js';
import { processChunk } from '../transformers/chunk-processor.js';
import { hashedFields } from '../transformers/field-hash.js';
import { StateTable } from '../transformers/state-table.js';
import { plantConnectorLookup, type PlantOrder, type PlantVendor } from '../transformers/testing/plant-connector.js';
import { RawWriter } from '../transformers/testing/raw-writer.js';
import { ensureTransformerTopics } from '../transformers/transformer-topics.js';
import { TransformerWorker } from '../transformers/worker.js';

/**
 * Transformer throughput. Three figures:
 *  1. the pipeline alone (map → zod → hash → Avro → messages), in process, no Kafka: the CPU
 *     cost of a record;
 *  2. the worker end to end on the broker: raw topics written beforehand, the clock runs from the
 *     worker's start until its committed offsets reach the end of the raw topics (every unified
 *     image, event and state record committed, one transaction per chunk of 1,000);
 *  3. the memory of the change-detection state per million records.
 *
 *   npx tsx bench/transform.ts [records=100000]
 */
const TOTAL = Number(process.argv[2] ?? 100_000);
const CONNECTION = 'bench-conn';

const note = 'Deliver to gate 3, call the shift supervisor on arrival; certificates of conformity required for every batch.';
function vendorRecord(i: number): PlantVendor {
  return { VendorId: `V-${String(i).padStart(8, '0')}`, Name: `Supplier ${i} GmbH`, Currency: 'EUR', Created: `/Date(${1_700_000_000_000 + i * 1000})/`, Blocked: i % 11 === 0, YY1_Rating: 'A', YY1_Audit: i % 2 === 0 };
}
function orderRecord(i: number): PlantOrder {
  return {
    OrderId: `PO-${String(i).padStart(8, '0')}`,
    Supplier: `V-${String(i % 5_000).padStart(8, '0')}`,
    Status: i % 4 === 0 ? 'done' : 'open',
    OrderDate: `/Date(${1_700_000_000_000 + i * 1000})/`,
    Currency: 'EUR',
    Note: note,
    Lines: Array.from({ length: 5 }, (_, l) => ({ Item: (l + 1) * 10, Material: `MAT-${(i + l) % 900}`, Quantity: l + 1, Price: 12.5 + l })),
    YY1_Project: `P-${i % 40}`,
  };
}

const cases: { name: string; entity: EntityName; stream: string; make: (i: number) => PlantVendor | PlantOrder; id: (i: number) => string }[] = [
  { name: 'vendors', entity: 'vendor', stream: 'vendors', make: vendorRecord, id: (i) => vendorRecord(i).VendorId },
  { name: 'purchase orders (5 lines)', entity: 'purchase_order', stream: 'purchase_orders', make: orderRecord, id: (i) => orderRecord(i).OrderId },
];

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const { brokers } = await resolveBrokers(config, logger);
  const kafka = createKafka({ brokers, clientId: 'millrace-bench', logger });
  const cpuModel = os.cpus()[0]?.model.trim();
  process.stdout.write(`machine: ${os.cpus().length} cores (${cpuModel}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, kafkajs 2.2.4, brokers ${brokers.join(',')}\n`);
  const benchPrefix = `bench-tf-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
  const registry = config.SCHEMA_REGISTRY_URL ? null : await startSchemaRegistry({ kafka, topic: topicNames(benchPrefix).schemas, port: 0, logger });
  const registryUrl = config.SCHEMA_REGISTRY_URL ?? registry!.url;
  const admin = kafka.admin();
  await admin.connect();
  try {
    process.stdout.write(`\n1. pipeline alone, in process (records/s of one core)\n`);
    for (const item of cases) await pipelineOnly(item, registryUrl, benchPrefix);
    process.stdout.write(`\n2. worker end to end on the broker, ${TOTAL} raw records per case, written before the worker starts\n`);
    for (const item of cases) {
      for (const processes of [0, 2]) await endToEnd(item, kafka, `${benchPrefix}${item.entity}-${processes}.`, registryUrl, logger, brokers, processes);
    }
    process.stdout.write(`\n3. change-detection state in memory\n`);
    for (const item of cases) stateMemory(item.entity);
    process.stdout.write(`\nload average after the run: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')} (other processes share these cores)\n`);
  } finally {
    const created = (await admin.listTopics()).filter((topic) => topic.startsWith(benchPrefix));
    if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => {});
    await admin.disconnect();
    await registry?.close();
  }
}

async function pipelineOnly(item: (typeof cases)[number], registryUrl: string, prefix: string): Promise<void> {
  const codec = createUnifiedCodec({ registryUrl, topicPrefix: prefix });
  const count = Math.min(TOTAL, 50_000);
  const messages: KafkaMessage[] = Array.from({ length: count }, (_, i) => ({
    key: Buffer.from(`${CONNECTION}:${item.id(i)}`),
    value: Buffer.from(JSON.stringify(item.make(i))),
    headers: rawHeaders({ connectionId: CONNECTION, sourceSystem: 'millrace_plant', entity: item.entity, stream: item.stream, op: 'upsert', syncRunId: 'run', capturedAtMicros: 1_714_557_605_000_000n + BigInt(i) }),
    offset: String(i),
    timestamp: '0',
    attributes: 0,
  }));
  const table = new StateTable(hashedFields(item.entity).length);
  const env = { topics: { unified: 'u', events: 'e', deadLetters: 'd', state: 's' }, codec, pipeline: { connectorLookup: plantConnectorLookup, mappingFor: () => ({}) } };
  await processChunk({ topic: 'raw', partition: 0, entity: item.entity, table: new StateTable(table.fieldCount), messages: messages.slice(0, 100) }, env);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i += 1_000) {
    const result = await processChunk({ topic: 'raw', partition: 0, entity: item.entity, table, messages: messages.slice(i, i + 1_000) }, env);
    for (const [key, state] of result.pending) table.set(key, state);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const rawBytes = messages[0]!.value!.length;
  process.stdout.write(`   ${item.name.padEnd(26)} ${Math.round(count / seconds).toString().padStart(7)} records/s  (${count} records of ${rawBytes} raw bytes in ${seconds.toFixed(2)} s, ${((used.user + used.system) / 1e6).toFixed(1)} CPU s)\n`);
}

/**
 * `processes` 0: one worker in this process; n: n worker processes (a consumer group sharing the
 * partitions, each with its own core), CPU read from /proc.
 */
async function endToEnd(
  item: (typeof cases)[number],
  kafka: ReturnType<typeof createKafka>,
  prefix: string,
  registryUrl: string,
  logger: ReturnType<typeof createLogger>,
  brokers: string[],
  processes: number,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await ensureTransformerTopics(admin, { prefix, partitions: 3, replicationFactor: 1 });
  const writer = new RawWriter(kafka, prefix);
  await writer.start();
  for (let i = 0; i < TOTAL; i += 5_000) {
    const batch = Array.from({ length: Math.min(5_000, TOTAL - i) }, (_, j) => ({ remoteId: item.id(i + j), body: item.make(i + j) }));
    await writer.upserts({ connectionId: CONNECTION, entity: item.entity, stream: item.stream }, batch);
  }
  await writer.stop();
  const rawTopic = topicNames(prefix).raw(item.entity === 'vendor' ? 'vendors' : 'purchase_orders');
  const ends = await admin.fetchTopicOffsets(rawTopic);
  const groupId = `${prefix}transformers`;
  const cpu = { node: process.cpuUsage(), broker: processCpuSeconds(brokerPid) };
  const started = performance.now();
  let worker: TransformerWorker | null = null;
  const children: ChildProcess[] = [];
  const childCpu = new Map<number, number>();
  if (processes === 0) {
    worker = new TransformerWorker({ kafka, prefix, workerId: 'bench', logger, registryUrl, partitions: 3, connectorLookup: plantConnectorLookup });
    await worker.start();
  } else {
    for (let i = 0; i < processes; i++) {
      children.push(
        spawn(process.execPath, ['--import', 'tsx', 'transformers/testing/transformer-process.ts'], {
          env: { ...process.env, KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl, MILLRACE_TOPIC_PREFIX: prefix, MILLRACE_WORKER_ID: `bench-${i}`, LOG_LEVEL: 'warn' },
          stdio: 'ignore',
        }),
      );
    }
  }
  for (;;) {
    for (const child of children) childCpu.set(child.pid!, processCpuSeconds(child.pid) ?? childCpu.get(child.pid!) ?? 0);
    const committed = await admin.fetchOffsets({ groupId, topics: [rawTopic] });
    const done = ends.every((end) => BigInt(committed[0]!.partitions.find((entry) => entry.partition === end.partition)?.offset ?? '-1') >= BigInt(end.high));
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu.node);
  const broker = processCpuSeconds(brokerPid);
  await worker?.stop();
  for (const child of children) child.kill('SIGTERM');
  await admin.disconnect();
  const nodeCpu = processes === 0 ? (used.user + used.system) / 1e6 : [...childCpu.values()].reduce((sum, value) => sum + value, 0);
  const brokerText = broker === null || cpu.broker === null ? 'n/a' : `${(broker - cpu.broker).toFixed(1)} s`;
  const label = `${item.name}, ${processes === 0 ? '1 worker' : `${processes} processes`}`;
  process.stdout.write(
    `   ${label.padEnd(38)} ${Math.round(TOTAL / seconds).toString().padStart(7)} records/s  (${TOTAL} records in ${seconds.toFixed(2)} s including start-up; CPU: transformer ${nodeCpu.toFixed(1)} s, broker ${brokerText}; ${Math.round(TOTAL / nodeCpu)} records per transformer CPU-second)\n`,
  );
}

function stateMemory(entity: EntityName): void {
  const fields = hashedFields(entity).length;
  const count = 1_000_000;
  global.gc?.();
  const before = process.memoryUsage();
  const table = new StateTable(fields);
  const hashes = new Int32Array(fields);
  for (let i = 0; i < count; i++) {
    hashes[0] = i;
    table.set(`${CONNECTION}:${entity === 'vendor' ? 'V' : 'PO'}-${String(i).padStart(8, '0')}`, { hashes, version: 1_714_557_605_000_000 + i, pass: 'pass-1', stream: 'vendors', deleted: false });
  }
  global.gc?.();
  const after = process.memoryUsage();
  const bytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  process.stdout.write(`   ${entity.padEnd(26)} ${(bytes / 2 ** 20).toFixed(0).padStart(5)} MiB per million records (${fields} hashed fields, keys of ${`${CONNECTION}:PO-00000000`.length} characters${global.gc ? '' : '; run with --expose-gc for exact figures'})\n`);
  if (table.size !== count) throw new Error('state table lost entries');
}

const brokerPid = brokerStatus().pid;
await main();
process.exit(0);
