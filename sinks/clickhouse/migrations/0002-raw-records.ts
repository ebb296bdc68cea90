import { DEDUPLICATION_WINDOW, RAW_RECORDS_TABLE } from '../tables.js';
import type { Migration } from './migration.js';

/**
 * raw_records: every raw record as the source sent it, one row per capture, the newest capture of
 * a record winning on merge (ReplacingMergeTree on `version`, the capture time in microseconds).
 * The body is kept whole and compressed with ZSTD: it is what a mapping fix is replayed from.
 */
export const rawRecords: Migration = {
  version: 2,
  name: 'raw records',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${RAW_RECORDS_TABLE} (
    connection_id LowCardinality(String) COMMENT 'The connection the record was read from.',
    entity LowCardinality(String) COMMENT 'Unified entity of the stream (purchase_order …).',
    remote_id String COMMENT 'The record''s key in the source system.',
    source_system LowCardinality(String) COMMENT 'Kind of source system (sap_s4hana, netsuite …).',
    stream LowCardinality(String) COMMENT 'The connector stream that read it.',
    op LowCardinality(String) COMMENT 'upsert (read) or delete (the source, or a complete full pass, says it is gone).',
    sync_run_id String COMMENT 'The sync run that captured it.',
    pass_id String COMMENT 'The full pass it was read in; empty outside full passes.',
    version Int64 COMMENT 'Capture time in microseconds since the epoch: the record version downstream.',
    captured_at DateTime64(6, 'UTC') DEFAULT fromUnixTimestamp64Micro(version) COMMENT 'version as a timestamp.',
    body String COMMENT 'The record exactly as the source sent it (JSON text).' CODEC(ZSTD(3)),
    kafka_topic LowCardinality(String) COMMENT 'Raw topic the record was read from.',
    kafka_partition UInt32,
    kafka_offset UInt64
  )
  ENGINE = ReplacingMergeTree(version)
  ORDER BY (connection_id, entity, remote_id)
  SETTINGS non_replicated_deduplication_window = ${DEDUPLICATION_WINDOW}
  COMMENT 'Raw records as captured from the source systems; the newest capture of a record wins on merge.'`,
  ],
};
