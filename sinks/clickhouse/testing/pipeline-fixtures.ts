import type { Admin, Kafka } from 'kafkajs';
import type { UnifiedCodec } from '../../../schemas/index.js';
import type { PlantOrder, PlantVendor } from '../../../transformers/testing/plant-connector.js';
import type { RawWriter } from '../../../transformers/testing/raw-writer.js';
import { topicOffsets } from '../../../platform/kafka.js';

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
 * Whether a consumer group has committed every partition of the topics up to its end, with no
 * pending-batch marker left. A consumer commits past the last record it was given, never past
 * the transaction markers after it: `transactional` topics end with one commit marker, unless
 * `dataEnds` (readCommittedEnds) says where their records end; after a producer was killed,
 * an aborted transaction can leave more markers than one at a partition's end.
 */
export async function groupCaughtUp(admin: Admin, groupId: string, topics: { name: string; transactional: boolean }[], dataEnds?: ReadonlyMap<string, bigint>): Promise<boolean> {
  const committed = await admin.fetchOffsets({ groupId, topics: topics.map((topic) => topic.name) });
  for (const topic of topics) {
    for (const end of await topicOffsets(admin, topic.name)) {
      const entry = committed.find((candidate) => candidate.topic === topic.name)?.partitions.find((candidate) => candidate.partition === end.partition);
      const high = BigInt(end.high);
      if (high === 0n) continue;
      if (!entry || entry.offset === '-1' || (entry.metadata ?? '') !== '') return false;
      const target = topic.transactional ? (dataEnds?.get(`${topic.name}|${end.partition}`) ?? high - 1n) : high;
      if (BigInt(entry.offset) < target) return false;
    }
  }
  return true;
}

/**
 * For topics no one writes to any more: per `topic|partition`, the offset after the last record a
 * read_committed consumer is given (0 for none), read to each partition's end. kafkajs reports a
 * fetch that held only markers or aborted records as a batch event without calling eachBatch;
 * both count as progress.
 */
export async function readCommittedEnds(kafka: Kafka, topics: string[], groupId: string, timeoutMs = 120_000): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  const highs = new Map<string, bigint>();
  for (const topic of topics) for (const end of await topicOffsets(admin, topic)) highs.set(`${topic}|${end.partition}`, BigInt(end.high));
  await admin.disconnect();
  const dataEnds = new Map<string, bigint>([...highs.keys()].map((key) => [key, 0n]));
  const reached = new Map<string, bigint>([...highs.keys()].map((key) => [key, 0n]));
  const done = () => [...highs].every(([key, high]) => reached.get(key)! >= high);
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxBytesPerPartition: 8 << 20 });
  const progress = (topic: string, partition: number, next: bigint) => {
    const key = `${topic}|${partition}`;
    if (next > (reached.get(key) ?? 0n)) reached.set(key, next);
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => progress(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n));
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const last = batch.messages.at(-1);
      if (last) dataEnds.set(`${batch.topic}|${batch.partition}`, BigInt(last.offset) + 1n);
    },
  });
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) {
      await consumer.disconnect();
      throw new Error(`readCommittedEnds: not at the end of ${[...highs].filter(([key, high]) => reached.get(key)! < high).map(([key]) => key).join(', ')} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await consumer.disconnect();
  return dataEnds;
}

/** Reads every message of the topics (read_committed) and decodes each through the registry. */
export async function decodeEveryMessage(kafka: Kafka, codec: UnifiedCodec, topics: string[], groupId: string): Promise<{ messages: number; failures: string[]; keys: Set<string> }> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  for (const topic of topics) for (const end of await topicOffsets(admin, topic)) ends.set(`${topic}|${end.partition}`, BigInt(end.high));
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxBytesPerPartition: 8 << 20 });
  const outcome = { messages: 0, failures: [] as string[], keys: new Set<string>() };
  const reached = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const check = (topic: string, partition: number, next: bigint) => {
      const key = `${topic}|${partition}`;
      // A transactional partition ends with a commit marker the consumer never sees as a message.
      if (next >= (ends.get(key) ?? 0n) - 1n) reached.add(key);
      if ([...ends.entries()].every(([name, end]) => end === 0n || reached.has(name))) resolve();
    };
    for (const [key, end] of ends) if (end === 0n) reached.add(key);
    consumer
      .run({
        eachBatch: async ({ batch }) => {
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
          check(batch.topic, batch.partition, BigInt(batch.lastOffset()) + 1n);
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return outcome;
}
