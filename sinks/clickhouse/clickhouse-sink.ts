import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { ClickHouse } from '../../platform/clickhouse.js';
import { ensureTopics } from '../../platform/kafka.js';
import type { Logger } from '../../platform/logger.js';
import type { EntityName } from '../../schemas/index.js';
import type { WrittenBatch } from './batch-flusher.js';
import { sinkRoutes } from './converters/topic-routes.js';
import { SinkError } from './errors.js';
import { InsertWriter } from './insert-writer.js';
import { runMigrations, type MigrationReport } from './migration-runner.js';
import { SinkConsumer } from './sink-consumer.js';
import { SinkMetrics, type SinkSnapshot } from './sink-metrics.js';

/**
 * The ClickHouse sink: unified topics → entity tables, raw topics → raw_records, events →
 * events and sync_runs, dead letters → dead_letters; idempotent (see sink-consumer.ts and
 * batch-flusher.ts). Start it once per worker process; the consumer group
 * `<groupPrefix>sink-clickhouse` spreads partitions over every running sink. With embedded
 * ClickHouse (chdb) only one process may hold the data directory, so run one sink per data dir.
 */
export interface ClickHouseSinkOptions {
  kafka: Kafka;
  clickhouse: ClickHouse;
  /** Any Confluent-compatible schema registry (SCHEMA_REGISTRY_URL). */
  registryUrl: string;
  /** MILLRACE_TOPIC_PREFIX. */
  topicPrefix: string;
  logger: Logger;
  /** Consumer group `<groupPrefix>sink-clickhouse`; default the topic prefix. */
  groupPrefix?: string;
  /** Partitions of topics the sink creates when they are missing (MILLRACE_TOPIC_PARTITIONS). */
  partitions?: number;
  replicationFactor?: number;
  entities?: readonly EntityName[];
  /** Read raw topics, events, dead letters too (default all true). */
  raw?: boolean;
  events?: boolean;
  deadLetters?: boolean;
  /** A batch (one topic-partition) is written at this many rows … (default 20,000) */
  maxBatchRows?: number;
  /** … or this many bytes of rows (default 16 MiB) … */
  maxBatchBytes?: number;
  /** … or this long after its first message (default 1,000 ms: about one insert per second per partition under load). */
  flushIntervalMs?: number;
  /** Rows held in memory across all partitions (default 256 MiB). */
  maxBufferedBytes?: number;
  /** Kafka session timeout; a dead sink's partitions move after it (default 10 s). */
  sessionTimeoutMs?: number;
  /** prom-client registry for /metrics (default a private one). */
  registry?: Registry;
  /** Told about every batch ClickHouse acknowledged (benchmarks, tests). */
  onBatchWritten?: (batch: WrittenBatch) => void;
}

export interface ClickHouseSink {
  migrations: MigrationReport;
  metrics: SinkMetrics;
  snapshot(): SinkSnapshot;
  /** Writes what is buffered, waits for batches in flight and leaves the group. */
  stop(): Promise<void>;
}

export function clickhouseSinkGroupId(groupPrefix: string): string {
  return `${groupPrefix}sink-clickhouse`;
}

export async function startClickHouseSink(options: ClickHouseSinkOptions): Promise<ClickHouseSink> {
  const logger = options.logger.child({ component: 'clickhouse-sink' });
  const limits = {
    maxRows: options.maxBatchRows ?? 20_000,
    maxBytes: options.maxBatchBytes ?? 16 << 20,
    flushIntervalMs: options.flushIntervalMs ?? 1_000,
  };
  if (limits.maxRows < 1 || limits.maxBytes < 1 || limits.flushIntervalMs < 1) {
    throw new SinkError('invalid_options', `maxBatchRows, maxBatchBytes and flushIntervalMs must be positive (got ${limits.maxRows}, ${limits.maxBytes}, ${limits.flushIntervalMs})`);
  }
  const migrations = await runMigrations(options.clickhouse, logger);
  const routes = sinkRoutes({
    topicPrefix: options.topicPrefix,
    registryUrl: options.registryUrl,
    entities: options.entities,
    raw: options.raw,
    events: options.events,
    deadLetters: options.deadLetters,
  });
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [...routes.keys()].map((name) => ({ name, compacted: false })), {
      partitions: options.partitions ?? 3,
      replicationFactor: options.replicationFactor ?? 1,
    });
  } finally {
    await admin.disconnect();
  }
  const metrics = new SinkMetrics(options.registry);
  const consumer = new SinkConsumer({
    kafka: options.kafka,
    groupId: clickhouseSinkGroupId(options.groupPrefix ?? options.topicPrefix),
    routes,
    writer: new InsertWriter(options.clickhouse),
    metrics,
    logger,
    limits,
    maxBufferedBytes: options.maxBufferedBytes ?? 256 << 20,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
    onBatchWritten: options.onBatchWritten,
  });
  await consumer.start();
  logger.info({ topics: [...routes.keys()], ...limits, migrations_applied: migrations.applied }, 'clickhouse sink started');
  return {
    migrations,
    metrics,
    snapshot: () => metrics.snapshot(),
    stop: async () => {
      await consumer.stop();
      logger.info('clickhouse sink stopped');
    },
  };
}
