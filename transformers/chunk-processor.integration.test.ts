import type { KafkaMessage, Message } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MillraceEvent, RecordEventData } from '../platform/events.js';
import { rawHeaders, type RawRecordMeta } from '../platform/raw-record.js';
import { createUnifiedCodec, recordId, type UnifiedCodec } from '../schemas/index.js';
import { uniqueName } from '../test/support/kafka.js';
import { testRegistryUrl } from '../test/support/registry.js';
import { processChunk, type ChunkEnvironment, type ChunkResult } from './chunk-processor.js';
import { DLQ_HEADERS } from './dead-letter.js';
import { hashedFields } from './field-hash.js';
import { parseStateValue } from './state-message.js';
import { StateTable } from './state-table.js';
import { plantConnectorLookup } from './testing/plant-connector.js';

/**
 * Change detection, deletes and full passes over one chunk at a time, with the real codec and
 * schema registry (Kafka transactions are the worker's part: worker.integration.test.ts).
 */
const C = 'conn-chunk';
let codec: UnifiedCodec;
let env: ChunkEnvironment;
let version = 1_714_557_605_000_000n;

beforeAll(() => {
  codec = createUnifiedCodec({ registryUrl: testRegistryUrl(), topicPrefix: `${uniqueName('chunk')}.` });
  env = {
    topics: { unified: 'u', events: 'e', deadLetters: 'd', state: 's' },
    codec,
    pipeline: { connectorLookup: plantConnectorLookup, mappingFor: () => ({}) },
  };
});

let offset = 0;
function raw(remoteId: string | null, body: unknown, meta: Partial<RawRecordMeta> = {}): KafkaMessage {
  version += 1_000n;
  return {
    key: Buffer.from(remoteId === null ? C : `${C}:${remoteId}`),
    value: body === null ? null : Buffer.from(JSON.stringify(body)),
    headers: rawHeaders({ connectionId: C, sourceSystem: 'millrace_plant', entity: 'vendor', stream: 'vendors', op: 'upsert', syncRunId: 'r', capturedAtMicros: version, ...meta }),
    offset: String(offset++),
    timestamp: '0',
    attributes: 0,
  };
}

const vendor = (id: string, name = `Vendor ${id}`, extra: Record<string, unknown> = {}) => ({ VendorId: id, Name: name, Currency: 'EUR', Created: '/Date(1714557605000)/', ...extra });

async function chunk(table: StateTable, messages: KafkaMessage[]): Promise<ChunkResult> {
  const result = await processChunk({ topic: 'raw', partition: 1, entity: 'vendor', table, messages }, env);
  for (const [key, state] of result.pending) table.set(key, state);
  return result;
}

function messagesOf(result: ChunkResult, topic: string): Message[] {
  return result.topicMessages.find((entry) => entry.topic === topic)?.messages ?? [];
}

function events(result: ChunkResult): MillraceEvent<RecordEventData>[] {
  return messagesOf(result, 'e').map((message) => JSON.parse(String(message.value)) as MillraceEvent<RecordEventData>);
}

describe('a chunk of raw records', () => {
  it('writes a new record as a unified image, a record.created event and its state', async () => {
    const table = new StateTable(hashedFields('vendor').length);
    const result = await chunk(table, [raw('V-1', vendor('V-1', 'Rhein', { YY1_Rating: 'A' }))]);
    const [unified] = messagesOf(result, 'u');
    expect(unified!.key).toBe(`${C}:V-1`);
    expect(unified!.headers).toEqual({ 'millrace-op': 'upsert', 'millrace-version': String(version) });
    const decoded = await codec.decode(unified!.value as Buffer);
    expect(decoded.record).toMatchObject({ id: recordId(C, 'vendor', 'V-1'), name: 'Rhein', custom_fields: { YY1_Rating: 'A' }, version: String(version), is_deleted: false });
    const [created] = events(result);
    expect(created).toMatchObject({ type: 'record.created', connection_id: C, data: { entity: 'vendor', record_id: recordId(C, 'vendor', 'V-1'), remote_id: 'V-1', version: String(version), link: `/v1/vendors/${recordId(C, 'vendor', 'V-1')}` } });
    expect(created!.data.record).toMatchObject({ name: 'Rhein' });
    expect(created!.data.record).not.toHaveProperty('remote_data');
    const [state] = messagesOf(result, 's');
    expect(state).toMatchObject({ key: `vendor|${C}:V-1`, partition: 1 });
    expect(parseStateValue(Buffer.from(state!.value as string))).toMatchObject({ version: Number(version), pass: null, stream: 'vendors', deleted: false });
  });

  it('writes nothing for a re-read record whose unified fields did not change', async () => {
    const table = new StateTable(hashedFields('vendor').length);
    await chunk(table, [raw('V-1', vendor('V-1'))]);
    const again = await chunk(table, [raw('V-1', vendor('V-1'))]);
    expect(again.topicMessages).toEqual([]);
    expect(again.counts.get(C)).toMatchObject({ records: 1, unchanged: 1, written: 0 });
  });

  it('announces an update with the changed fields, and the same event id for the same version', async () => {
    const table = new StateTable(hashedFields('vendor').length);
    const first = raw('V-1', vendor('V-1', 'Old name'));
    await chunk(table, [first]);
    const change = raw('V-1', vendor('V-1', 'New name', { Blocked: true }));
    const result = await chunk(table, [change]);
    const [updated] = events(result);
    expect(updated).toMatchObject({ type: 'record.updated', data: { changed_fields: ['display_value', 'name', 'status'] } });
    const replayTable = new StateTable(hashedFields('vendor').length);
    await chunk(replayTable, [first]);
    const replay = await chunk(replayTable, [change]);
    expect(events(replay)[0]!.id).toBe(updated!.id);
  });

  it('never goes back to an older capture, and handles several versions of a key in one chunk in order', async () => {
    const table = new StateTable(hashedFields('vendor').length);
    const older = raw('V-1', vendor('V-1', 'First'));
    const newer = raw('V-1', vendor('V-1', 'Second'));
    const both = await chunk(table, [older, newer]);
    expect(events(both).map((event) => event.type)).toEqual(['record.created', 'record.updated']);
    expect(table.get(`${C}:V-1`)!.version).toBe(Number(version));
    const stale = await chunk(table, [older]);
    expect(stale.topicMessages).toEqual([]);
    expect(stale.counts.get(C)).toMatchObject({ stale: 1 });
  });

  it('turns a source delete into a delete image and record.deleted, once', async () => {
    const table = new StateTable(hashedFields('vendor').length);
    await chunk(table, [raw('V-1', vendor('V-1'))]);
    const result = await chunk(table, [raw('V-1', null, { op: 'delete' })]);
    const [image] = messagesOf(result, 'u');
    expect(image!.headers).toMatchObject({ 'millrace-op': 'delete' });
    const decoded = (await codec.decode(image!.value as Buffer)).record as unknown as Record<string, unknown>;
    expect(decoded).toMatchObject({ id: recordId(C, 'vendor', 'V-1'), remote_id: 'V-1', is_deleted: true, version: String(version), remote_data: 'null', name: null });
    expect(decoded.remote_deleted_at).toBe(new Date(Number(version / 1000n)).toISOString());
    expect(events(result).map((event) => event.type)).toEqual(['record.deleted']);
    expect(table.get(`${C}:V-1`)!.deleted).toBe(true);
    const again = await chunk(table, [raw('V-1', null, { op: 'delete' }), raw('V-unknown', null, { op: 'delete' })]);
    expect(again.topicMessages).toEqual([]);
  });

  it('after a complete full pass deletes exactly the keys of that connection and stream the pass did not see', async () => {
    const table = new StateTable(hashedFields('vendor').length);
    await chunk(table, [raw('A', vendor('A')), raw('B', vendor('B')), raw('C', vendor('C')), raw('D', vendor('D')), raw('GONE', vendor('GONE'))]);
    await chunk(table, [raw('GONE', null, { op: 'delete' })]);
    table.set('other-conn:X', { ...table.get(`${C}:A`)!, hashes: Int32Array.from(table.get(`${C}:A`)!.hashes) });
    // Pass p1 sees A unchanged, C changed and D failing to map; B is not seen.
    await chunk(table, [raw('A', vendor('A'), { passId: 'p1' }), raw('C', vendor('C', 'C changed'), { passId: 'p1' })]);
    const result = await chunk(table, [
      raw('D', vendor('D', 'D', { Created: '/Date(garbage)/' }), { passId: 'p1' }),
      raw('E', vendor('E'), { passId: 'p1' }),
      raw(null, { pass_id: 'p1' }, { op: 'pass_complete', passId: 'p1' }),
    ]);
    expect(messagesOf(result, 'd')).toHaveLength(1);
    const deleted = events(result).filter((event) => event.type === 'record.deleted').map((event) => event.data.remote_id);
    expect(deleted).toEqual(['B']);
    expect(events(result).map((event) => event.type)).toEqual(['record.created', 'record.deleted']);
    expect(table.get(`${C}:D`)!.deleted).toBe(false);
    expect(table.get('other-conn:X')!.deleted).toBe(false);
    // A second pass_complete of the same pass deletes nothing more.
    const repeat = await chunk(table, [raw(null, { pass_id: 'p1' }, { op: 'pass_complete', passId: 'p1' })]);
    expect(repeat.topicMessages).toEqual([]);
  });

  it('dead-letters bad records with their original bytes while the good ones in the chunk flow on', async () => {
    const table = new StateTable(hashedFields('vendor').length);
    const bad = raw('V-BAD', vendor('V-BAD', 'Bad', { Created: '/Date(garbage)/' }));
    const result = await chunk(table, [raw('V-1', vendor('V-1')), bad, raw('V-2', vendor('V-2', 42 as never)), raw('V-3', vendor('V-3'))]);
    expect(messagesOf(result, 'u').map((message) => message.key)).toEqual([`${C}:V-1`, `${C}:V-3`]);
    const letters = messagesOf(result, 'd');
    expect(letters.map((letter) => [String(letter.key), letter.headers![DLQ_HEADERS.stage], letter.headers![DLQ_HEADERS.path]])).toEqual([
      [`${C}:V-BAD`, 'map', 'Created'],
      [`${C}:V-2`, 'validate', 'name'],
    ]);
    expect(letters[0]!.value).toEqual(bad.value);
    expect(letters[0]!.headers![DLQ_HEADERS.source]).toBe(`raw/1/${bad.offset}`);
    expect(result.deadLetters.map((note) => note.connectionId)).toEqual([C, C]);
    expect(result.counts.get(C)).toMatchObject({ records: 4, written: 2, created: 2, dead_letters: 2 });
  });

  it('re-transforms a replayed record whose mapping changed: same version, new content, record.updated', async () => {
    const table = new StateTable(hashedFields('vendor').length);
    const message = raw('V-1', vendor('V-1', 'Rhein', { Web: 'https://rhein.example' }));
    await chunk(table, [message]);
    const mapped = await processChunk(
      { topic: 'raw', partition: 1, entity: 'vendor', table, messages: [message] },
      { ...env, pipeline: { ...env.pipeline, mappingFor: () => ({ mapping: { fields: { website: 'Web' } } }) } },
    );
    const [updated] = events(mapped);
    expect(updated).toMatchObject({ type: 'record.updated', data: { changed_fields: ['website'], version: String(version) } });
  });
});
