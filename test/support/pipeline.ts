import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { ClickHouse } from '../../platform/clickhouse.js';
import { loadConfig, type MillraceConfig } from '../../platform/config.js';
import { createKafka, groupPositions } from '../../platform/kafka.js';
import { createLogger, type Logger } from '../../platform/logger.js';
import { startStages, type RunningStages } from '../../platform/start.js';
import { topicNames } from '../../platform/topics.js';
import type { RunSummary } from '../../producers/connection-state.js';
import type { ConnectionService } from '../../producers/connection-service.js';
import { ENTITY_NAMES, ENTITY_PLURALS } from '../../schemas/index.js';
import { clickhouseSinkGroupId } from '../../sinks/clickhouse/clickhouse-sink.js';
import { queryRows } from '../../sinks/clickhouse/testing/sink-fixtures.js';
import { deleteTopicsWithPrefix, testBrokers } from './kafka.js';
import { testRegistryUrl } from './registry.js';
import { waitFor } from './wait-for.js';

/**
 * The pipeline as `millrace start` runs it, minus the API and webhooks: `startStages` with the
 * producer runtime, the transformer and the ClickHouse sink in this process, on the shared broker
 * under a topic prefix of its own, the test run's schema registry, and embedded ClickHouse in a
 * temporary data directory. Connectors' end-to-end tests create a connection through
 * `connections`, let the real worker sync, and query what the sink wrote.
 *
 * Benchmarks use it too, passing their brokers and registry (the defaults ask vitest for the test
 * run's).
 */
export interface PipelineOptions {
  /** Default: the test run's broker (KAFKA_BROKERS, or the one the global setup started). */
  brokers?: string[];
  /** Default: the test run's schema registry. */
  registryUrl?: string;
  /** MILLRACE_TOPIC_PARTITIONS (default 3). */
  partitions?: number;
  /** pino level of every stage (default TEST_LOG_LEVEL, else silent). */
  logLevel?: string;
  /** Topic prefix (default a unique one; it ends in a dot). */
  prefix?: string;
}

export interface TestPipeline {
  prefix: string;
  config: MillraceConfig;
  kafka: Kafka;
  stages: RunningStages;
  /** The producer runtime's connection service: create connections, sync now, sync runs. */
  connections: ConnectionService;
  /** The ClickHouse the sink writes to (database `millrace`). */
  clickhouse: ClickHouse;
  logger: Logger;
  /** JSONEachRow rows; decimals as strings, named tuples as objects. */
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /**
   * Waits until each stream (default: every stream of the connection) has a run that started at
   * or after `after` and succeeded; a failed run fails at once with the source's error.
   */
  waitForSyncs(connectionId: string, options?: { streams?: string[]; after?: string; timeoutMs?: number }): Promise<Record<string, RunSummary>>;
  /**
   * Waits until `table` holds at least `rows` rows of the connection (without FINAL: record
   * versions); a dead letter of the connection fails at once with its stage, field and reason.
   */
  waitForRows(connectionId: string, table: string, rows: number, options?: { where?: string; timeoutMs?: number }): Promise<number>;
  /**
   * Waits until the transformer has committed every raw record written so far and the sink every
   * unified, raw and dead-letter record: then ClickHouse holds all of it. A partition counts as
   * done when the group's committed offset reaches its end, past the commit marker of the
   * transaction that wrote its last records (every writer of these topics is transactional, and
   * both stages commit past the markers they read).
   */
  waitForCaughtUp(options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Stops the stages, closes ClickHouse, removes its data directory and the prefix's topics
   * (`beforeRemovingTopics` runs first: a caller's own consumer of one of them stops there).
   */
  stop(options?: { beforeRemovingTopics?: () => Promise<unknown> }): Promise<void>;
}

/** `topic/partition (committed/end)` of every partition the group has not committed up to its end. */
async function lagging(admin: Admin, groupId: string, topics: string[]): Promise<string[]> {
  return (await groupPositions(admin, groupId, topics)).filter(({ committed, high }) => high > 0n && committed < high).map(({ topic, partition, committed, high }) => `${topic}/${partition} (${committed}/${high})`);
}

export async function startPipeline(options: PipelineOptions = {}): Promise<TestPipeline> {
  const brokers = options.brokers ?? testBrokers();
  const registryUrl = options.registryUrl ?? testRegistryUrl();
  const prefix = options.prefix ?? `e2e-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}.`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-e2e-'));
  const level = options.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'silent';
  const config = loadConfig({
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_CLIENT_ID: 'millrace-e2e',
    MILLRACE_TOPIC_PREFIX: prefix,
    MILLRACE_TOPIC_PARTITIONS: String(options.partitions ?? 3),
    SCHEMA_REGISTRY_URL: registryUrl,
    MILLRACE_DATA_DIR: dataDir,
    MILLRACE_MASTER_KEY: randomBytes(32).toString('base64'),
    MILLRACE_DEMO: 'false',
    MILLRACE_WORKER_ID: 'e2e',
    LOG_LEVEL: level,
  });
  const logger = createLogger({ level: config.LOG_LEVEL });
  const kafka = createKafka({ brokers, clientId: 'millrace-e2e-test', logger });
  const removeTopics = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await deleteTopicsWithPrefix(admin, prefix);
    } finally {
      await admin.disconnect();
    }
  };
  let stages: RunningStages;
  try {
    stages = await startStages(config, ['producer', 'transformer', 'sink'], logger);
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await removeTopics().catch(() => undefined);
    throw error;
  }
  const clickhouse = stages.clickhouse!;
  const connections = stages.producer!.service;
  const query = <T>(sql: string, params?: Record<string, unknown>) => queryRows<T>(clickhouse, sql, params);

  return {
    prefix,
    config,
    kafka,
    stages,
    connections,
    clickhouse,
    logger,
    query,
    async waitForSyncs(connectionId, waitOptions = {}) {
      const after = waitOptions.after ?? '';
      const outcome = await waitFor(
        async (): Promise<false | { failed: RunSummary } | { runs: Record<string, RunSummary> }> => {
          const view = await connections.syncRuns(connectionId);
          const streams = waitOptions.streams ?? connections.get(connectionId).streams.map((stream) => stream.name);
          const runs: Record<string, RunSummary> = {};
          for (const stream of streams) {
            const run = view.streams[stream]?.last_run;
            if (!run || run.started_at < after || run.status === 'running') return false;
            if (run.status === 'failed') return { failed: run };
            runs[stream] = run;
          }
          return { runs };
        },
        { timeoutMs: waitOptions.timeoutMs ?? 45_000, intervalMs: 200, description: `sync runs of ${connectionId} started after ${after || 'creation'}` },
      );
      if ('failed' in outcome) throw new Error(`sync of ${outcome.failed.stream} failed: ${outcome.failed.error?.code}: ${outcome.failed.error?.message}`);
      return outcome.runs;
    },
    async waitForRows(connectionId, table, rows, waitOptions = {}) {
      const where = `connection_id = {connection:String}${waitOptions.where ? ` AND (${waitOptions.where})` : ''}`;
      const outcome = await waitFor(
        async (): Promise<false | { dead: { n: string; stage: string; path: string; reason: string } } | { rows: number }> => {
          const [dead] = await query<{ n: string; stage: string; path: string; reason: string }>(
            'SELECT count() AS n, any(stage) AS stage, any(path) AS path, any(reason) AS reason FROM dead_letters WHERE connection_id = {connection:String}',
            { connection: connectionId },
          );
          if (Number(dead!.n) > 0) return { dead: dead! };
          const [count] = await query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE ${where}`, { connection: connectionId });
          return Number(count!.n) >= rows ? { rows: Number(count!.n) } : false;
        },
        { timeoutMs: waitOptions.timeoutMs ?? 45_000, intervalMs: 250, description: `${rows} rows in ${table} for ${connectionId}` },
      );
      if ('dead' in outcome) throw new Error(`${outcome.dead.n} dead letter(s) for ${connectionId}, e.g. stage ${outcome.dead.stage}, field ${outcome.dead.path}: ${outcome.dead.reason}`);
      return outcome.rows;
    },
    async waitForCaughtUp(waitOptions = {}) {
      const names = topicNames(prefix);
      const raw = ENTITY_NAMES.map((entity) => names.raw(ENTITY_PLURALS[entity]));
      const unified = ENTITY_NAMES.map((entity) => names.unified(ENTITY_PLURALS[entity]));
      const admin = kafka.admin();
      await admin.connect();
      let behind: string[] = [];
      try {
        await waitFor(
          async () => {
            // The transformer first: once it is done, its output is on the unified topics' ends.
            behind = [...(await lagging(admin, `${prefix}transformers`, raw)), ...(await lagging(admin, clickhouseSinkGroupId(prefix), [...unified, ...raw, names.deadLetters]))];
            return behind.length === 0;
          },
          { timeoutMs: waitOptions.timeoutMs ?? 45_000, intervalMs: 250, description: 'the transformer and the sink to reach the end of their topics' },
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}; behind: ${behind.join(', ')}`);
      } finally {
        await admin.disconnect();
      }
    },
    async stop(stopOptions = {}) {
      await stages.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await stopOptions.beforeRemovingTopics?.();
      await removeTopics();
    },
  };
}
