import type { MillraceConfig } from '../../platform/config.js';
import type { WebhookSinkOptions } from './delivery-worker.js';

/** The sink settings that come from the environment (platform/config.ts). */
export function webhookSinkSettings(
  config: MillraceConfig,
): Pick<WebhookSinkOptions, 'topicPrefix' | 'allowlist' | 'workerId' | 'partitions' | 'replicationFactor' | 'deliveryTimeoutMs' | 'gracePeriodMs'> {
  return {
    topicPrefix: config.MILLRACE_TOPIC_PREFIX,
    allowlist: config.MILLRACE_WEBHOOK_DEV_ALLOWLIST,
    workerId: config.MILLRACE_WORKER_ID,
    partitions: config.MILLRACE_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    deliveryTimeoutMs: config.MILLRACE_WEBHOOK_TIMEOUT_MS,
    gracePeriodMs: config.MILLRACE_WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
  };
}
