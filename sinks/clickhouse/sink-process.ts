import path from 'node:path';
import { z } from 'zod';
import { openClickHouse } from '../../platform/clickhouse.js';
import { loadConfig } from '../../platform/config.js';
import { assertBrokersReachable, createKafka } from '../../platform/kafka.js';
import { createLogger } from '../../platform/logger.js';
import { startClickHouseSink } from './clickhouse-sink.js';

/**
 * The ClickHouse sink as a process of its own: `tsx sinks/clickhouse/sink-process.ts`. Reads the
 * usual configuration (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, CLICKHOUSE_*, MILLRACE_*) plus the
 * sink's tuning below, prints `ready` on stdout once it consumes, and stops cleanly on SIGTERM or
 * SIGINT (buffered rows written, offsets committed). With embedded ClickHouse it holds
 * MILLRACE_DATA_DIR/clickhouse, so nothing else may open that directory while it runs.
 */
const tuningSchema = z.object({
  MILLRACE_SINK_FLUSH_INTERVAL_MS: z.coerce.number().int().min(1).optional(),
  MILLRACE_SINK_MAX_BATCH_ROWS: z.coerce.number().int().min(1).optional(),
  MILLRACE_SINK_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1_000).optional(),
});

const config = loadConfig();
const tuning = tuningSchema.parse(process.env);
if (!config.KAFKA_BROKERS) throw new Error('KAFKA_BROKERS is not set: the sink process needs a running broker (start the stack, or run `millrace start`).');
if (!config.SCHEMA_REGISTRY_URL) throw new Error('SCHEMA_REGISTRY_URL is not set: the sink decodes unified records through the schema registry.');
const logger = createLogger({ level: config.LOG_LEVEL, name: 'millrace-sink-clickhouse' });
await assertBrokersReachable(config.KAFKA_BROKERS, config.KAFKA_CONNECT_TIMEOUT_MS);
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-sink-clickhouse`, logger });
const clickhouse = await openClickHouse({
  url: config.CLICKHOUSE_URL,
  username: config.CLICKHOUSE_USER,
  password: config.CLICKHOUSE_PASSWORD,
  database: config.CLICKHOUSE_DATABASE,
  dataDir: path.join(config.dataDir, 'clickhouse'),
});
const sink = await startClickHouseSink({
  kafka,
  clickhouse,
  registryUrl: config.SCHEMA_REGISTRY_URL,
  topicPrefix: config.MILLRACE_TOPIC_PREFIX,
  logger,
  partitions: config.MILLRACE_TOPIC_PARTITIONS,
  replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  flushIntervalMs: tuning.MILLRACE_SINK_FLUSH_INTERVAL_MS,
  maxBatchRows: tuning.MILLRACE_SINK_MAX_BATCH_ROWS,
  sessionTimeoutMs: tuning.MILLRACE_SINK_SESSION_TIMEOUT_MS,
});
process.stdout.write('ready\n');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void sink
    .stop()
    .then(() => clickhouse.close())
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      logger.error({ err: error }, 'clickhouse sink: stop failed');
      process.exit(1);
    });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
