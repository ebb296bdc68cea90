import { createKafka } from '../../platform/kafka.js';
import { createLogger } from '../../platform/logger.js';
import { TransformerWorker } from '../worker.js';
import { plantConnectorLookup } from './plant-connector.js';
import { FAST_TRANSFORMER_GROUP } from './fast-group.js';

/**
 * A transformer worker as its own process with the plant connector, for tests that kill it
 * (SIGKILL): `node --import tsx transformers/testing/transformer-process.ts`. Configured by
 * KAFKA_BROKERS, SCHEMA_REGISTRY_URL, MILLRACE_TOPIC_PREFIX, MILLRACE_TOPIC_PARTITIONS,
 * MILLRACE_WORKER_ID and TRANSFORMER_CHUNK_RECORDS; logs JSON lines to stdout ("transformer worker started" once ready).
 */
const env = process.env;
const logger = createLogger({ level: env.LOG_LEVEL ?? 'info', name: 'transformer-process' });
const kafka = createKafka({ brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), clientId: 'millrace-transformer-process', logger });
const worker = new TransformerWorker({
  kafka,
  prefix: env.MILLRACE_TOPIC_PREFIX ?? 'millrace.',
  workerId: env.MILLRACE_WORKER_ID ?? 'transformer-process',
  logger,
  registryUrl: env.SCHEMA_REGISTRY_URL!,
  partitions: Number(env.MILLRACE_TOPIC_PARTITIONS ?? 3),
  connectorLookup: plantConnectorLookup,
  group: FAST_TRANSFORMER_GROUP,
  chunk: { maxRecords: Number(env.TRANSFORMER_CHUNK_RECORDS ?? 1_000) },
});
await worker.start();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void worker.stop().then(() => process.exit(0));
  });
}
