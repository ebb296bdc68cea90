import { randomUUID } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { brokerDown, brokerStatus, brokerUp } from '../platform/stack/kafka-broker.js';
import { assertBrokersReachable, createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { topicNames } from '../platform/topics.js';
import { startSchemaRegistry } from '../schemas/registry/server.js';

/**
 * Starts what the integration tests need, once per run: the Kafka broker (unless KAFKA_BROKERS
 * points at one) and a schema registry (unless SCHEMA_REGISTRY_URL points at one). It stops only
 * what it started, so a developer's running stack is left alone.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    const wasRunning = brokerStatus().running;
    const status = await brokerUp({ log: (line) => process.stderr.write(`[stack] ${line}\n`) });
    brokers = status.bootstrap;
    if (!wasRunning && !process.env.MILLRACE_KEEP_STACK) teardowns.push(() => brokerDown({ log: () => {} }));
  }
  await assertBrokersReachable(brokers.split(','), 30_000);
  process.env.KAFKA_BROKERS = brokers;
  project.provide('kafkaBrokers', brokers);

  let registryUrl = process.env.SCHEMA_REGISTRY_URL;
  if (!registryUrl) {
    // A registry topic of this run only: schemas of earlier runs cannot make this run's incompatible.
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'test-registry' });
    const kafka = createKafka({ brokers: brokers.split(','), clientId: 'millrace-test-registry', logger });
    const topic = topicNames(`millrace-test-${randomUUID().slice(0, 8)}.`).schemas;
    const registry = await startSchemaRegistry({ kafka, topic, port: 0, logger });
    registryUrl = registry.url;
    teardowns.push(async () => {
      await registry.close();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    });
  }
  process.env.SCHEMA_REGISTRY_URL = registryUrl;
  project.provide('schemaRegistryUrl', registryUrl);
  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    schemaRegistryUrl: string;
  }
}
