import type { ClickHouse } from '../../platform/clickhouse.js';

/**
 * The webhook sink's ClickHouse tables, as a list of idempotent statements the shared migration
 * runner can execute in order (in the database the client is opened on).
 *
 * - `webhook_deliveries`: one row per attempt. Sorted by endpoint then time (the common query:
 *   "what happened to this endpoint"), with bloom-filter indexes for per-event and per-delivery
 *   lookups. The dedup window makes a retried insert (same insert_deduplication_token) a no-op.
 * - `webhook_messages`: the exact body of each delivery, once, so a manual retry resends the
 *   same bytes even after the events topic's retention has dropped the event.
 */
export const WEBHOOK_DELIVERIES_TABLE = 'webhook_deliveries';
export const WEBHOOK_MESSAGES_TABLE = 'webhook_messages';

export const WEBHOOK_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${WEBHOOK_DELIVERIES_TABLE} (
    attempt_id String,
    delivery_id String,
    event_id String,
    event_type LowCardinality(String),
    subscription_id String,
    connection_id Nullable(String),
    attempt UInt16,
    trigger LowCardinality(String),
    url String,
    status_code UInt16 COMMENT '0 when no response arrived',
    duration_ms UInt32,
    response_body String COMMENT 'first 2 KB',
    error String,
    attempted_at DateTime64(3, 'UTC'),
    next_attempt_at Nullable(DateTime64(3, 'UTC')),
    outcome LowCardinality(String) COMMENT 'succeeded | retrying | failed | endpoint_disabled | skipped',
    worker_id LowCardinality(String),
    INDEX idx_event_id event_id TYPE bloom_filter GRANULARITY 4,
    INDEX idx_delivery_id delivery_id TYPE bloom_filter GRANULARITY 4
  )
  ENGINE = MergeTree
  PARTITION BY toYYYYMM(attempted_at)
  ORDER BY (subscription_id, attempted_at, attempt_id)
  TTL toDateTime(attempted_at) + INTERVAL 90 DAY
  SETTINGS non_replicated_deduplication_window = 1000`,
  `CREATE TABLE IF NOT EXISTS ${WEBHOOK_MESSAGES_TABLE} (
    delivery_id String,
    event_id String,
    event_type LowCardinality(String),
    subscription_id String,
    connection_id Nullable(String),
    trigger LowCardinality(String),
    retry_of String COMMENT 'the delivery this one repeats (manual retry, replay), or empty',
    body String CODEC(ZSTD(3)),
    created_at DateTime64(3, 'UTC')
  )
  ENGINE = ReplacingMergeTree
  ORDER BY delivery_id
  TTL toDateTime(created_at) + INTERVAL 90 DAY
  SETTINGS non_replicated_deduplication_window = 1000`,
];

/** Runs WEBHOOK_DDL; safe to call on every start. */
export async function ensureWebhookTables(clickhouse: ClickHouse): Promise<void> {
  for (const query of WEBHOOK_DDL) await clickhouse.client.command({ query });
}
