import { DEAD_LETTERS_TABLE, DEDUPLICATION_WINDOW } from '../tables.js';
import type { Migration } from './migration.js';

/**
 * dead_letters: records a stage could not process, with the reason and the field path at fault.
 * Rows come from the dead-letters topic (transformer: headers, map, validate, encode) and from the
 * sink itself (stage `sink`: a unified message that did not decode, a row ClickHouse refused).
 * The original bytes are kept (as text when they are UTF-8, else base64) so a fixed mapping can
 * replay them.
 */
export const deadLetters: Migration = {
  version: 4,
  name: 'dead letters',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${DEAD_LETTERS_TABLE} (
    connection_id LowCardinality(String) COMMENT 'Empty when the record did not name its connection.',
    source_system LowCardinality(String),
    entity LowCardinality(String),
    stage LowCardinality(String) COMMENT 'headers, map, validate, encode (transformer) or sink.',
    reason String COMMENT 'What was wrong, naming the field.',
    path String COMMENT 'Dot path of the field at fault (raw path for map, unified path otherwise); may be empty.',
    source_topic String COMMENT 'Where the record was read when it failed.',
    source_partition Int32,
    source_offset Int64,
    record_key String,
    original_value String CODEC(ZSTD(3)),
    value_encoding LowCardinality(String) COMMENT 'utf8, or base64 when the bytes were not UTF-8.',
    headers Map(String, String) COMMENT 'The Kafka headers the record carried.',
    dead_lettered_at DateTime64(3, 'UTC'),
    kafka_topic LowCardinality(String) COMMENT 'Topic this row was read from: the dead-letters topic, or a unified topic for stage sink.',
    kafka_partition UInt32,
    kafka_offset UInt64
  )
  ENGINE = ReplacingMergeTree
  ORDER BY (connection_id, kafka_topic, kafka_partition, kafka_offset)
  SETTINGS non_replicated_deduplication_window = ${DEDUPLICATION_WINDOW}
  COMMENT 'Records a pipeline stage could not process, with the reason.'`,
  ],
};
