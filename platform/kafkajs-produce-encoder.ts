import { createRequire } from 'node:module';
import { crc32cUpdate } from './kafkajs-crc32c.js';

/**
 * The body of a Produce request (versions 3–7, record batch v2) written the way kafkajs 2.2.4
 * writes it, byte for byte, in one buffer sized up front.
 *
 * kafkajs builds every record in its own zero-filled 512-byte Encoder, every header in another,
 * grows them by realloc-and-copy for values over 512 bytes, writes each varint through a
 * temporary array and Buffer, computes 64-bit varints with BigInt, then copies the records into
 * the batch, the batch into the partition, the partition into the topic and the topic into the
 * request. On ~1 KB raw records with nine headers that was about 50 µs of CPU per record, half
 * of the producer's. Here each record is sized first (one Buffer.byteLength per string), then
 * written once into its place; the batch CRC runs over the buffer in place.
 *
 * Anything the fast path does not know (a key, value or header that is not a string or Buffer, a
 * timestamp delta that is not a safe integer) is encoded by kafkajs's own Record encoder and
 * copied in, so the output — and any error kafkajs would throw — stays the same.
 * kafkajs-produce-encoder.unit.test.ts compares the bytes with kafkajs's for many shapes.
 */
const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  size(): number;
  writeInt8(value: number): KafkajsEncoder;
  writeInt16(value: number): KafkajsEncoder;
  writeInt32(value: number): KafkajsEncoder;
  writeInt64(value: unknown): KafkajsEncoder;
  writeString(value: string | null): KafkajsEncoder;
}
type EncoderClass = new (initialSize?: number) => KafkajsEncoder;
interface Codec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>;
}

const Encoder = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: Record<string, unknown>) => KafkajsEncoder;
const { lookupCodec, COMPRESSION_CODEC_MASK } = require('kafkajs/src/protocol/message/compression/index.js') as {
  lookupCodec(type: number): Codec | null;
  COMPRESSION_CODEC_MASK: number;
};
const Long = require('kafkajs/src/utils/long.js') as { fromInt(value: number): unknown };

const MAGIC_BYTE = 2;
const TRANSACTIONAL_MASK = 16;
/** partition(4) + record_set size(4) + firstOffset(8) + length(4) + leaderEpoch(4) + magic(1) + crc(4) */
const PARTITION_PREFIX_BYTES = 29;
/** attributes … firstSequence (2+4+8+8+8+2+4) + record count (4): what the CRC covers before the records */
const BATCH_HEADER_BYTES = 40;

type Bytes = Buffer | string | null | undefined;
type HeaderValue = Buffer | string | (Buffer | string)[] | null | undefined;

export interface ProduceMessage {
  key?: Bytes;
  value: Bytes;
  headers?: Record<string, HeaderValue>;
  timestamp?: string | number;
  partition?: number;
}

export interface ProducePartition {
  partition: number;
  messages: ProduceMessage[];
  firstSequence?: number;
}

export interface ProduceTopic {
  topic: string;
  partitions: ProducePartition[];
}

export interface ProduceBody {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: ProduceTopic[];
}

/** One record's layout, found by the sizing pass and used by the writing pass. */
interface RecordPlan {
  bodySize: number;
  timestampDelta: number;
  /** Object.keys(headers), as kafkajs walks them. */
  headerNames: string[] | null;
  headerCount: number;
  /** kafkajs's own bytes for a record the fast path does not encode. */
  fallback: Buffer | null;
}

/** Encodes the whole Produce request body; returns a kafkajs Encoder holding it. */
export async function encodeProduceBody(body: ProduceBody): Promise<KafkajsEncoder> {
  const compression = body.compression ?? 0;
  const transactional = !!body.transactionalId;
  const producerId = body.producerId ?? Long.fromInt(-1);
  const producerEpoch = body.producerEpoch ?? 0;
  const head = new Encoder().writeString(body.transactionalId ?? null).writeInt16(body.acks).writeInt32(body.timeout).writeInt32(body.topicData.length);
  const topics: { head: Buffer; batches: PartitionBatch[] }[] = [];
  let total = head.size();
  for (const topic of body.topicData) {
    const topicHead = new Encoder().writeString(topic.topic).writeInt32(topic.partitions.length).buffer;
    total += topicHead.length;
    const batches: PartitionBatch[] = [];
    for (const data of topic.partitions) {
      const batch = await planBatch(data, { compression, transactional, producerId, producerEpoch });
      total += PARTITION_PREFIX_BYTES + BATCH_HEADER_BYTES + batch.recordBytes;
      batches.push(batch);
    }
    topics.push({ head: topicHead, batches });
  }

  const out = Buffer.allocUnsafe(total);
  let offset = head.buffer.copy(out, 0);
  for (const topic of topics) {
    offset += topic.head.copy(out, offset);
    for (const batch of topic.batches) offset = writeBatch(out, offset, batch);
  }
  const encoder = new Encoder(0);
  encoder.buf = out;
  encoder.offset = offset;
  return encoder;
}

interface BatchOptions {
  compression: number;
  transactional: boolean;
  producerId: unknown;
  producerEpoch: number;
}

interface PartitionBatch {
  partition: number;
  header: Buffer;
  messages: ProduceMessage[];
  plans: RecordPlan[] | null;
  /** Compressed record bytes, when the batch is compressed. */
  compressed: Buffer | null;
  recordBytes: number;
}

/** Timestamps, deltas and sizes of a partition's records, as kafkajs's Produce v3 encoder picks them. */
async function planBatch(data: ProducePartition, options: BatchOptions): Promise<PartitionBatch> {
  const { messages } = data;
  const dateNow = Date.now();
  const messageTimestamps = messages
    .map((message) => message.timestamp)
    .filter((timestamp) => timestamp != null)
    .sort();
  const timestamps: (string | number)[] = messageTimestamps.length === 0 ? [dateNow] : (messageTimestamps as (string | number)[]);
  const firstTimestamp = timestamps[0]!;
  const maxTimestamp = timestamps[timestamps.length - 1]!;

  const plans: RecordPlan[] = new Array(messages.length);
  let recordBytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    // The same expression as kafkajs: a string timestamp minus a string first timestamp is a number.
    const timestampDelta = ((message.timestamp || dateNow) as number) - (firstTimestamp as number);
    const plan = planRecord(message, i, timestampDelta);
    plans[i] = plan;
    recordBytes += plan.fallback ? plan.fallback.length : sizeOfVarInt(plan.bodySize) + plan.bodySize;
  }

  const codecBits = options.compression & COMPRESSION_CODEC_MASK;
  const header = new Encoder()
    .writeInt16(codecBits | (options.transactional ? TRANSACTIONAL_MASK : 0))
    .writeInt32(messages.length - 1)
    .writeInt64(firstTimestamp)
    .writeInt64(maxTimestamp)
    .writeInt64(options.producerId)
    .writeInt16(options.producerEpoch)
    .writeInt32(data.firstSequence ?? 0)
    .writeInt32(messages.length).buffer;

  if (options.compression === 0) return { partition: data.partition, header, messages, plans, compressed: null, recordBytes };
  const records = Buffer.allocUnsafe(recordBytes);
  writeRecords(records, 0, messages, plans);
  const recordsEncoder = new Encoder(0);
  recordsEncoder.buf = records;
  recordsEncoder.offset = records.length;
  const compressed = await lookupCodec(options.compression)!.compress(recordsEncoder);
  return { partition: data.partition, header, messages, plans: null, compressed, recordBytes: compressed.length };
}

function writeBatch(out: Buffer, start: number, batch: PartitionBatch): number {
  const batchSize = 4 + 1 + 4 + BATCH_HEADER_BYTES + batch.recordBytes;
  let offset = out.writeInt32BE(batch.partition, start);
  offset = out.writeInt32BE(8 + 4 + batchSize, offset);
  offset = out.writeInt32BE(0, offset); // firstOffset, int64 0
  offset = out.writeInt32BE(0, offset);
  offset = out.writeInt32BE(batchSize, offset);
  offset = out.writeInt32BE(0, offset); // partitionLeaderEpoch
  offset = out.writeInt8(MAGIC_BYTE, offset);
  const crcAt = offset;
  offset += 4;
  const covered = offset;
  offset += batch.header.copy(out, offset);
  offset = batch.compressed ? offset + batch.compressed.copy(out, offset) : writeRecords(out, offset, batch.messages, batch.plans!);
  out.writeUInt32BE(crc32cUpdate(0, out, covered, offset), crcAt);
  return offset;
}

function writeRecords(out: Buffer, start: number, messages: ProduceMessage[], plans: RecordPlan[]): number {
  let offset = start;
  for (let i = 0; i < messages.length; i++) {
    const plan = plans[i]!;
    if (plan.fallback) {
      offset += plan.fallback.copy(out, offset);
      continue;
    }
    offset = writeRecord(out, offset, messages[i]!, i, plan);
  }
  return offset;
}

/** Sizes a record, or hands it to kafkajs's encoder when the fast path does not know its shape. */
function planRecord(message: ProduceMessage, offsetDelta: number, timestampDelta: number): RecordPlan {
  const { key, value, headers } = message;
  if (!isBytes(key) || !isBytes(value) || !Number.isSafeInteger(timestampDelta) || Math.abs(timestampDelta) > 2 ** 51) return fallback(message, offsetDelta, timestampDelta);
  let size = 1 + sizeOfVarLong(timestampDelta) + sizeOfVarInt(offsetDelta) + sizeOfVarIntBytes(key) + sizeOfVarIntBytes(value);
  let headerCount = 0;
  let headerBytes = 0;
  let headerNames: string[] | null = null;
  if (headers !== undefined) {
    // kafkajs throws on null headers (Object.keys(null)); let it, through the fallback.
    if (headers === null || typeof headers !== 'object') return fallback(message, offsetDelta, timestampDelta);
    headerNames = Object.keys(headers);
    for (const name of headerNames) {
      const headerValue = headers[name];
      const nameBytes = Buffer.byteLength(name);
      const nameSize = sizeOfVarInt(nameBytes) + nameBytes;
      if (Array.isArray(headerValue)) {
        for (const item of headerValue) {
          if (!isPresentBytes(item)) return fallback(message, offsetDelta, timestampDelta);
          headerBytes += nameSize + sizeOfVarIntBytes(item);
        }
        headerCount += headerValue.length;
      } else {
        if (!isPresentBytes(headerValue)) return fallback(message, offsetDelta, timestampDelta);
        headerBytes += nameSize + sizeOfVarIntBytes(headerValue);
        headerCount++;
      }
    }
  }
  size += sizeOfVarInt(headerCount) + headerBytes;
  return { bodySize: size, timestampDelta, headerNames, headerCount, fallback: null };
}

function fallback(message: ProduceMessage, offsetDelta: number, timestampDelta: number): RecordPlan {
  const encoded = Record({ ...message, offsetDelta, timestampDelta }).buffer;
  return { bodySize: 0, timestampDelta, headerNames: null, headerCount: 0, fallback: encoded };
}

function writeRecord(out: Buffer, start: number, message: ProduceMessage, offsetDelta: number, plan: RecordPlan): number {
  let offset = writeVarInt(out, start, plan.bodySize);
  out[offset++] = 0; // attributes
  offset = writeVarLong(out, offset, plan.timestampDelta);
  offset = writeVarInt(out, offset, offsetDelta);
  offset = writeVarIntBytes(out, offset, message.key);
  offset = writeVarIntBytes(out, offset, message.value);
  offset = writeVarInt(out, offset, plan.headerCount);
  const { headerNames } = plan;
  if (headerNames === null) return offset;
  const headers = message.headers!;
  for (const name of headerNames) {
    const headerValue = headers[name] as Buffer | string | (Buffer | string)[];
    if (Array.isArray(headerValue)) {
      for (const item of headerValue) {
        offset = writeVarIntBytes(out, offset, name);
        offset = writeVarIntBytes(out, offset, item);
      }
    } else {
      offset = writeVarIntBytes(out, offset, name);
      offset = writeVarIntBytes(out, offset, headerValue);
    }
  }
  return offset;
}

function isBytes(value: unknown): value is Bytes {
  return value === null || value === undefined || typeof value === 'string' || Buffer.isBuffer(value);
}

/** kafkajs throws on null or undefined header values; those go through it to throw the same. */
function isPresentBytes(value: unknown): value is Buffer | string {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function sizeOfVarInt(value: number): number {
  let encoded = (value << 1) ^ (value >> 31);
  let bytes = 1;
  while ((encoded & 0xffffff80) !== 0) {
    bytes++;
    encoded >>>= 7;
  }
  return bytes;
}

function sizeOfVarIntBytes(value: Bytes): number {
  if (value === null || value === undefined) return 1; // varint -1
  const length = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
  return sizeOfVarInt(length) + length;
}

function zigZag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function sizeOfVarLong(value: number): number {
  let encoded = zigZag64(value);
  let bytes = 1;
  while (encoded >= 128) {
    bytes++;
    encoded = Math.floor(encoded / 128);
  }
  return bytes;
}

function writeVarInt(out: Buffer, start: number, value: number): number {
  let encoded = ((value << 1) ^ (value >> 31)) >>> 0;
  let offset = start;
  while ((encoded & 0xffffff80) !== 0) {
    out[offset++] = (encoded & 0x7f) | 0x80;
    encoded >>>= 7;
  }
  out[offset++] = encoded;
  return offset;
}

function writeVarLong(out: Buffer, start: number, value: number): number {
  let encoded = zigZag64(value);
  let offset = start;
  while (encoded >= 128) {
    out[offset++] = (encoded % 128) | 0x80;
    encoded = Math.floor(encoded / 128);
  }
  out[offset++] = encoded;
  return offset;
}

function writeVarIntBytes(out: Buffer, start: number, value: Bytes): number {
  if (value === null || value === undefined) return writeVarInt(out, start, -1);
  if (typeof value === 'string') {
    const length = Buffer.byteLength(value);
    const offset = writeVarInt(out, start, length);
    return offset + out.write(value, offset, length, 'utf8');
  }
  const offset = writeVarInt(out, start, value.length);
  return offset + value.copy(out, offset);
}
