import { randomBytes } from 'node:crypto';
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

/**
 * kafkajs 2.2.4's default partitioner, same partition for every key, without its cost: its
 * murmur2 runs on BigInt-backed Longs that grow with the key (~10 µs per 40-byte key, a tenth
 * of the raw producer's CPU per record), and it filters the partition list on every message.
 * Here murmur2 is Java's 32-bit one (Math.imul), on the key's UTF-8 bytes without copying them
 * when the key is ASCII. Raw topics and transformer-state are co-partitioned by key, so any
 * partitioner Millrace uses must agree with kafkajs's; kafkajs-partitioner.unit.test.ts compares
 * both on random keys.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 of a byte sequence, as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  return finish(h, length, (i) => data[i]!);
}

/** murmur2 of a string's UTF-8 bytes; reads char codes directly while the string is ASCII. */
export function murmur2OfString(text: string): number {
  const length = text.length;
  for (let i = 0; i < length; i++) if (text.charCodeAt(i) > 0x7f) return murmur2(Buffer.from(text));
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 8) | (text.charCodeAt(i + 2) << 16) | (text.charCodeAt(i + 3) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  return finish(h, length, (i) => text.charCodeAt(i));
}

function finish(hash: number, length: number, byteAt: (index: number) => number): number {
  let h = hash;
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= byteAt(tail + 2) << 16;
  if (rest >= 2) h ^= byteAt(tail + 1) << 8;
  if (rest >= 1) {
    h ^= byteAt(tail);
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

function keyHash(key: Buffer | string | unknown): number {
  if (typeof key === 'string') return murmur2OfString(key);
  if (Buffer.isBuffer(key)) return murmur2(key);
  return murmur2(Buffer.from(String(key)));
}

/**
 * Drop-in for kafkajs's `Partitioners.DefaultPartitioner`: an explicit partition wins; a key
 * picks `murmur2(key) & 0x7fffffff % partitions`; keyless messages go round-robin over the
 * partitions that have a leader, from a random start per topic.
 */
export const millraceDefaultPartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    const partitions = partitionMetadata.length;
    if (message.key !== null && message.key !== undefined) return (keyHash(message.key) & 0x7fffffff) % partitions;
    const next = ((counters.get(topic) ?? randomBytes(4).readUInt32BE(0)) + 1) >>> 0;
    counters.set(topic, next);
    const available = partitionMetadata.filter((entry) => entry.leader >= 0);
    if (available.length > 0) return available[(next & 0x7fffffff) % available.length]!.partitionId;
    return (next & 0x7fffffff) % partitions;
  };
};
