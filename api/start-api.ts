import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { ClickHouse } from '../platform/clickhouse.js';
import type { MillraceConfig } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { ConnectionService } from '../producers/connection-service.js';
import type { KeyRing } from '../producers/master-keys.js';
import { SubscriptionService, type SubscriptionStore } from '../sinks/webhooks/index.js';
import { ApiKeyStore } from './auth/api-key-store.js';
import { buildApi } from './build-api.js';
import type { HealthCheck, ZodApp } from './context.js';
import { registerPipelineMetrics } from './metrics/pipeline-metrics.js';
import { IdempotencyStore } from './writes/idempotency-store.js';

/**
 * The API stage: its own stores (API keys, Idempotency-Keys, webhook subscriptions unless the
 * webhook sink shares its store), the pipeline metrics, and the HTTP server on
 * MILLRACE_API_HOST:MILLRACE_API_PORT. `stop()` closes the server first (in-flight requests
 * finish), then the stores.
 */
export interface ApiServerOptions {
  config: MillraceConfig;
  kafka: Kafka;
  logger: Logger;
  clickhouse: ClickHouse;
  connections: ConnectionService;
  keyRing: KeyRing;
  registry: Registry;
  registryUrl?: string;
  /** The webhook sink's subscription store, when the sink runs in this process. */
  subscriptionStore?: SubscriptionStore;
  health?: HealthCheck;
}

export interface ApiServer {
  url: string;
  app: ZodApp;
  apiKeys: ApiKeyStore;
  subscriptions: SubscriptionService;
  stop(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { config, kafka, logger } = options;
  const prefix = config.MILLRACE_TOPIC_PREFIX;
  const subscriptions = new SubscriptionService({
    kafka,
    topicPrefix: prefix,
    clickhouse: options.clickhouse,
    keyRing: options.keyRing,
    logger: logger.child({ component: 'webhook-subscriptions' }),
    allowlist: config.MILLRACE_WEBHOOK_DEV_ALLOWLIST,
    partitions: config.MILLRACE_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    ...(options.subscriptionStore ? { store: options.subscriptionStore } : {}),
  });
  const apiKeys = new ApiKeyStore({ kafka, prefix, logger: logger.child({ component: 'api-keys' }), replicationFactor: config.KAFKA_REPLICATION_FACTOR });
  const idempotency = new IdempotencyStore({ kafka, prefix, logger: logger.child({ component: 'idempotency' }), replicationFactor: config.KAFKA_REPLICATION_FACTOR });
  await subscriptions.start();
  await apiKeys.start();
  await idempotency.start();
  const metrics = registerPipelineMetrics({ registry: options.registry, kafka, prefix, clickhouse: options.clickhouse, connections: options.connections, logger });
  const app = await buildApi({
    logger,
    connections: options.connections,
    subscriptions,
    clickhouse: options.clickhouse,
    apiKeys,
    idempotency,
    metrics: options.registry,
    topicPrefix: prefix,
    ...(options.registryUrl ? { registryUrl: options.registryUrl } : {}),
    ...(options.health ? { health: options.health } : {}),
  });
  await app.listen({ host: config.MILLRACE_API_HOST, port: config.MILLRACE_API_PORT });
  const url = `http://${config.MILLRACE_API_HOST.includes(':') ? `[${config.MILLRACE_API_HOST}]` : config.MILLRACE_API_HOST}:${config.MILLRACE_API_PORT}`;
  return {
    url,
    app,
    apiKeys,
    subscriptions,
    async stop() {
      await app.close();
      await metrics.close();
      await idempotency.stop();
      await apiKeys.stop();
      await subscriptions.close();
    },
  };
}
