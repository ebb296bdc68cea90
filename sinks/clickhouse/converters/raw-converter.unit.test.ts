import { describe, expect, it } from 'vitest';
import { rawHeaders } from '../../../platform/raw-record.js';
import { RawConverter } from './raw-converter.js';

const headers = (op: 'upsert' | 'delete' | 'pass_complete') => rawHeaders({ connectionId: 'conn-1', sourceSystem: 'netsuite', entity: 'vendor', stream: 'vendors', op, syncRunId: 'run-9', passId: 'pass-3', capturedAtMicros: 1_717_236_000_123_456n });

describe('RawConverter', () => {
  it('makes one raw_records row with the capture facts and the body untouched', () => {
    const body = '{"id": "42", "companyName": "Acme \\"Tools\\""}';
    const [row] = new RawConverter().convert({ topic: 'p.raw.vendors', partition: 1, offset: '9', timestamp: '0', key: Buffer.from('conn-1:42'), value: Buffer.from(body), headers: headers('delete') });
    expect(JSON.parse(row!.json)).toEqual({
      connection_id: 'conn-1',
      entity: 'vendor',
      remote_id: '42',
      source_system: 'netsuite',
      stream: 'vendors',
      op: 'delete',
      sync_run_id: 'run-9',
      pass_id: 'pass-3',
      version: '1717236000123456',
      body,
      kafka_topic: 'p.raw.vendors',
      kafka_partition: 1,
      kafka_offset: '9',
    });
    expect(row!.capturedAtMs).toBe(1_717_236_000_123);
  });

  it('makes no row for pass_complete control records and messages without capture headers, and counts them', () => {
    const converter = new RawConverter();
    expect(converter.convert({ topic: 't', partition: 0, offset: '1', timestamp: '0', key: null, value: Buffer.from('{"pass_id":"p"}'), headers: headers('pass_complete') })).toEqual([]);
    expect(converter.convert({ topic: 't', partition: 0, offset: '2', timestamp: '0', key: Buffer.from('x:1'), value: Buffer.from('{}') })).toEqual([]);
    expect(converter.skipped).toBe(2);
  });
});
