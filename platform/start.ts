import path from 'node:path';
import type { MillraceConfig } from './config.js';
import { createLogger } from './logger.js';
import { assertBrokersReachable, createKafka, ensureTopics } from './kafka.js';
import { openClickHouse } from './clickhouse.js';
import { resolveBrokers } from './services.js';
import { controlTopics } from './topics.js';

/**
 * `millrace start`: brings up (or connects to) Kafka and ClickHouse, creates the control topics
 * and reports health. Ctrl-C stops everything cleanly.
 */
export async function startMillrace(config: MillraceConfig): Promise<void> {
  const logger = createLogger({ level: config.LOG_LEVEL });
  const { brokers } = await resolveBrokers(config, logger);
  await assertBrokersReachable(brokers, config.KAFKA_CONNECT_TIMEOUT_MS);
  const kafka = createKafka({ brokers, clientId: config.KAFKA_CLIENT_ID, logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, controlTopics(config.MILLRACE_TOPIC_PREFIX), {
    partitions: config.MILLRACE_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  });
  const clickhouse = await openClickHouse({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    database: config.CLICKHOUSE_DATABASE,
    dataDir: path.join(config.dataDir, 'clickhouse'),
  });
  const cluster = await admin.describeCluster();
  const version = await clickhouse.client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
  const [{ version: clickhouseVersion }] = (await version.json()) as [{ version: string }];
  logger.info(
    { kafka: { brokers, nodes: cluster.brokers.length }, clickhouse: { kind: clickhouse.kind, version: clickhouseVersion } },
    'millrace is up',
  );
  await waitForSignal();
  logger.info('stopping');
  await admin.disconnect();
  await clickhouse.close();
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
