import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeKey, encodeValue, type LogRecord } from './log-records.js';
import { RegistryState } from './registry-state.js';

const schema = (name: string) => JSON.stringify({ type: 'record', name, fields: [] });
const put = (subject: string, version: number, id: number, text: string, deleted = false): LogRecord => ({
  keytype: 'SCHEMA',
  subject,
  version,
  value: { subject, version, id, schema: text, deleted },
});

/** Writes records as Kafka would hold them, then reads them back into a fresh state. */
function replay(records: LogRecord[]): RegistryState {
  const state = new RegistryState();
  for (const record of records) {
    const value = encodeValue(record);
    const decoded = decodeRecord(Buffer.from(encodeKey(record)), value === null ? null : Buffer.from(value));
    if (decoded) state.apply(decoded);
  }
  return state;
}

/** What log compaction leaves: the last record per key, in the order of those last records. */
function compact(records: LogRecord[]): LogRecord[] {
  const last = new Map<string, number>();
  records.forEach((record, index) => last.set(encodeKey(record), index));
  return records.filter((record, index) => last.get(encodeKey(record)) === index && (record.keytype === 'NOOP' || record.keytype === 'ID_WATERMARK' || record.value !== null));
}

describe('registry state rebuilt from the topic', () => {
  it('keeps Confluent\'s key format, with a fixed property order for compaction', () => {
    expect(encodeKey(put('s', 1, 1, 'x'))).toBe('{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}');
    expect(encodeKey({ keytype: 'CONFIG', subject: null, value: null })).toBe('{"keytype":"CONFIG","subject":null,"magic":0}');
    expect(encodeValue(put('s', 1, 7, 'x'))).toBe('{"subject":"s","version":1,"id":7,"schema":"x","deleted":false}');
  });

  it('skips records it does not use (Confluent MODE records, garbage) instead of failing', () => {
    expect(decodeRecord(Buffer.from('{"keytype":"MODE","subject":null,"magic":0}'), Buffer.from('{"mode":"READWRITE"}'))).toBeNull();
    expect(decodeRecord(Buffer.from('not json'), null)).toBeNull();
    expect(decodeRecord(Buffer.from('{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}'), Buffer.from('{broken'))).toBeNull();
    expect(decodeRecord(null, null)).toBeNull();
  });

  it('never gives an id twice, even after compaction removed every trace of the highest one', () => {
    const log: LogRecord[] = [
      put('a', 1, 1, schema('A')),
      put('b', 1, 2, schema('B')),
      put('b', 1, 2, schema('B'), true),
      // Permanent delete of b: the watermark first, then the tombstone.
      { keytype: 'ID_WATERMARK', value: { max_id: 2 } },
      { keytype: 'SCHEMA', subject: 'b', version: 1, value: null },
    ];
    const compacted = compact(log);
    expect(compacted.some((record) => record.keytype === 'SCHEMA' && record.subject === 'b')).toBe(false);
    const state = replay(compacted);
    expect(state.maxId()).toBe(2);
    expect(state.schemaText(2)).toBeUndefined();
    expect(state.subjectNames(true)).toEqual(['a']);
  });

  it('keeps an id alive while any version uses it, deleted or not', () => {
    const text = schema('Shared');
    const state = replay([put('a', 1, 5, text), put('b', 1, 5, text), { keytype: 'SCHEMA', subject: 'a', version: 1, value: null }]);
    expect(state.schemaText(5)).toBe(text);
    expect(state.idOf(text)).toBe(5);
    state.apply({ keytype: 'SCHEMA', subject: 'b', version: 1, value: null });
    expect(state.schemaText(5)).toBeUndefined();
    expect(state.idOf(text)).toBeUndefined();
  });

  it('counts versions on after soft deletes and resolves levels subject first, then global, then BACKWARD', () => {
    const state = replay([put('a', 1, 1, schema('A')), put('a', 1, 1, schema('A'), true)]);
    expect(state.nextVersion('a')).toBe(2);
    expect(state.hasSubject('a', false)).toBe(false);
    expect(state.effectiveCompatibility('a')).toBe('BACKWARD');
    state.apply({ keytype: 'CONFIG', subject: null, value: { compatibilityLevel: 'FULL' } });
    expect(state.effectiveCompatibility('a')).toBe('FULL');
    state.apply({ keytype: 'CONFIG', subject: 'a', value: { compatibilityLevel: 'NONE' } });
    expect(state.effectiveCompatibility('a')).toBe('NONE');
    state.apply({ keytype: 'CONFIG', subject: 'a', value: null });
    expect(state.effectiveCompatibility('a')).toBe('FULL');
  });
});
