import type { Admin, Batch, Kafka, KafkaMessage, Message } from 'kafkajs';
import { rawHeaders } from '../../../platform/raw-record.js';
import { ENTITY_PLURALS, type UnifiedCodec } from '../../../schemas/index.js';
import type { SinkMessage } from '../converters/sink-message.js';
import type { PlantOrder, PlantVendor } from '../../../transformers/testing/plant-connector.js';
import type { RawWriter } from '../../../transformers/testing/raw-writer.js';
import { groupPositions, topicOffsets } from '../../../platform/kafka.js';

/**
 * Raw records for the pipeline tests and benchmark, in the plant test connector's source shapes
 * (SAP-style `/Date(ms)/` timestamps, YY1_ custom fields, order lines), and helpers to tell when
 * a stage has caught up and to read every unified message back through the registry.
 */
export const vendorId = (index: number) => `V-${String(index).padStart(7, '0')}`;
export const orderId = (index: number) => `PO-${String(index).padStart(7, '0')}`;

export function plantVendor(index: number): PlantVendor {
  return { VendorId: vendorId(index), Name: `Supplier ${index} GmbH`, Currency: index % 3 === 0 ? 'USD' : 'EUR', Created: `/Date(${1_700_000_000_000 + index * 1_000})/`, Blocked: index % 17 === 0, YY1_Rating: 'A' };
}

export function plantOrder(index: number, vendors: number): PlantOrder {
  return {
    OrderId: orderId(index),
    Supplier: vendorId(index % vendors),
    Status: index % 4 === 0 ? 'done' : 'open',
    OrderDate: `/Date(${1_700_000_000_000 + index * 1_000})/`,
    Currency: 'EUR',
    Note: 'Deliver to gate 3; certificates of conformity required for every batch.',
    Lines: Array.from({ length: 3 }, (_, line) => ({ Item: (line + 1) * 10, Material: `MAT-${(index + line) % 500}`, Quantity: line + 1, Price: 12.5 + line })),
    YY1_Project: `P-${index % 40}`,
  };
}

/**
 * Raw messages as the transformer consumes them, without Kafka (in-process benchmarks): `count`
 * plant vendors or orders of one connection, captured one microsecond apart.
 */
export function plantRawMessages(connectionId: string, entity: 'vendor' | 'purchase_order', count: number, vendors: number): KafkaMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    key: Buffer.from(`${connectionId}:${entity === 'vendor' ? vendorId(i) : orderId(i)}`),
    value: Buffer.from(JSON.stringify(entity === 'vendor' ? plantVendor(i) : plantOrder(i, vendors))),
    headers: rawHeaders({ connectionId, sourceSystem: 'millrace_plant', entity, stream: ENTITY_PLURALS[entity], op: 'upsert', syncRunId: 'bench-run', capturedAtMicros: 1_796_000_000_000_000n + BigInt(i) }),
    offset: String(i),
    timestamp: '0',
    attributes: 0,
  }));
}

/** A message a producer would send, as the sink would read it back at `offset` of partition 0. */
export function asSinkMessage(topic: string, offset: number, message: Message | KafkaMessage): SinkMessage {
  const bytes = (data: Buffer | string | null | undefined) => (data === null || data === undefined ? null : Buffer.isBuffer(data) ? data : Buffer.from(data));
  return { topic, partition: 0, offset: String(offset), timestamp: '0', key: bytes(message.key), value: bytes(message.value), headers: message.headers };
}

/** Writes vendors then orders in chunks of `chunk`, waiting `pauseMs` between chunks (records arriving over time). */
export async function writePlantRecords(writer: RawWriter, connectionId: string, counts: { vendors: number; orders: number }, chunk = 2_000, pauseMs = 0, onChunk?: (written: number) => void): Promise<void> {
  let written = 0;
  for (let start = 0; start < counts.vendors; start += chunk) {
    const ids = Array.from({ length: Math.min(chunk, counts.vendors - start) }, (_, i) => start + i);
    await writer.upserts({ connectionId, entity: 'vendor', stream: 'vendors' }, ids.map((i) => ({ remoteId: vendorId(i), body: plantVendor(i) })));
    written += ids.length;
    onChunk?.(written);
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  for (let start = 0; start < counts.orders; start += chunk) {
    const ids = Array.from({ length: Math.min(chunk, counts.orders - start) }, (_, i) => start + i);
    await writer.upserts({ connectionId, entity: 'purchase_order', stream: 'purchase_orders' }, ids.map((i) => ({ remoteId: orderId(i), body: plantOrder(i, counts.vendors) })));
    written += ids.length;
    onChunk?.(written);
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/**
 * Whether a consumer group has committed every partition of the topics up to its high watermark,
 * with no pending-batch marker left: past the last record and the transaction markers after it
 * (the ClickHouse sink commits past those, so a caught-up sink shows no lag).
 */
export async function groupCaughtUp(admin: Admin, groupId: string, topics: string[]): Promise<boolean> {
  return (await groupPositions(admin, groupId, topics)).every(({ committed, metadata, high }) => high === 0n || (committed >= high && metadata === ''));
}

/**
 * Reads topics no one writes to any more (read_committed) to each partition's high watermark,
 * handing every batch of records to `onBatch`. Progress counts kafkajs's batch events too: a fetch
 * that held only transaction markers or aborted records never reaches eachBatch, and a killed
 * producer's aborted transaction can leave more than one marker after a partition's last record.
 */
export async function readToEnd(kafka: Kafka, topics: string[], groupId: string, onBatch: (batch: Batch) => Promise<void> | void, timeoutMs = 120_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const highs = new Map<string, bigint>();
  for (const topic of topics) for (const end of await topicOffsets(admin, topic)) highs.set(`${topic}|${end.partition}`, BigInt(end.high));
  await admin.disconnect();
  const reached = new Map<string, bigint>([...highs.keys()].map((key) => [key, 0n]));
  const behind = () => [...highs].filter(([key, high]) => reached.get(key)! < high).map(([key]) => key);
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxBytesPerPartition: 8 << 20 });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = `${payload.topic}|${payload.partition}`;
    const next = BigInt(payload.lastOffset) + 1n;
    if (next > (reached.get(key) ?? 0n)) reached.set(key, next);
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({ eachBatch: async ({ batch }) => onBatch(batch) });
    const deadline = Date.now() + timeoutMs;
    while (behind().length > 0) {
      if (Date.now() > deadline) throw new Error(`not at the end of ${behind().join(', ')} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await consumer.disconnect();
  }
}

/** Reads every message of the topics (read_committed) and decodes each through the registry. */
export async function decodeEveryMessage(kafka: Kafka, codec: UnifiedCodec, topics: string[], groupId: string): Promise<{ messages: number; failures: string[]; keys: Set<string> }> {
  const outcome = { messages: 0, failures: [] as string[], keys: new Set<string>() };
  await readToEnd(kafka, topics, groupId, async (batch) => {
    for (const message of batch.messages) {
      outcome.messages += 1;
      try {
        const { record } = await codec.decode(message.value!);
        const image = record as unknown as { connection_id: string; remote_id: string };
        const key = `${image.connection_id}:${image.remote_id}`;
        if (key !== message.key?.toString()) outcome.failures.push(`${batch.topic}/${batch.partition}/${message.offset}: key ${message.key} decodes as ${key}`);
        outcome.keys.add(`${batch.topic}|${key}`);
      } catch (error) {
        outcome.failures.push(`${batch.topic}/${batch.partition}/${message.offset}: ${(error as Error).message}`);
      }
    }
  });
  return outcome;
}
