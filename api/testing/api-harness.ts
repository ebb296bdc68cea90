import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { request as httpRequest } from 'undici';
import { connectors } from '../../connectors/registry.js';
import type { ConnectorDefinition } from '../../connectors/sdk/types.js';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { createLogger, type Logger } from '../../platform/logger.js';
import { ConnectionService } from '../../producers/connection-service.js';
import { keyRing, type KeyRing } from '../../producers/master-keys.js';
import { ProducerWorker } from '../../producers/worker.js';
import { runMigrations } from '../../sinks/clickhouse/migration-runner.js';
import { SubscriptionService } from '../../sinks/webhooks/index.js';
import { testKafka, uniqueName } from '../../test/support/kafka.js';
import { FAST_GROUP, FAST_SETTINGS } from '../../test/test-connector/fast-settings.js';
import { ApiKeyStore } from '../auth/api-key-store.js';
import { buildApi } from '../build-api.js';
import type { ApiSettings, ZodApp } from '../context.js';
import { IdempotencyStore } from '../writes/idempotency-store.js';

/**
 * The API on loopback over the real stack, for integration tests: Kafka topics under a unique
 * prefix, an embedded ClickHouse in a temporary directory with the ClickHouse sink's tables and
 * views (its migrations), the real
 * connection and webhook services, and keys of two owners (`acme` with every scope, `globex`
 * with an admin key) to prove one owner never sees the other's objects.
 */
export interface ApiHarness {
  url: string;
  prefix: string;
  kafka: Kafka;
  clickhouse: ClickHouse;
  connections: ConnectionService;
  subscriptions: SubscriptionService;
  apiKeys: ApiKeyStore;
  app: ZodApp;
  ring: KeyRing;
  keys: { admin: string; write: string; read: string; otherAdmin: string };
  /** A producer worker on the harness's topics (stopped by close()), for tests that need syncs to run. */
  startWorker(): Promise<ProducerWorker>;
  call(method: string, route: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  /** Sent as is (a string body keeps its bytes). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // Tests read answers loosely; the API's schemas are checked by its own routes.
  body: any;
}

export interface HarnessOptions {
  connectorList?: readonly ConnectorDefinition[];
  settings?: Partial<ApiSettings>;
  logger?: Logger;
}

export async function startApiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const logger = options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const prefix = `${uniqueName('api')}.`;
  const kafka = testKafka('millrace-api-test');
  const ring = keyRing(randomBytes(32));
  const list = options.connectorList ?? connectors;
  const connectorLookup = (id: string) => list.find((connector) => connector.id === id);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-api-ch-'));
  const clickhouse = await openClickHouse({ database: 'millrace', dataDir });
  // The tables and views exactly as the ClickHouse sink creates them.
  await runMigrations(clickhouse, logger);

  const connections = new ConnectionService({ kafka, prefix, partitions: 3, replicationFactor: 1, keyRing: ring, logger, connectorLookup });
  const subscriptions = new SubscriptionService({ kafka, topicPrefix: prefix, clickhouse, keyRing: ring, logger, allowlist: ['127.0.0.1', 'localhost'], partitions: 3, replicationFactor: 1 });
  const apiKeys = new ApiKeyStore({ kafka, prefix, logger });
  const idempotency = new IdempotencyStore({ kafka, prefix, logger });
  // One after the other: creating many topics at once is what makes a busy broker answer
  // UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created.
  for (const service of [connections, subscriptions, apiKeys, idempotency]) await service.start();

  const app = await buildApi({ logger, connections, subscriptions, clickhouse, apiKeys, idempotency, connectorLookup, connectorList: list, topicPrefix: prefix, ...(options.settings ? { settings: options.settings } : {}) });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });

  const keys = {
    admin: (await apiKeys.create({ name: 'acme admin', owner: 'acme', scope: 'admin' })).key,
    write: (await apiKeys.create({ name: 'acme writer', owner: 'acme', scope: 'write' })).key,
    read: (await apiKeys.create({ name: 'acme reader', owner: 'acme', scope: 'read' })).key,
    otherAdmin: (await apiKeys.create({ name: 'globex admin', owner: 'globex', scope: 'admin' })).key,
  };

  const workers: ProducerWorker[] = [];
  async function startWorker(): Promise<ProducerWorker> {
    const worker = new ProducerWorker({ kafka, prefix, partitions: 3, replicationFactor: 1, keyRing: ring, logger, workerId: `w${workers.length}`, connectorLookup, settings: FAST_SETTINGS, group: FAST_GROUP });
    await worker.start();
    workers.push(worker);
    return worker;
  }

  async function call(method: string, route: string, callOptions: CallOptions = {}): Promise<CallResult> {
    const key = callOptions.key === undefined ? keys.admin : callOptions.key;
    const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...callOptions.headers };
    let body: string | Buffer | undefined = callOptions.rawBody;
    if (callOptions.body !== undefined) {
      body = JSON.stringify(callOptions.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await httpRequest(`${address}${route}`, { method: method as 'GET', headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: tests read `text`
    }
    return { status: response.statusCode, headers: response.headers as CallResult['headers'], text, body: parsed };
  }

  return {
    url: address,
    prefix,
    kafka,
    clickhouse,
    connections,
    subscriptions,
    apiKeys,
    app,
    ring,
    keys,
    startWorker,
    call,
    async close() {
      await app.close();
      await Promise.allSettled(workers.map((worker) => worker.stop()));
      await Promise.allSettled([connections.stop(), subscriptions.close(), apiKeys.stop(), idempotency.stop()]);
      await clickhouse.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      const admin = kafka.admin();
      await admin.connect();
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
