import type { Kafka } from 'kafkajs';
import type { ClickHouse } from '../../platform/clickhouse.js';
import type { Logger } from '../../platform/logger.js';
import type { KeyRing } from '../../producers/master-keys.js';
import type { Resolver } from './ssrf-guard.js';

/** What the webhook sink and the subscription service both need. */
export interface WebhookStageOptions {
  kafka: Kafka;
  /** MILLRACE_TOPIC_PREFIX. */
  topicPrefix: string;
  clickhouse: ClickHouse;
  /** Opens the subscriptions' signing secrets, kept encrypted. */
  keyRing: KeyRing;
  logger: Logger;
  /** MILLRACE_WEBHOOK_DEV_ALLOWLIST. */
  allowlist: readonly string[];
  /** DNS resolution for the SSRF guard; the system resolver by default. */
  resolve?: Resolver;
  partitions?: number;
  replicationFactor?: number;
}
