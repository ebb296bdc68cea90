import { createKafka } from '../../platform/kafka.js';
import { createLogger } from '../../platform/logger.js';
import { keyRing } from '../../producers/master-keys.js';
import { ProducerWorker } from '../../producers/worker.js';
import { FAST_GROUP, FAST_SETTINGS } from './fast-settings.js';
import { testConnectorLookup } from './test-connector.js';

/**
 * A producer worker as its own process, for tests that kill it (SIGKILL) mid-sync:
 * `node --import tsx test/test-connector/worker-process.ts`. Configured by KAFKA_BROKERS,
 * MILLRACE_TOPIC_PREFIX, MILLRACE_MASTER_KEY and MILLRACE_WORKER_ID; logs JSON lines to stdout.
 */
const env = process.env;
const logger = createLogger({ level: env.LOG_LEVEL ?? 'info', name: 'worker-process' });
const kafka = createKafka({ brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), clientId: 'millrace-worker-process', logger });
const worker = new ProducerWorker({
  kafka,
  prefix: env.MILLRACE_TOPIC_PREFIX ?? 'millrace.',
  partitions: 3,
  replicationFactor: 1,
  keyRing: keyRing(Buffer.from(env.MILLRACE_MASTER_KEY ?? '', 'base64')),
  logger,
  workerId: env.MILLRACE_WORKER_ID ?? 'worker-process',
  connectorLookup: testConnectorLookup,
  settings: FAST_SETTINGS,
  group: FAST_GROUP,
});
await worker.start();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void worker.stop().then(() => process.exit(0));
  });
}
