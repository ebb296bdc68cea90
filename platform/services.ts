import { brokerUp } from './stack/kafka-broker.js';
import type { MillraceConfig } from './config.js';
import type { Logger } from './logger.js';

/**
 * The Kafka brokers to use: KAFKA_BROKERS when set (any cluster), otherwise the local
 * single-node broker, started if it is not running yet.
 */
export async function resolveBrokers(config: MillraceConfig, logger: Logger): Promise<{ brokers: string[]; local: boolean }> {
  if (config.KAFKA_BROKERS) return { brokers: config.KAFKA_BROKERS, local: false };
  const status = await brokerUp({ log: (line) => logger.info(line) });
  return { brokers: [status.bootstrap], local: true };
}
