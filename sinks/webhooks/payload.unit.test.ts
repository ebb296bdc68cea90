import { describe, expect, it } from 'vitest';
import { createEvent, type RecordEventData } from '../../platform/events.js';
import { buildPayload, MAX_PAYLOAD_BYTES } from './payload.js';

const recordData = (record: Record<string, unknown>): RecordEventData => ({
  entity: 'purchase_order',
  record_id: 'po_1',
  remote_id: '4500000001',
  version: '1730000000000000',
  changed_fields: ['status'],
  link: '/v1/purchase-orders/po_1',
  record,
});

describe('buildPayload', () => {
  it('is exactly {id, type, timestamp, connection_id, data}', () => {
    const event = createEvent('sync.completed', 'conn_1', { entity: 'vendor', records: 3 });
    const payload = JSON.parse(buildPayload(event, false));
    expect(Object.keys(payload)).toEqual(['id', 'type', 'timestamp', 'connection_id', 'data']);
    expect(payload).toEqual(event);
  });

  it('strips the whole record from record events unless asked for', () => {
    const event = createEvent('record.updated', 'conn_1', recordData({ status: 'open', total: 12 }));
    const lean = JSON.parse(buildPayload(event as never, false));
    expect(lean.data).toEqual({ entity: 'purchase_order', record_id: 'po_1', remote_id: '4500000001', version: '1730000000000000', changed_fields: ['status'], link: '/v1/purchase-orders/po_1' });
    const whole = JSON.parse(buildPayload(event as never, true));
    expect(whole.data.record).toEqual({ status: 'open', total: 12 });
  });

  it('keeps a whole-record payload under 20 KB by dropping a record that is too large', () => {
    const event = createEvent('record.created', 'conn_1', recordData({ notes: 'x'.repeat(30_000) }));
    const body = buildPayload(event as never, true);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const data = JSON.parse(body).data;
    expect(data.record).toBeUndefined();
    expect(data.record_omitted).toBe('too_large');
    expect(data.link).toBe('/v1/purchase-orders/po_1');
  });

  it('truncates other oversized data to its short scalar fields', () => {
    const event = createEvent('system.error', null, { code: 'boom', message: 'y'.repeat(50_000), details: { big: 'z'.repeat(30_000) } });
    const body = buildPayload(event, false);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const data = JSON.parse(body).data;
    expect(data).toMatchObject({ code: 'boom', data_truncated: true });
    expect(data.details).toBeUndefined();
    expect(data.message.length).toBeLessThanOrEqual(1_025);
  });
});
