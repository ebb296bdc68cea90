import type { MillraceConfig } from '../../platform/config.js';
import { assertBrokersReachable, createKafka } from '../../platform/kafka.js';
import { createLogger } from '../../platform/logger.js';
import { resolveBrokers } from '../../platform/services.js';
import type { ApiKeyScope } from './api-key-format.js';
import { ApiKeyStore } from './api-key-store.js';

/**
 * `millrace api-key create --owner=<owner>`: the first key of an installation (demo mode prints
 * its own). Writes to the api-keys topic directly, so it works before any API process runs.
 */
export async function createApiKey(config: MillraceConfig, input: { owner: string; scope: ApiKeyScope; name: string }): Promise<string> {
  const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  const { brokers } = await resolveBrokers(config, logger);
  await assertBrokersReachable(brokers, config.KAFKA_CONNECT_TIMEOUT_MS);
  const store = new ApiKeyStore({ kafka: createKafka({ brokers, clientId: config.KAFKA_CLIENT_ID, logger }), prefix: config.MILLRACE_TOPIC_PREFIX, logger, replicationFactor: config.KAFKA_REPLICATION_FACTOR });
  await store.start();
  try {
    return (await store.create(input)).key;
  } finally {
    await store.stop();
  }
}
