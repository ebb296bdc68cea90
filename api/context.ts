import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { connectorById, connectors as shippedConnectors } from '../connectors/registry.js';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import type { ClickHouse } from '../platform/clickhouse.js';
import type { Logger } from '../platform/logger.js';
import type { ConnectionService } from '../producers/connection-service.js';
import type { SubscriptionService } from '../sinks/webhooks/subscription-service.js';
import type { ApiKeyStore } from './auth/api-key-store.js';
import type { IdempotencyStore } from './writes/idempotency-store.js';
import { RecordCounts } from './reads/record-counts.js';
import { RecordStore } from './reads/record-store.js';
import { SqlRunner } from './sql/sql-runner.js';

/** The fastify instance every route file registers on: zod schemas for params, query, body and responses. */
export type ZodApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface ApiSettings {
  /** Largest request body; larger ones get 413 body_too_large. */
  bodyLimitBytes: number;
  /** Requests per minute per API key unless the key sets its own. */
  rateLimitPerMinute: number;
  /** POST /v1/sql: ClickHouse max_execution_time, seconds (a request may ask for less). */
  sqlTimeoutSeconds: number;
  /** POST /v1/sql: most rows answered (a request may ask for fewer). */
  sqlMaxRows: number;
  /** How long an Idempotency-Key and its answer are kept. */
  idempotencyTtlHours: number;
  /** Record images kept in memory for reads (each a few KB); 0 turns the cache off. */
  recordCacheSize: number;
}

export const DEFAULT_SETTINGS: ApiSettings = {
  bodyLimitBytes: 1024 * 1024,
  rateLimitPerMinute: 1200,
  sqlTimeoutSeconds: 10,
  sqlMaxRows: 10_000,
  idempotencyTtlHours: 24,
  recordCacheSize: 20_000,
};

/** Reports the health of what the API depends on (Kafka, ClickHouse, stages); GET /healthz. */
export type HealthCheck = () => Promise<Record<string, { ok: boolean; detail?: string }>>;

/** What buildApi is given: the other stages' services, injected (tests wire real ones). */
export interface ApiDeps {
  logger: Logger;
  connections: ConnectionService;
  subscriptions: SubscriptionService;
  clickhouse: ClickHouse;
  apiKeys: ApiKeyStore;
  idempotency: IdempotencyStore;
  /** Prometheus registry served at /metrics; the stages register their collectors on it. */
  metrics?: Registry;
  health?: HealthCheck;
  /** The schema registry the unified topics use (linked from GET /v1/schemas). */
  registryUrl?: string;
  /** MILLRACE_TOPIC_PREFIX, to name the unified topics and their schema subjects. */
  topicPrefix?: string;
  /** Connectors by id; default connectors/registry.ts (tests add their own). */
  connectorLookup?: (id: string) => ConnectorDefinition | undefined;
  /** Connectors listed by GET /v1/connectors; default connectors/registry.ts. */
  connectorList?: readonly ConnectorDefinition[];
  settings?: Partial<ApiSettings>;
}

/** What route files see: the dependencies with every default resolved. */
export interface ApiContext extends Omit<ApiDeps, 'settings' | 'connectorLookup' | 'connectorList'> {
  settings: ApiSettings;
  connector(id: string): ConnectorDefinition | undefined;
  connectorList: readonly ConnectorDefinition[];
  counts: RecordCounts;
  records: RecordStore;
  sql: SqlRunner;
}

export function resolveContext(deps: ApiDeps): ApiContext {
  const settings = { ...DEFAULT_SETTINGS, ...deps.settings };
  return {
    ...deps,
    settings,
    connector: deps.connectorLookup ?? connectorById,
    connectorList: deps.connectorList ?? shippedConnectors,
    counts: new RecordCounts(deps.clickhouse),
    records: new RecordStore(deps.clickhouse, deps.logger.child({ component: 'api-reads' }), settings.recordCacheSize),
    sql: new SqlRunner(deps.clickhouse, deps.logger.child({ component: 'api-sql' })),
  };
}
