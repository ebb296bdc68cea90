import { describe, expect, it } from 'vitest';
import type { IHeaders } from 'kafkajs';
import { parseRawHeaders, RAW_HEADERS, rawHeaders } from '../platform/raw-record.js';
import { chunkMessages, deleteMessages, upsertMessages } from './capture-messages.js';

const ctx = { connectionId: 'conn-1', sourceSystem: 'netsuite', entity: 'vendor', stream: 'vendors', syncRunId: 'run-1', passId: 'pass-1' };
const records = Array.from({ length: 5 }, (_, i) => ({ remoteId: `V-${i}`, body: { id: `V-${i}`, name: `Vendor ${i} – Ölwerk` } }));

describe('upsertMessages', () => {
  it('keys by connection and remote id and carries the body untouched as UTF-8 JSON', () => {
    const messages = upsertMessages(ctx, records, '{"since":5}');
    expect(messages.map((message) => message.key)).toEqual(records.map((record) => `conn-1:${record.remoteId}`));
    expect(messages.map((message) => JSON.parse((message.value as Buffer).toString('utf8')))).toEqual(records.map((record) => record.body));
  });

  it('puts connection, source system, entity, stream, op, sync run, pass and capture time on every record, the cursor on the last', () => {
    const messages = upsertMessages(ctx, records, '{"since":5}');
    const metas = messages.map((message) => parseRawHeaders(message.headers));
    for (const meta of metas) expect(meta).toMatchObject({ connectionId: 'conn-1', sourceSystem: 'netsuite', entity: 'vendor', stream: 'vendors', op: 'upsert', syncRunId: 'run-1', passId: 'pass-1' });
    expect(metas.map((meta) => meta.cursor)).toEqual([undefined, undefined, undefined, undefined, '{"since":5}']);
    const versions = metas.map((meta) => meta.capturedAtMicros);
    for (let i = 1; i < versions.length; i++) expect(versions[i]! > versions[i - 1]!).toBe(true);
    expect(Number(versions[0]! / 1000n)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('writes the same header bytes as rawHeaders() would', () => {
    const [message] = upsertMessages(ctx, records.slice(0, 1), '{"since":1}');
    const meta = parseRawHeaders(message!.headers);
    const text = (headers: IHeaders | undefined) => Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
    expect(text(message!.headers)).toEqual(text(rawHeaders(meta)));
  });

  it('gives later pages higher versions than earlier ones, and a body JSON cannot hold a null value', () => {
    const first = upsertMessages(ctx, records, 'null').map((message) => parseRawHeaders(message.headers).capturedAtMicros);
    const second = upsertMessages(ctx, [{ remoteId: 'U', body: undefined }], 'null');
    expect(parseRawHeaders(second[0]!.headers).capturedAtMicros > first[first.length - 1]!).toBe(true);
    expect(second[0]!.value).toBeNull();
  });

  it('returns nothing for an empty page', () => {
    expect(upsertMessages(ctx, [], 'null')).toEqual([]);
  });
});

describe('deleteMessages', () => {
  it('writes null values with op delete and the cursor on the last', () => {
    const messages = deleteMessages(ctx, ['V-1', 'V-2'], '{"since":9}');
    expect(messages.map((message) => message.value)).toEqual([null, null]);
    expect(messages.map((message) => parseRawHeaders(message.headers)).map((meta) => [meta.op, meta.cursor])).toEqual([
      ['delete', undefined],
      ['delete', '{"since":9}'],
    ]);
  });
});

describe('chunkMessages on raw pages', () => {
  it('keeps each send under the byte budget counting key, value and headers', () => {
    const big = Array.from({ length: 400 }, (_, i) => ({ remoteId: `R-${i}`, body: { id: i, text: 'x'.repeat(900) } }));
    const messages = upsertMessages(ctx, big, '{"since":400}');
    const chunks = chunkMessages([{ topic: 'raw', messages }], 100_000);
    expect(chunks.flat().flatMap((entry) => entry.messages)).toEqual(messages);
    for (const chunk of chunks) {
      const bytes = chunk.flatMap((entry) => entry.messages).reduce((sum, message) => sum + (message.value as Buffer).length + Object.keys(message.headers!).length * 30, 0);
      expect(bytes).toBeLessThanOrEqual(100_000);
    }
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(messages.at(-1)!.headers![RAW_HEADERS.cursor]).toBe('{"since":400}');
  });
});
