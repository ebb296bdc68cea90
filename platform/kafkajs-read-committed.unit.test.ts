import { describe, expect, it } from 'vitest';
import { hideAbortedRecords } from './kafkajs-read-committed.js';

describe('hideAbortedRecords', () => {
  const record = (offset: number, producerId: string, control = false, abort = false) => ({
    offset: String(offset),
    key: control ? Buffer.from([0, 0, 0, abort ? 0 : 1]) : Buffer.from('k'),
    isControlRecord: control,
    batchContext: { producerId, inTransaction: true },
  });

  it('follows each producer from its first aborted offset to its abort marker, in any list order', () => {
    const partition = {
      abortedTransactions: [
        { producerId: '2', firstOffset: '1' },
        { producerId: '1', firstOffset: '0' },
      ],
      messages: [record(0, '1'), record(1, '2'), record(2, '1'), record(3, '2', true, true), record(4, '1', true, true), record(5, '2'), record(6, '2', true, false)],
    };
    expect(hideAbortedRecords(partition)).toBe(3);
    expect(partition.messages.filter((message) => !message.isControlRecord).map((message) => message.offset)).toEqual(['5']);
    expect(partition.abortedTransactions).toEqual([]);
  });

  it('catches up with every transaction that began before a fetch that starts mid-way', () => {
    const partition = {
      abortedTransactions: [
        { producerId: '1', firstOffset: '10' },
        { producerId: '2', firstOffset: '11' },
      ],
      messages: [record(20, '2'), record(21, '1'), record(22, '3')],
    };
    expect(hideAbortedRecords(partition)).toBe(2);
    expect(partition.messages.filter((message) => !message.isControlRecord).map((message) => message.offset)).toEqual(['22']);
  });
});
