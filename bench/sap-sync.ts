import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { mappedRecordSchema, recordId } from '../schemas/index.js';
import { connectorById } from '../connectors/registry.js';
import { startSapSandbox } from '../connectors/sap-s4hana/sandbox/index.js';
import { loadConfig } from '../platform/config.js';
import type { MillraceEvent } from '../platform/events.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { RAW_HEADERS } from '../platform/raw-record.js';
import { resolveBrokers } from '../platform/services.js';
import { CompactedTopicView } from '../platform/compacted-view.js';
import { ConnectionService } from '../producers/connection-service.js';
import { keyRing } from '../producers/master-keys.js';
import { ProducerWorker } from '../producers/worker.js';
import type { ChangeCursor } from '../connectors/sap-s4hana/change-reader.js';
import { mapPurchaseOrder } from '../connectors/sap-s4hana/mappers/purchase-order.js';
import type { ODataRecord } from '../connectors/sap-s4hana/odata/page.js';
import { readContext, runSync, startHarness } from '../connectors/sap-s4hana/sandbox/test-harness.js';
import { purchaseOrdersStream } from '../connectors/sap-s4hana/streams/purchase-orders.js';

/**
 * Full sync of N sandbox purchase orders (5 items each) through the real SAP connector over
 * loopback HTTP (sandbox and connector share this process and its CPU): every page read with
 * `$expand`, every record mapped and validated against the unified model as the transformer
 * would, then an incremental sync after changes. Prints counts, timings and memory.
 *
 *   npx tsx bench/sap-sync.ts [orders=100000] [pageSize=1000]
 *
 * With `kafka` as third argument, the sync runs instead through the producer runtime (connection
 * service + worker, real Kafka from KAFKA_BROKERS or the local stack) into a raw topic, whose
 * distinct upserted keys are then counted back with a read_committed consumer.
 */
const ORDERS = Number(process.argv[2] ?? 100_000);
const PAGE_SIZE = Number(process.argv[3] ?? 1000);
const MODE = process.argv[4] ?? 'connector';
const SIZES = { purchaseOrders: ORDERS, maintenanceOrders: 10, equipment: 10, businessPartners: 400, products: 2000 };
const CHANGED = 250;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

const context = { connectionId: 'bench', sourceSystem: 'sap_s4hana', idFor: (entity: Parameters<typeof recordId>[1], remoteId: string) => recordId('bench', entity, remoteId) };
const schema = mappedRecordSchema('purchase_order');

async function throughRuntime(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const { brokers } = await resolveBrokers(config, logger);
  const kafka = createKafka({ brokers, clientId: 'millrace-bench-sap', logger });
  const prefix = `bench-sap-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.`;
  const sandbox = await startSapSandbox({ sizes: SIZES });
  const common = { kafka, prefix, partitions: 3, replicationFactor: 1, keyRing: keyRing(randomBytes(32)), logger, connectorLookup: connectorById };
  const service = new ConnectionService(common);
  await service.start();
  const finished: MillraceEvent[] = [];
  const events = new CompactedTopicView({
    kafka,
    topics: [`${prefix}events`],
    groupPrefix: `${prefix}bench-events`,
    logger,
    apply: ({ value }) => {
      const event = value ? (JSON.parse(value.toString()) as MillraceEvent) : null;
      if ((event?.type === 'sync.completed' || event?.type === 'sync.failed') && event.data.stream === 'purchase_orders') finished.push(event);
    },
  });
  await events.start();
  const worker = new ProducerWorker({ ...common, workerId: 'bench-sap' });
  await worker.start();
  const admin = kafka.admin();
  await admin.connect();
  const started = performance.now();
  try {
    await service.create({ system: 'sap_s4hana', name: 'bench', config: { baseUrl: sandbox.baseUrl, username: sandbox.credentials.username, password: sandbox.credentials.password, pageSize: PAGE_SIZE } });
    while (finished.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    const syncSeconds = (performance.now() - started) / 1000;
    const [event] = finished;
    if (event!.type === 'sync.failed') throw new Error(`the sync failed: ${JSON.stringify(event!.data)}`);
    // Count back what is committed on the raw topic.
    const keys = new Set<string>();
    const consumer = kafka.consumer({ groupId: `${prefix}count`, readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: `${prefix}raw.purchase_orders`, fromBeginning: true });
    let lastProgress = Date.now();
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.headers?.[RAW_HEADERS.op]?.toString() === 'upsert' && message.key) keys.add(message.key.toString());
        lastProgress = Date.now();
      },
    });
    while (keys.size < ORDERS && Date.now() - lastProgress < 20_000) await new Promise((resolve) => setTimeout(resolve, 250));
    await consumer.disconnect();
    console.log(JSON.stringify({
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())} RAM, Node ${process.version}`,
      orders_expected: ORDERS,
      runtime_records: event!.data.records,
      raw_topic_distinct_keys: keys.size,
      sync_seconds: +syncSeconds.toFixed(1),
      load_average: os.loadavg().map((load) => +load.toFixed(1)),
    }, null, 2));
    if (keys.size !== ORDERS) process.exitCode = 1;
  } finally {
    await worker.stop();
    await events.stop();
    await service.stop();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
    await sandbox.close();
  }
}

if (MODE === 'kafka') {
  await throughRuntime();
  process.exit(process.exitCode ?? 0);
}

const harness = await startHarness({ sizes: SIZES }, { pageSize: PAGE_SIZE });
try {
  let lines = 0;
  let deleted = 0;
  let pages = 0;
  let cursor: ChangeCursor | null = null;
  const keys = new Set<string>();
  let mappedMs = 0;
  const started = performance.now();
  // Page by page, as the runtime reads (and the transformer maps): raw pages are not kept.
  for await (const page of purchaseOrdersStream.read(harness.client, null, readContext())) {
    pages++;
    cursor = page.cursor;
    const mapStarted = performance.now();
    for (const raw of page.records as ODataRecord[]) {
      const mapped = schema.parse(mapPurchaseOrder(raw, context));
      lines += mapped.lines?.length ?? 0;
      if (mapped.is_deleted) deleted++;
      keys.add(mapped.remote_id);
    }
    mappedMs += performance.now() - mapStarted;
  }
  const totalMs = performance.now() - started;
  const readMs = totalMs - mappedMs;
  const requests = harness.sandbox.state.requestLog.length;

  // Changes, then an incremental sync.
  for (let i = 0; i < CHANGED; i++) harness.sandbox.control.updatePurchaseOrder(String(4500000000 + Math.floor((i * ORDERS) / CHANGED)), { PaymentTerms: '0004' });
  const incrementalStarted = performance.now();
  const incremental = await runSync(purchaseOrdersStream, harness.client, cursor);
  const incrementalMs = performance.now() - incrementalStarted;

  const result = {
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())} RAM, Node ${process.version}`,
    orders_expected: ORDERS,
    distinct_orders_read: keys.size,
    lines_mapped: lines,
    flagged_deleted: deleted,
    pages,
    http_requests: requests,
    total_seconds: +(totalMs / 1000).toFixed(1),
    read_seconds: +(readMs / 1000).toFixed(1),
    map_and_validate_seconds: +(mappedMs / 1000).toFixed(1),
    orders_per_second: Math.round(ORDERS / (totalMs / 1000)),
    incremental_changed: CHANGED,
    incremental_read: incremental.records.length,
    incremental_seconds: +(incrementalMs / 1000).toFixed(2),
    peak_rss: mb(process.memoryUsage().rss),
  };
  console.log(JSON.stringify(result, null, 2));
  if (keys.size !== ORDERS || lines !== ORDERS * 5 || incremental.records.length < CHANGED) {
    console.error('COUNTS DO NOT MATCH');
    process.exitCode = 1;
  }
} finally {
  await harness.close();
}
