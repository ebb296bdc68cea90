import { describe, expect, it } from 'vitest';
import { parseStateKey, parseStateValue, stateKey, stateMessage } from './state-message.js';
import { StateTable, type StateRecord } from './state-table.js';

const record = (seed: number, extra: Partial<StateRecord> = {}): StateRecord => ({
  hashes: Int32Array.from([seed, -seed, seed * 7]),
  version: 1_714_557_605_000_000 + seed,
  pass: null,
  stream: 'vendors',
  deleted: false,
  ...extra,
});

describe('StateTable', () => {
  it('stores and returns every column, growing past its first capacity', () => {
    const table = new StateTable(3, 2);
    for (let i = 0; i < 10; i++) table.set(`c1:${i}`, record(i, { pass: i % 2 ? 'p1' : null, deleted: i === 9 }));
    expect(table.size).toBe(10);
    const fifth = table.get('c1:5')!;
    expect(Array.from(fifth.hashes)).toEqual([5, -5, 35]);
    expect(fifth).toMatchObject({ version: 1_714_557_605_000_005, pass: 'p1', stream: 'vendors', deleted: false });
    expect(table.get('c1:9')!.deleted).toBe(true);
    expect(table.get('c1:missing')).toBeUndefined();
  });

  it('overwrites a key in place', () => {
    const table = new StateTable(3);
    table.set('c1:a', record(1));
    table.set('c1:a', record(2, { pass: 'p2', deleted: true }));
    expect(table.size).toBe(1);
    expect(table.get('c1:a')).toMatchObject({ version: 1_714_557_605_000_002, pass: 'p2', deleted: true });
  });

  it('refuses hashes of the wrong width', () => {
    const table = new StateTable(3);
    expect(() => table.set('c1:a', { ...record(1), hashes: [1, 2] })).toThrow(/2 field hashes, the table 3/);
  });

  it('finds what a full pass did not see: same connection and stream, not deleted, another pass', () => {
    const table = new StateTable(3);
    table.set('c1:seen', record(1, { pass: 'p2' }));
    table.set('c1:old-pass', record(2, { pass: 'p1' }));
    table.set('c1:no-pass', record(3));
    table.set('c1:deleted', record(4, { pass: 'p1', deleted: true }));
    table.set('c1:other-stream', record(5, { pass: 'p1', stream: 'closed_vendors' }));
    table.set('c10:other-connection', record(6, { pass: 'p1' }));
    expect(table.unseenBy('c1', 'vendors', 'p2').sort()).toEqual(['c1:no-pass', 'c1:old-pass']);
  });
});

describe('state messages', () => {
  it('round-trip through the topic format, on the raw record\'s partition', () => {
    const state = record(42, { pass: 'p9', deleted: true });
    const message = stateMessage('vendor', 'conn:V-1', 2, state);
    expect(message).toMatchObject({ key: 'vendor|conn:V-1', partition: 2 });
    const back = parseStateValue(Buffer.from(message.value as string));
    expect({ ...back, hashes: Array.from(back.hashes) }).toEqual({ ...state, hashes: [42, -42, 294] });
  });

  it('keys keep raw keys with any characters', () => {
    expect(parseStateKey(stateKey('purchase_order', 'conn:a|b:c'))).toEqual({ entity: 'purchase_order', rawKey: 'conn:a|b:c' });
    expect(parseStateKey('nonsense|x')).toBeNull();
    expect(parseStateKey('no-bar')).toBeNull();
  });
});
