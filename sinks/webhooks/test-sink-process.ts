import { createKafka } from '../../platform/kafka.js';
import { openClickHouse } from '../../platform/clickhouse.js';
import { createLogger } from '../../platform/logger.js';
import { keyRing } from '../../producers/master-keys.js';
import { startWebhookSink } from './delivery-worker.js';

/**
 * A webhook sink in its own process, for the restart tests: they kill it with SIGKILL and start
 * another. Settings come from the environment the test passes; prints `ready` once consuming.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const kafka = createKafka({ brokers: env('KAFKA_BROKERS').split(','), clientId: 'millrace-webhooks-child', logger });
const clickhouse = await openClickHouse({ database: 'webhooks_child', dataDir: env('SINK_CLICKHOUSE_DIR') });
const sink = await startWebhookSink({
  kafka,
  topicPrefix: env('SINK_TOPIC_PREFIX'),
  clickhouse,
  keyRing: keyRing(Buffer.from(env('SINK_MASTER_KEY'), 'base64')),
  logger,
  allowlist: ['127.0.0.1'],
  partitions: 2,
  retrySchedule: JSON.parse(env('SINK_RETRY_SCHEDULE')) as number[],
  deliveryTimeoutMs: Number(process.env.SINK_TIMEOUT_MS ?? 10_000),
  sessionTimeoutMs: 6_000,
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void sink.stop().then(() => clickhouse.close()).then(() => process.exit(0));
});
