import { SchemaRegistryRequestError, clickhouseTableName, type EntityName } from '../../../schemas/index.js';
import type { ConvertedRow } from '../sink-batch.js';
import type { AvroRowDecoder } from './avro-row-decoder.js';
import { deadLetterRow, messageTime } from './dead-letter-row.js';
import { connectionOfKey, type MessageConverter, type SinkMessage } from './sink-message.js';

/**
 * unified.<plural> → the entity's table: decode the Avro message through the schema registry
 * (older writer schemas resolve to the current model) into one JSONCompactEachRow row per record
 * (avro-row-decoder.ts). A message that is not a record of this topic's entity becomes a dead
 * letter of stage `sink`.
 */
export class UnifiedConverter implements MessageConverter {
  private readonly table: string;

  constructor(
    private readonly entity: EntityName,
    private readonly decoder: AvroRowDecoder,
  ) {
    this.table = clickhouseTableName(entity);
  }

  async convert(message: SinkMessage): Promise<ConvertedRow[]> {
    if (!message.value || message.value.length === 0) return [this.deadLetter(message, 'empty value on a unified topic: a unified message is the whole record, never a tombstone')];
    let decoded;
    try {
      decoded = await this.decoder.decode(message.value);
    } catch (error) {
      // The registry being away is not the message's fault: let the message be read again.
      if (error instanceof SchemaRegistryRequestError && error.retriable) throw error;
      return [this.deadLetter(message, `not a decodable unified record: ${(error as Error).message}`)];
    }
    if (decoded.entity !== this.entity) {
      return [this.deadLetter(message, `a ${decoded.entity} record (schema ${decoded.schemaId}) on the ${this.entity} topic`)];
    }
    return [{ table: this.table, json: decoded.json, capturedAtMs: Number(decoded.version) / 1000 }];
  }

  private deadLetter(message: SinkMessage, reason: string): ConvertedRow {
    return deadLetterRow({
      connection_id: connectionOfKey(message.key),
      source_system: '',
      entity: this.entity,
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
