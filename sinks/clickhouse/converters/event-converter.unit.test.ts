import { describe, expect, it } from 'vitest';
import { createEvent } from '../../../platform/events.js';
import { EventConverter, syncRunRow } from './event-converter.js';

const message = (value: string | null, offset = '7') => ({ topic: 't.events', partition: 2, offset, timestamp: '1717236000000', key: Buffer.from('conn-1'), value: value === null ? null : Buffer.from(value) });

describe('EventConverter', () => {
  it('passes an event through as its row, with its Kafka coordinates added', () => {
    const event = createEvent('record.created', 'conn-1', { entity: 'vendor', record_id: 'r', remote_id: '1', version: '1', link: '/v' });
    const [row] = new EventConverter().convert(message(JSON.stringify(event)));
    expect(row!.table).toBe('events');
    expect(JSON.parse(row!.json)).toEqual({ ...event, kafka_partition: 2, kafka_offset: 7 });
  });

  it('adds a sync_runs row for sync events', () => {
    const event = createEvent('sync.completed', 'conn-1', { sync_run_id: 'run-1', entity: 'vendor', stream: 'vendors', records: 3, deletes: 1, duration_ms: 2000, cursor: null, full_pass: true });
    const rows = new EventConverter().convert(message(JSON.stringify(event)));
    expect(rows.map((row) => row.table)).toEqual(['events', 'sync_runs']);
    const run = JSON.parse(rows[1]!.json);
    expect(run).toMatchObject({ sync_run_id: 'run-1', status: 'completed', records: 3, deletes: 1, duration_ms: 2000, full_pass: true, finished_at: event.timestamp });
    expect(Date.parse(event.timestamp) - Date.parse(run.started_at)).toBe(2000);
  });

  it('dead-letters values that are not an event object, and is deterministic about it', () => {
    for (const value of ['not json', '[1,2]', '{}', '', null]) {
      const first = new EventConverter().convert(message(value));
      expect(first).toHaveLength(1);
      expect(first[0]!.table).toBe('dead_letters');
      expect(JSON.parse(first[0]!.json)).toMatchObject({ stage: 'sink', kafka_offset: '7', dead_lettered_at: '2024-06-01T10:00:00.000Z' });
      expect(new EventConverter().convert(message(value))).toEqual(first);
    }
  });

  it('makes no run row from a sync event without a run id or a time', () => {
    expect(syncRunRow(JSON.stringify({ id: 'e', type: 'sync.started', timestamp: '2024-01-01T00:00:00Z', connection_id: 'c', data: {} }))).toBeUndefined();
    expect(syncRunRow(JSON.stringify({ id: 'e', type: 'sync.started', timestamp: 'soon', connection_id: 'c', data: { sync_run_id: 'r' } }))).toBeUndefined();
    expect(syncRunRow('{"type":"sync.broken"')).toBeUndefined();
  });
});
