import { DEDUPLICATION_WINDOW, EVENTS_TABLE, SYNC_RUNS_TABLE } from '../tables.js';
import type { Migration } from './migration.js';

/**
 * events: every event of the events topic (what webhooks announce), its data as JSON text.
 * sync_runs: one row per sync run and stage (running, completed, failed), from the sync.* events;
 * the sync_runs_latest view folds them into one row per run.
 */
export const eventsAndSyncRuns: Migration = {
  version: 3,
  name: 'events and sync runs',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${EVENTS_TABLE} (
    id String COMMENT 'Event id; the webhook-id of its deliveries.',
    type LowCardinality(String) COMMENT 'sync.completed, record.updated, connection.status_changed …',
    timestamp DateTime64(3, 'UTC') COMMENT 'When the event happened.',
    connection_id LowCardinality(String) COMMENT 'The connection it concerns; empty for system events.',
    data String COMMENT 'The event data as JSON text (query it with JSONExtract*).' CODEC(ZSTD(3)),
    kafka_partition UInt32,
    kafka_offset UInt64
  )
  ENGINE = ReplacingMergeTree
  PARTITION BY toYYYYMM(timestamp)
  ORDER BY (connection_id, type, timestamp, id)
  SETTINGS non_replicated_deduplication_window = ${DEDUPLICATION_WINDOW}
  COMMENT 'Every event of the events topic, the payload webhooks deliver.'`,
    `CREATE TABLE IF NOT EXISTS ${SYNC_RUNS_TABLE} (
    sync_run_id String,
    connection_id LowCardinality(String),
    entity LowCardinality(String),
    stream LowCardinality(String),
    status LowCardinality(String) COMMENT 'running (sync.started), completed or failed.',
    full_pass Bool COMMENT 'Whether the run read the stream in full (deletes are inferred only after one completes).',
    started_at Nullable(DateTime64(3, 'UTC')),
    finished_at Nullable(DateTime64(3, 'UTC')),
    duration_ms Nullable(UInt64),
    records UInt64 COMMENT 'Records captured by the run (so far, for a failed run).',
    deletes UInt64,
    error_code Nullable(String),
    error_message Nullable(String),
    error_retriable Nullable(Bool),
    event_id String COMMENT 'The sync.* event this row comes from.',
    event_at DateTime64(3, 'UTC')
  )
  ENGINE = ReplacingMergeTree(event_at)
  ORDER BY (connection_id, sync_run_id, status)
  SETTINGS non_replicated_deduplication_window = ${DEDUPLICATION_WINDOW}
  COMMENT 'Sync runs from the sync.* events, one row per run and status; see sync_runs_latest.'`,
  ],
};
