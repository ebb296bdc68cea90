import { parseRawHeaders } from '../../../platform/raw-record.js';
import type { ConvertedRow } from '../sink-batch.js';
import { RAW_RECORDS_TABLE } from '../tables.js';
import type { MessageConverter, SinkMessage } from './sink-message.js';

/**
 * raw.<plural> → raw_records, one row per captured record (upserts and deletes). Two kinds of
 * message make no row: `pass_complete` control records (a full pass ended; nothing was read) and
 * messages without Millrace's capture headers, which the transformer dead-letters with the
 * reason (stage `headers`), so they are in dead_letters already. `skipped` counts both.
 */
export class RawConverter implements MessageConverter {
  skipped = 0;

  convert(message: SinkMessage): ConvertedRow[] {
    let meta;
    try {
      meta = parseRawHeaders(message.headers);
    } catch {
      this.skipped += 1;
      return [];
    }
    if (meta.op === 'pass_complete') {
      this.skipped += 1;
      return [];
    }
    const key = message.key?.toString('utf8') ?? '';
    const prefix = `${meta.connectionId}:`;
    return [
      {
        table: RAW_RECORDS_TABLE,
        json: JSON.stringify({
          connection_id: meta.connectionId,
          entity: meta.entity,
          remote_id: key.startsWith(prefix) ? key.slice(prefix.length) : key,
          source_system: meta.sourceSystem,
          stream: meta.stream,
          op: meta.op,
          sync_run_id: meta.syncRunId,
          pass_id: meta.passId ?? '',
          version: meta.capturedAtMicros.toString(),
          body: message.value?.toString('utf8') ?? '',
          kafka_topic: message.topic,
          kafka_partition: message.partition,
          kafka_offset: message.offset,
        }),
        capturedAtMs: Number(meta.capturedAtMicros / 1000n),
      },
    ];
  }
}
