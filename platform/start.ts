import path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { startApiServer, type ApiServer } from '../api/start-api.js';
import { startProducerRuntime, type ProducerRuntime } from '../producers/producer-runtime.js';
import { loadKeyRing, type KeyRing } from '../producers/master-keys.js';
import { startSchemaRegistry } from '../schemas/registry/server.js';
import { startClickHouseSink, type ClickHouseSink } from '../sinks/clickhouse/clickhouse-sink.js';
import { registerWebhookMetrics, startWebhookSink, webhookSinkSettings, type WebhookSink } from '../sinks/webhooks/index.js';
import { TransformerMetrics } from '../transformers/transformer-metrics.js';
import { TransformerWorker } from '../transformers/worker.js';
import { openClickHouse, type ClickHouse } from './clickhouse.js';
import { ConfigError, type MillraceConfig } from './config.js';
import { startDemo, type RunningDemo } from './demo/start-demo.js';
import { assertBrokersReachable, createKafka, ensureTopics } from './kafka.js';
import { createLogger, type Logger } from './logger.js';
import { resolveBrokers } from './services.js';
import { controlTopics, topicNames } from './topics.js';

/**
 * `millrace start` runs every stage in one process (embedded ClickHouse allows one process per
 * data directory); `millrace worker --role=<role>` runs one stage, so stages can scale out with
 * CLICKHOUSE_URL. Stages start in pipeline order and stop in reverse, each finishing its work in
 * hand (open transactions, buffered rows, running deliveries, in-flight requests).
 */
export const STAGE_ROLES = ['producer', 'transformer', 'sink', 'webhooks', 'api'] as const;
export type StageRole = (typeof STAGE_ROLES)[number];

/** Roles that read or write ClickHouse. */
const CLICKHOUSE_ROLES: readonly StageRole[] = ['sink', 'webhooks', 'api'];

export interface RunningStages {
  apiUrl: string | null;
  api: ApiServer | null;
  producer: ProducerRuntime | null;
  /** The ClickHouse client the stages of this process share; null when no stage needs one. */
  clickhouse: ClickHouse | null;
  registryUrl: string;
  stop(): Promise<void>;
}

interface Stopper {
  name: string;
  stop(): Promise<unknown>;
}

export async function startStages(config: MillraceConfig, roles: readonly StageRole[], logger: Logger): Promise<RunningStages> {
  const stoppers: Stopper[] = [];
  const stopAll = async () => {
    for (const stopper of stoppers.reverse()) {
      logger.info({ stage: stopper.name }, 'stopping');
      await stopper.stop().catch((error: unknown) => logger.error({ err: error, stage: stopper.name }, 'stop failed'));
    }
  };
  try {
    // First: a missing master key (outside demo mode) stops here, before anything starts.
    const keyRing: KeyRing = loadKeyRing(config, logger);
    const { brokers } = await resolveBrokers(config, logger);
    await assertBrokersReachable(brokers, config.KAFKA_CONNECT_TIMEOUT_MS);
    const kafka = createKafka({ brokers, clientId: config.KAFKA_CLIENT_ID, logger });
    const admin = kafka.admin();
    await admin.connect();
    stoppers.push({ name: 'kafka admin', stop: () => admin.disconnect() });
    await ensureTopics(admin, controlTopics(config.MILLRACE_TOPIC_PREFIX), { partitions: config.MILLRACE_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR });

    const registryUrl = await schemaRegistry(config, kafka, roles, logger, stoppers);
    const clickhouse = roles.some((role) => CLICKHOUSE_ROLES.includes(role)) ? await openStore(config, stoppers) : null;
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'millrace_process_' });
    const common = { kafka, partitions: config.MILLRACE_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR };

    // The API needs the connection service even without a producer worker in this process.
    let producer: ProducerRuntime | null = null;
    if (roles.includes('producer') || roles.includes('api')) {
      producer = await startProducerRuntime(config, { kafka, logger, worker: roles.includes('producer') });
      stoppers.push({ name: 'producer', stop: () => producer!.stop() });
    }
    if (roles.includes('transformer')) {
      const transformer = new TransformerWorker({ ...common, prefix: config.MILLRACE_TOPIC_PREFIX, workerId: config.MILLRACE_WORKER_ID, logger: logger.child({ component: 'transformer' }), registryUrl, metrics: new TransformerMetrics(registry) });
      await transformer.start();
      stoppers.push({ name: 'transformer', stop: () => transformer.stop() });
    }
    if (roles.includes('sink')) {
      const sink: ClickHouseSink = await startClickHouseSink({ ...common, clickhouse: clickhouse!, registryUrl, topicPrefix: config.MILLRACE_TOPIC_PREFIX, logger, registry });
      stoppers.push({ name: 'clickhouse sink', stop: () => sink.stop() });
    }
    let webhooks: WebhookSink | null = null;
    if (roles.includes('webhooks')) {
      webhooks = await startWebhookSink({ kafka, clickhouse: clickhouse!, keyRing, logger: logger.child({ component: 'webhooks' }), ...webhookSinkSettings(config) });
      registerWebhookMetrics(registry, webhooks);
      stoppers.push({ name: 'webhook sink', stop: () => webhooks!.stop() });
    }
    let api: ApiServer | null = null;
    if (roles.includes('api')) {
      api = await startApiServer({
        config,
        kafka,
        logger,
        clickhouse: clickhouse!,
        connections: producer!.service,
        keyRing,
        registry,
        registryUrl,
        ...(webhooks ? { subscriptionStore: webhooks.store } : {}),
        health: () => kafkaHealth(admin),
      });
      stoppers.push({ name: 'api', stop: () => api!.stop() });
    }
    return { apiUrl: api?.url ?? null, api, producer, clickhouse, registryUrl, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function schemaRegistry(config: MillraceConfig, kafka: Kafka, roles: readonly StageRole[], logger: Logger, stoppers: Stopper[]): Promise<string> {
  if (config.SCHEMA_REGISTRY_URL) return config.SCHEMA_REGISTRY_URL;
  const topic = topicNames(config.MILLRACE_TOPIC_PREFIX).schemas;
  // One process serves the registry on its port; a single-stage worker serves its own on a free
  // port (instances on one topic agree on ids), so workers need no shared registry service.
  const port = roles.length === STAGE_ROLES.length ? config.MILLRACE_REGISTRY_PORT : 0;
  const registry = await startSchemaRegistry({ kafka, topic, port, host: '127.0.0.1', logger: logger.child({ component: 'schema-registry' }), replicationFactor: config.KAFKA_REPLICATION_FACTOR });
  stoppers.push({ name: 'schema registry', stop: () => registry.close() });
  return registry.url;
}

async function openStore(config: MillraceConfig, stoppers: Stopper[]): Promise<ClickHouse> {
  const clickhouse = await openClickHouse({
    url: config.CLICKHOUSE_URL,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    database: config.CLICKHOUSE_DATABASE,
    dataDir: path.join(config.dataDir, 'clickhouse'),
  });
  stoppers.push({ name: 'clickhouse', stop: () => clickhouse.close() });
  return clickhouse;
}

async function kafkaHealth(admin: Admin): Promise<Record<string, { ok: boolean; detail?: string }>> {
  try {
    const cluster = await admin.describeCluster();
    return { kafka: { ok: cluster.brokers.length > 0, detail: `${cluster.brokers.length} broker(s)` } };
  } catch (error) {
    return { kafka: { ok: false, detail: (error as Error).message } };
  }
}

/** `millrace start`: every stage, the demo sources when MILLRACE_DEMO, until Ctrl-C. */
export async function startMillrace(config: MillraceConfig, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<void> {
  const logger = createLogger({ level: config.LOG_LEVEL });
  const stages = await startStages(config, STAGE_ROLES, logger);
  let demo: RunningDemo | null = null;
  try {
    if (config.MILLRACE_DEMO) demo = await startDemo({ config, stages, logger, out });
    else out(`Millrace is running. API: ${stages.apiUrl}  (create an admin key with: millrace api-key create --owner <name>)`);
  } catch (error) {
    await stages.stop();
    await demo?.stop();
    throw error;
  }
  await waitForSignal();
  logger.info('stopping');
  await stages.stop();
  await demo?.stop();
  logger.info('stopped');
}

/** `millrace worker --role=<role>`: one stage, until Ctrl-C. */
export async function runWorker(config: MillraceConfig, role: StageRole): Promise<void> {
  if (CLICKHOUSE_ROLES.includes(role) && !config.CLICKHOUSE_URL) {
    throw new ConfigError([{ variable: 'CLICKHOUSE_URL', message: `the ${role} role needs a ClickHouse server shared by the worker processes (embedded ClickHouse serves one process: use millrace start)` }]);
  }
  if (!config.KAFKA_BROKERS) throw new ConfigError([{ variable: 'KAFKA_BROKERS', message: 'a worker joins a running cluster: set the brokers it shares with the other workers' }]);
  const logger = createLogger({ level: config.LOG_LEVEL, name: `millrace-${role}` });
  const stages = await startStages(config, [role], logger);
  logger.info({ role, api: stages.apiUrl }, 'worker running');
  await waitForSignal();
  await stages.stop();
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
