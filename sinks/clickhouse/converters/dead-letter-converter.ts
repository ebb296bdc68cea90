import { RAW_HEADERS } from '../../../platform/raw-record.js';
import { DLQ_HEADERS } from '../../../transformers/dead-letter.js';
import type { ConvertedRow } from '../sink-batch.js';
import { deadLetterRow, messageTime } from './dead-letter-row.js';
import { headerText, type MessageConverter, type SinkMessage } from './sink-message.js';

/**
 * dead-letters → `dead_letters`: the original record (key, bytes, headers) and the headers the
 * transformer added to name the stage, the reason, the field path and where the record was read.
 * A dead letter missing those headers (written by hand, or by an older tool) is kept all the
 * same, with stage `unknown`: nothing on the dead-letter topic is dropped.
 */
export class DeadLetterConverter implements MessageConverter {
  convert(message: SinkMessage): ConvertedRow[] {
    const header = (name: string) => headerText(message.headers, name);
    const source = parseSource(header(DLQ_HEADERS.source));
    const at = header(DLQ_HEADERS.at);
    return [
      deadLetterRow({
        connection_id: header(RAW_HEADERS.connectionId) ?? '',
        source_system: header(RAW_HEADERS.sourceSystem) ?? '',
        entity: header(RAW_HEADERS.entity) ?? '',
        stage: header(DLQ_HEADERS.stage) ?? 'unknown',
        reason: header(DLQ_HEADERS.reason) ?? '',
        path: header(DLQ_HEADERS.path) ?? '',
        source_topic: source?.topic ?? '',
        source_partition: source?.partition ?? -1,
        source_offset: source?.offset ?? '-1',
        record_key: message.key,
        value: message.value,
        headers: message.headers,
        dead_lettered_at: at && Number.isFinite(Date.parse(at)) ? at : messageTime(message.timestamp),
        kafka_topic: message.topic,
        kafka_partition: message.partition,
        kafka_offset: message.offset,
      }),
    ];
  }
}

/** `topic/partition/offset` (topic names cannot contain '/'). */
function parseSource(text: string | undefined): { topic: string; partition: number; offset: string } | undefined {
  const match = text ? /^(.+)\/(\d+)\/(\d+)$/.exec(text) : null;
  return match ? { topic: match[1]!, partition: Number(match[2]), offset: match[3]! } : undefined;
}
