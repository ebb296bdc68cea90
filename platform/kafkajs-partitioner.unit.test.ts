import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { millraceDefaultPartitioner, murmur2, murmur2OfString } from './kafkajs-partitioner.js';
import { crc32c, crc32cUpdate } from './kafkajs-crc32c.js';

/** Raw topics and transformer-state are co-partitioned by key: Millrace's partitioner must agree with kafkajs's. */
const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;
const { Partitioners } = require('kafkajs') as typeof import('kafkajs');

describe('murmur2', () => {
  it("equals kafkajs's on random bytes of every length up to 100", () => {
    for (let i = 0; i < 3_000; i++) {
      const bytes = randomBytes(i % 101);
      expect(murmur2(bytes)).toBe(kafkajsMurmur2(bytes));
    }
  });

  it("equals kafkajs's on record keys, ASCII or not", () => {
    const keys = ['', 'a', 'ab', 'abc', 'conn-1:V-000001', 'clé:Ölwerk', '東京:🚚', '\u0080', 'x'.repeat(1_000)];
    for (let i = 0; i < 2_000; i++) keys.push(`${randomBytes(6).toString('hex')}:${randomBytes(i % 40).toString('base64')}`);
    for (const key of keys) expect(murmur2OfString(key)).toBe(kafkajsMurmur2(key));
  });
});

describe('millraceDefaultPartitioner', () => {
  const partitionMetadata = [0, 1, 2, 3, 4].map((partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], offlineReplicas: [], partitionErrorCode: 0 }));

  it('picks the partition kafkajs picks for every key, string or Buffer, and honours an explicit partition', () => {
    const ours = millraceDefaultPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 2_000; i++) {
      const key = i % 2 === 0 ? `conn-${i % 7}:PO-${i}` : randomBytes(1 + (i % 30));
      const message = { key, value: null };
      expect(ours({ topic: 't', partitionMetadata, message })).toBe(theirs({ topic: 't', partitionMetadata, message }));
    }
    expect(ours({ topic: 't', partitionMetadata, message: { key: 'k', value: null, partition: 3 } })).toBe(3);
  });

  it('spreads keyless messages round-robin over the partitions that have a leader', () => {
    const partitioner = millraceDefaultPartitioner();
    const metadata = partitionMetadata.map((entry) => (entry.partitionId === 2 ? { ...entry, leader: -1 } : entry));
    const picked = Array.from({ length: 8 }, () => partitioner({ topic: 't', partitionMetadata: metadata, message: { value: 'v' } }));
    expect(new Set(picked)).toEqual(new Set([0, 1, 3, 4]));
  });
});

describe('crc32c', () => {
  it("equals kafkajs's on random buffers, whole or fed in pieces", () => {
    for (let i = 0; i < 1_000; i++) {
      const bytes = randomBytes(i % 257);
      const expected = kafkajsCrc32c(bytes);
      expect(crc32c(bytes)).toBe(expected);
      const cut = i % (bytes.length + 1);
      expect(crc32cUpdate(crc32cUpdate(0, bytes, 0, cut), bytes, cut)).toBe(expected);
    }
  });
});
