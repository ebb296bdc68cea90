import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeProduceBody, type ProduceBody, type ProduceMessage } from './kafkajs-produce-encoder.js';
import { upsertMessages, deleteMessages, passCompleteMessages } from '../producers/capture-messages.js';

/**
 * The fast encoder must put on the wire exactly what kafkajs 2.2.4 would: the same Produce v3
 * request bytes (record batch, CRC and all) for every shape of message kafkajs accepts, and the
 * same error for the shapes it refuses.
 */
const require = createRequire(import.meta.url);
const kafkajsProduceV3 = require('kafkajs/src/protocol/requests/produce/v3/request.js') as (body: ProduceBody) => { encode(): Promise<{ buffer: Buffer }> };
const Long = require('kafkajs/src/utils/long.js') as { fromInt(value: number): unknown; fromString(value: string): unknown };

const NOW = 1_750_000_000_123;
beforeEach(() => void vi.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => void vi.restoreAllMocks());

function body(messages: ProduceMessage[], overrides: Partial<ProduceBody> = {}): ProduceBody {
  return {
    acks: -1,
    timeout: 30_000,
    transactionalId: 'millrace.src-conn-1',
    producerId: Long.fromString('1234567890123'),
    producerEpoch: 7,
    compression: 0,
    topicData: [{ topic: 'millrace.raw.vendors', partitions: [{ partition: 2, messages, firstSequence: 41 }] }],
    ...overrides,
  };
}

async function expectSameBytes(request: ProduceBody): Promise<Buffer> {
  const expected = (await kafkajsProduceV3(request).encode()).buffer;
  const actual = (await encodeProduceBody(request)).buffer;
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
  return actual;
}

const shapes: Record<string, ProduceMessage[]> = {
  'string key and value': [{ key: 'conn-1:V-1', value: '{"id":"V-1"}' }],
  'Buffer key and value': [{ key: Buffer.from([0, 1, 2, 255]), value: Buffer.from('{"a":1}') }],
  'no key': [{ value: 'v' }, { key: null, value: 'w' }],
  'null value (a delete)': [{ key: 'conn-1:V-2', value: null }],
  'empty key and value': [{ key: '', value: Buffer.alloc(0) }],
  'non-ASCII text': [{ key: 'clé-ü', value: 'Prüfung – Lager 東京 🚚', headers: { 'é-name': 'ñandú 🚚' } }],
  'headers of strings and Buffers': [{ key: 'k', value: 'v', headers: { a: 'x', b: Buffer.from([1, 2, 3]), c: '' } }],
  'arrays of header values': [{ key: 'k', value: 'v', headers: { multi: ['1', Buffer.from('2'), '3'], none: [], one: ['only'] } }],
  'empty headers object': [{ key: 'k', value: 'v', headers: {} }],
  'values over 512 bytes and varints over two bytes': [{ key: 'k'.repeat(300), value: 'x'.repeat(70_000), headers: { big: 'y'.repeat(20_000) } }],
  'message timestamps (numbers and strings)': [
    { key: 'a', value: '1', timestamp: '1750000000000' },
    { key: 'b', value: '2' },
    { key: 'c', value: '3', timestamp: '1749999990000' },
  ],
  'an explicit partition field': [{ key: 'k', value: 'v', partition: 2 }],
};

describe('encodeProduceBody', () => {
  for (const [name, messages] of Object.entries(shapes)) {
    it(`writes kafkajs's bytes: ${name}`, async () => {
      await expectSameBytes(body(messages));
    });
  }

  it("writes kafkajs's bytes for many records over several topics and partitions, transactional or not", async () => {
    const records = Array.from({ length: 300 }, (_, i) => ({ key: `conn-1:PO-${i}`, value: JSON.stringify({ id: i, text: 'z'.repeat(i * 7) }), headers: { n: String(i) } }));
    const topicData = [
      { topic: 't1', partitions: [{ partition: 0, messages: records.slice(0, 100), firstSequence: 0 }, { partition: 1, messages: records.slice(100, 250), firstSequence: 9 }] },
      { topic: 't2', partitions: [{ partition: 0, messages: records.slice(250), firstSequence: 3 }] },
    ];
    await expectSameBytes(body([], { topicData }));
    await expectSameBytes(body([], { topicData, transactionalId: null, producerId: Long.fromInt(-1), producerEpoch: 0, acks: 1 }));
  });

  it("writes kafkajs's bytes for Millrace's raw messages (upserts with the page cursor, deletes, pass_complete)", async () => {
    const ctx = { connectionId: 'conn-1', sourceSystem: 'netsuite', entity: 'vendor', stream: 'vendors', syncRunId: 'run-1', passId: 'pass-1' };
    const upserts = upsertMessages(ctx, [{ remoteId: 'V-1', body: { id: 'V-1', name: 'Ölwerk' } }, { remoteId: 'V-2', body: { id: 'V-2' } }], '{"since":2}');
    const deletes = deleteMessages(ctx, ['V-3'], '{"since":2}');
    const markers = passCompleteMessages(ctx, { id: 'pass-1', started_at: '2026-01-01T00:00:00Z' }, 1);
    await expectSameBytes(body([...upserts, ...deletes, ...markers] as ProduceMessage[]));
  });

  it("writes kafkajs's bytes for an empty partition", async () => {
    await expectSameBytes(body([]));
  });

  it("writes kafkajs's bytes when compressing with gzip", async () => {
    const messages = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `value ${i} `.repeat(20), headers: { h: ['a', 'b'] } }));
    await expectSameBytes(body(messages, { compression: 1 }));
  });

  it('encodes the record batch kafkajs decodes back to the same records', async () => {
    const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => { readInt32(): number; readString(): string; readInt16(): number };
    const RecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<{ records: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | Buffer[]> }[] }>;
    const messages = [{ key: 'k', value: 'v', headers: { a: 'x', m: ['1', '2'] } }, { key: null, value: null }];
    const bytes = (await encodeProduceBody(body(messages))).buffer;
    const decoder = new Decoder(bytes);
    decoder.readString(); // transactional id
    decoder.readInt16(); // acks
    decoder.readInt32(); // timeout
    decoder.readInt32(); // topics
    decoder.readString(); // topic
    decoder.readInt32(); // partitions
    decoder.readInt32(); // partition
    decoder.readInt32(); // record set size
    const batch = await RecordBatchDecoder(decoder);
    expect(batch.records.map((record) => [record.key?.toString() ?? null, record.value?.toString() ?? null])).toEqual([['k', 'v'], [null, null]]);
    expect(String(batch.records[0]!.headers.a)).toBe('x');
    expect((batch.records[0]!.headers.m as Buffer[]).map(String)).toEqual(['1', '2']);
  });

  it('throws what kafkajs throws for values it cannot encode, and writes the rest alike', async () => {
    const refused: ProduceMessage[][] = [
      [{ key: 'k', value: 'v', headers: { gone: undefined } }],
      [{ key: 'k', value: 'v', headers: { empty: null } }],
      [{ key: 'k', value: 'v', headers: null as unknown as undefined }],
      [{ key: 42 as unknown as string, value: 'v' }],
      [{ key: 'k', value: 'v', headers: { n: 7 as unknown as string } }],
    ];
    for (const messages of refused) {
      const expected = await kafkajsProduceV3(body(messages)).encode().then(() => null, (error: Error) => error);
      expect(expected).toBeInstanceOf(Error);
      await expect(encodeProduceBody(body(messages))).rejects.toThrow(expected!.message);
    }
    // A typed array that is not a Buffer kafkajs writes in its own way (as the text "1,2"); it
    // goes through kafkajs's encoder and comes out the same.
    await expectSameBytes(body([{ key: 'k', value: new Uint8Array([1, 2]) as unknown as Buffer }, { key: 'next', value: 'v' }]));
  });
});
