import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import type { MillraceEvent } from '../../platform/events.js';
import { createLogger, type Logger } from '../../platform/logger.js';
import { keyRing, type KeyRing } from '../../producers/master-keys.js';
import { testKafka, uniqueName } from '../../test/support/kafka.js';
import { SubscriptionService } from './subscription-service.js';
import { startWebhookSink, type WebhookSink, type WebhookSinkOptions } from './delivery-worker.js';
import { webhookTopics } from './webhook-topics.js';

/**
 * Integration-test wiring: unique topic prefix and groups per harness on the shared broker, one
 * embedded ClickHouse per test process, the subscription service and as many sinks as a test
 * starts. Loopback receivers are allowed by the dev allowlist, as in development.
 */
export const TEST_ALLOWLIST = ['127.0.0.1', 'localhost'];

let sharedClickHouse: Promise<ClickHouse> | undefined;

/** One embedded ClickHouse per test process (chdb allows one data directory per process). */
export function testClickHouse(): Promise<ClickHouse> {
  if (!sharedClickHouse) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-webhooks-ch-'));
    process.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
    sharedClickHouse = openClickHouse({ database: 'webhooks_test', dataDir });
  }
  return sharedClickHouse;
}

export interface Harness {
  kafka: Kafka;
  prefix: string;
  topics: ReturnType<typeof webhookTopics>;
  clickhouse: ClickHouse;
  keyRing: KeyRing;
  logger: Logger;
  service: SubscriptionService;
  startSink(overrides?: Partial<WebhookSinkOptions>): Promise<WebhookSink>;
  produceEvents(events: (MillraceEvent | string)[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(options: { serviceOverrides?: Partial<ConstructorParameters<typeof SubscriptionService>[0]> } = {}): Promise<Harness> {
  const prefix = `${uniqueName('wh')}.`;
  const kafka = testKafka('millrace-webhooks-test');
  const clickhouse = await testClickHouse();
  const ring = keyRing(randomBytes(32));
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const service = new SubscriptionService({ kafka, topicPrefix: prefix, clickhouse, keyRing: ring, logger, allowlist: TEST_ALLOWLIST, partitions: 2, ...options.serviceOverrides });
  await service.start();
  const topics = webhookTopics(prefix);
  const sinks: WebhookSink[] = [];
  let producer: Producer | undefined;
  return {
    kafka,
    prefix,
    topics,
    clickhouse,
    keyRing: ring,
    logger,
    service,
    startSink: async (overrides = {}) => {
      const sink = await startWebhookSink({ kafka, topicPrefix: prefix, clickhouse, keyRing: ring, logger, allowlist: TEST_ALLOWLIST, partitions: 2, ...overrides });
      sinks.push(sink);
      return sink;
    },
    produceEvents: async (events) => {
      if (!producer) {
        producer = kafka.producer();
        await producer.connect();
      }
      await producer.send({
        topic: topics.events,
        messages: events.map((event) => (typeof event === 'string' ? { key: 'system', value: event } : { key: event.connection_id ?? 'system', value: JSON.stringify(event) })),
      });
    },
    stop: async () => {
      for (const sink of sinks) await sink.stop();
      await producer?.disconnect();
      await service.close();
      // The broker is shared by every test run: leave no topics behind.
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {});
      await admin.disconnect();
    },
  };
}
