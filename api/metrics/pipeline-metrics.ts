import type { Admin, Kafka } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import type { ClickHouse } from '../../platform/clickhouse.js';
import type { Logger } from '../../platform/logger.js';
import { topicNames } from '../../platform/topics.js';
import type { ConnectionService } from '../../producers/connection-service.js';
import { ENTITY_NAMES, ENTITY_PLURALS } from '../../schemas/entities.js';
import { groupPositions } from '../../platform/kafka.js';

/**
 * Prometheus gauges of the whole pipeline, computed when scraped from durable state (so they
 * are right in every process, whichever stages it runs):
 * - records captured by completed sync runs and records held, per connection and entity;
 * - sync lag per connection and stream (seconds since its last successful run);
 * - consumer lag (messages) of the transformer, ClickHouse sink and webhook groups per topic;
 * - dead letters per connection, entity and stage; webhook delivery attempts per outcome.
 * The stages' own counters (transformer, sink, webhook sink) are registered on the same registry.
 */
export interface PipelineMetricsOptions {
  registry: Registry;
  kafka: Kafka;
  prefix: string;
  clickhouse: ClickHouse;
  connections: ConnectionService;
  logger: Logger;
}

type Rows = Record<string, string | number>[];

export function registerPipelineMetrics(options: PipelineMetricsOptions): { close(): Promise<void> } {
  const { registry, clickhouse, logger } = options;
  let admin: Admin | null = null;
  let connected: Promise<void> | null = null;
  const query = async (sql: string): Promise<Rows> => {
    try {
      const result = await clickhouse.client.query({ query: sql, format: 'JSONEachRow' });
      return (await result.json()) as Rows;
    } catch (error) {
      // A table the sink has not created yet, or ClickHouse busy: this scrape goes without it.
      logger.debug({ err: error }, 'metrics query failed');
      return [];
    }
  };
  const gauge = (name: string, help: string, labelNames: string[], collect: (set: (labels: Record<string, string>, value: number) => void) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect((labels, value) => this.set(labels, value));
      },
    });

  gauge('millrace_records_captured', 'Records captured by completed sync runs (ClickHouse sync_runs), per connection and entity.', ['connection_id', 'entity'], async (set) => {
    for (const row of await query("SELECT connection_id, entity, sum(records) AS n FROM sync_runs FINAL WHERE status = 'completed' GROUP BY connection_id, entity")) {
      set({ connection_id: String(row.connection_id), entity: String(row.entity) }, Number(row.n));
    }
  });
  gauge('millrace_records_stored', 'Records in ClickHouse (latest image, deleted excluded), per connection and entity.', ['connection_id', 'entity'], async (set) => {
    for (const entity of ENTITY_NAMES) {
      for (const row of await query(`SELECT connection_id, count() AS n FROM ${ENTITY_PLURALS[entity]} FINAL WHERE NOT is_deleted GROUP BY connection_id`)) {
        set({ connection_id: String(row.connection_id), entity }, Number(row.n));
      }
    }
  });
  gauge('millrace_sync_lag_seconds', 'Seconds since the last successful sync, per connection and stream (absent before the first).', ['connection_id', 'entity', 'stream'], async (set) => {
    const now = Date.now();
    for (const connection of options.connections.list()) {
      for (const stream of connection.streams) {
        if (stream.last_success_at) set({ connection_id: connection.id, entity: stream.entity, stream: stream.name }, (now - Date.parse(stream.last_success_at)) / 1000);
      }
    }
  });
  gauge('millrace_consumer_lag_messages', 'Messages not yet processed by a stage\'s consumer group, per topic (high-water mark minus committed offset).', ['group', 'topic'], async (set) => {
    admin ??= options.kafka.admin();
    connected ??= admin.connect().catch((error: unknown) => {
      connected = null;
      throw error;
    });
    await connected;
    const names = topicNames(options.prefix);
    const groups: [string, string[]][] = [
      [`${options.prefix}transformers`, ENTITY_NAMES.map((entity) => names.raw(ENTITY_PLURALS[entity]))],
      [`${options.prefix}sink-clickhouse`, ENTITY_NAMES.map((entity) => names.unified(ENTITY_PLURALS[entity]))],
      [`${options.prefix}webhooks`, [names.events]],
    ];
    for (const [group, topics] of groups) {
      try {
        const positions = await groupPositions(admin, group, topics);
        for (const topic of topics) {
          const lag = positions.filter((position) => position.topic === topic).reduce((sum, { committed, low, high }) => sum + Math.max(0, Number(high - (committed > low ? committed : low))), 0);
          set({ group, topic }, lag);
        }
      } catch (error) {
        logger.debug({ err: error, group }, 'consumer lag unavailable');
      }
    }
  });
  gauge('millrace_dead_letters', 'Records dead-lettered (ClickHouse dead_letters), per connection, entity and stage.', ['connection_id', 'entity', 'stage'], async (set) => {
    for (const row of await query('SELECT connection_id, entity, stage, dead_letters FROM dead_letter_counts')) {
      set({ connection_id: String(row.connection_id), entity: String(row.entity), stage: String(row.stage) }, Number(row.dead_letters));
    }
  });
  gauge('millrace_webhook_deliveries', 'Webhook delivery attempts in the delivery log (90 days), by outcome.', ['outcome'], async (set) => {
    for (const row of await query('SELECT outcome, count() AS n FROM webhook_deliveries GROUP BY outcome')) set({ outcome: String(row.outcome) }, Number(row.n));
  });
  return {
    async close() {
      await admin?.disconnect().catch(() => {});
    },
  };
}
