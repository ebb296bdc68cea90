import { isUtf8 } from 'node:buffer';
import type { IHeaders } from 'kafkajs';
import { DEAD_LETTERS_TABLE } from '../tables.js';
import type { ConvertedRow } from '../sink-batch.js';

/**
 * A row of `dead_letters`. The transformer's dead letters arrive on the dead-letters topic; the
 * sink writes its own (stage `sink`) for a message it cannot turn into a row. Every field comes
 * from the message itself (the time too: the message timestamp), so a re-made batch repeats the
 * row exactly.
 */
export interface DeadLetterFields {
  connection_id: string;
  source_system: string;
  entity: string;
  stage: string;
  reason: string;
  path: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  record_key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders | undefined;
  dead_lettered_at: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: string;
}

export function deadLetterRow(fields: DeadLetterFields): ConvertedRow {
  const value = fields.value ?? Buffer.alloc(0);
  const text = isUtf8(value);
  return {
    table: DEAD_LETTERS_TABLE,
    json: JSON.stringify({
      connection_id: fields.connection_id,
      source_system: fields.source_system,
      entity: fields.entity,
      stage: fields.stage,
      reason: fields.reason,
      path: fields.path,
      source_topic: fields.source_topic,
      source_partition: fields.source_partition,
      source_offset: fields.source_offset,
      record_key: fields.record_key?.toString('utf8') ?? '',
      original_value: text ? value.toString('utf8') : value.toString('base64'),
      value_encoding: text ? 'utf8' : 'base64',
      headers: headersMap(fields.headers),
      dead_lettered_at: fields.dead_lettered_at,
      kafka_topic: fields.kafka_topic,
      kafka_partition: fields.kafka_partition,
      kafka_offset: fields.kafka_offset,
    }),
  };
}

function headersMap(headers: IHeaders | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    map[name] = (Array.isArray(value) ? value : [value]).map((item) => item.toString()).join(',');
  }
  return map;
}

/** A message's timestamp (ms, as kafkajs gives it) as ClickHouse DateTime64(3) text. */
export function messageTime(timestamp: string): string {
  const ms = Number(timestamp);
  return new Date(Number.isFinite(ms) && ms > 0 ? ms : 0).toISOString();
}
