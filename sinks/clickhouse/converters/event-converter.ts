import type { MillraceEvent } from '../../../platform/events.js';
import type { ConvertedRow } from '../sink-batch.js';
import { EVENTS_TABLE, SYNC_RUNS_TABLE } from '../tables.js';
import { deadLetterRow, messageTime } from './dead-letter-row.js';
import { connectionOfKey, type MessageConverter, type SinkMessage } from './sink-message.js';

/**
 * events → `events` (every event) and `sync_runs` (sync.started/completed/failed).
 *
 * An event's JSON is already the row ({id, type, timestamp, connection_id, data}): it goes to
 * ClickHouse as it is, with the Kafka coordinates spliced in before the closing brace, and
 * ClickHouse keeps `data` as JSON text. Parsing and re-serializing each event here cost more
 * CPU than the rest of the sink's work on it. Only sync events are parsed, for their run row.
 * A value that is not a JSON object becomes a dead letter; one ClickHouse cannot read is split
 * out of its batch by the writer and dead-lettered there.
 */
const SYNC_TYPE = /"type"\s*:\s*"sync\./;

export class EventConverter implements MessageConverter {
  convert(message: SinkMessage): ConvertedRow[] {
    const text = message.value?.toString('utf8').trim() ?? '';
    if (!text.startsWith('{') || !text.endsWith('}') || /^\{\s*\}$/.test(text)) {
      return [this.deadLetter(message, 'events topic: the value is not an event (a JSON object with id, type, timestamp, connection_id, data)')];
    }
    const rows: ConvertedRow[] = [{ table: EVENTS_TABLE, json: `${text.slice(0, -1)},"kafka_partition":${message.partition},"kafka_offset":${message.offset}}` }];
    if (SYNC_TYPE.test(text)) {
      const run = syncRunRow(text);
      if (run) rows.push(run);
    }
    return rows;
  }

  private deadLetter(message: SinkMessage, reason: string): ConvertedRow {
    return deadLetterRow({
      connection_id: connectionOfKey(message.key) || (message.key?.toString('utf8') ?? ''),
      source_system: '',
      entity: '',
      stage: 'sink',
      reason,
      path: '',
      source_topic: message.topic,
      source_partition: message.partition,
      source_offset: message.offset,
      record_key: message.key,
      value: message.value,
      headers: message.headers,
      dead_lettered_at: messageTime(message.timestamp),
      kafka_topic: message.topic,
      kafka_partition: message.partition,
      kafka_offset: message.offset,
    });
  }
}

interface SyncData {
  sync_run_id?: string;
  entity?: string;
  stream?: string;
  full_pass?: boolean;
  records?: number;
  deletes?: number;
  duration_ms?: number;
  error?: { code?: string; message?: string; retriable?: boolean };
}

/** The sync_runs row of a sync.* event; undefined when the text is not one (the events row still lands). */
export function syncRunRow(text: string): ConvertedRow | undefined {
  let event: MillraceEvent<SyncData>;
  try {
    event = JSON.parse(text) as MillraceEvent<SyncData>;
  } catch {
    return undefined;
  }
  const data = event.data ?? {};
  const at = Date.parse(event.timestamp);
  if (!data.sync_run_id || !Number.isFinite(at)) return undefined;
  const row = {
    sync_run_id: data.sync_run_id,
    connection_id: event.connection_id ?? '',
    entity: data.entity ?? '',
    stream: data.stream ?? '',
    status: '',
    full_pass: data.full_pass === true,
    started_at: null as string | null,
    finished_at: null as string | null,
    duration_ms: null as number | null,
    records: data.records ?? 0,
    deletes: data.deletes ?? 0,
    error_code: null as string | null,
    error_message: null as string | null,
    error_retriable: null as boolean | null,
    event_id: event.id,
    event_at: event.timestamp,
  };
  switch (event.type) {
    case 'sync.started':
      Object.assign(row, { status: 'running', started_at: event.timestamp });
      break;
    case 'sync.completed': {
      const duration = typeof data.duration_ms === 'number' ? data.duration_ms : null;
      Object.assign(row, { status: 'completed', finished_at: event.timestamp, duration_ms: duration, started_at: duration === null ? null : new Date(at - duration).toISOString() });
      break;
    }
    case 'sync.failed':
      Object.assign(row, { status: 'failed', finished_at: event.timestamp, error_code: data.error?.code ?? null, error_message: data.error?.message ?? null, error_retriable: data.error?.retriable ?? null });
      break;
    default:
      return undefined;
  }
  return { table: SYNC_RUNS_TABLE, json: JSON.stringify(row) };
}
