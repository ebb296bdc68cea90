import type { MillraceEvent } from '../../platform/events.js';

/**
 * The body of a delivery: the event as `{id, type, timestamp, connection_id, data}`, serialized
 * once. That exact string is signed, sent, kept in retry records and resent on every retry.
 *
 * Record events carry the record id, entity, changed fields and a link; the whole unified record
 * (`data.record`) only when the subscription asks for it. A body stays under 20 KB: a record too
 * big for that is dropped (`data.record_omitted: "too_large"`, fetch it by `data.link`), and any
 * other oversized `data` keeps its short scalar fields with `data.data_truncated: true`.
 */
export const MAX_PAYLOAD_BYTES = 20 * 1024;
const MAX_KEPT_STRING = 1_024;

export function buildPayload(event: MillraceEvent, includeRecord: boolean): string {
  let data: Record<string, unknown> = { ...event.data };
  if (event.type.startsWith('record.') && !includeRecord) delete data.record;
  let body = serialize(event, data);
  if (Buffer.byteLength(body) <= MAX_PAYLOAD_BYTES) return body;

  if ('record' in data) {
    const { record: _record, ...rest } = data;
    data = { ...rest, record_omitted: 'too_large' };
    body = serialize(event, data);
    if (Buffer.byteLength(body) <= MAX_PAYLOAD_BYTES) return body;
  }
  data = { ...shortScalars(data), data_truncated: true };
  body = serialize(event, data);
  if (Buffer.byteLength(body) <= MAX_PAYLOAD_BYTES) return body;
  return serialize(event, { data_truncated: true });
}

function serialize(event: MillraceEvent, data: Record<string, unknown>): string {
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.timestamp, connection_id: event.connection_id, data });
}

function shortScalars(data: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) kept[key] = value;
    else if (typeof value === 'string') kept[key] = value.length <= MAX_KEPT_STRING ? value : `${value.slice(0, MAX_KEPT_STRING)}…`;
  }
  return kept;
}
