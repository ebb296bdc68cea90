import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting Millrace reads from the environment, in one zod schema, parsed once at start-up.
 * A wrong value fails fast with the variable's name (see ConfigError). Each key is documented in
 * README.md's configuration table, with its default (config-readme.unit.test.ts holds them equal).
 */
const brokerList = z
  .string()
  .trim()
  .min(1)
  .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.string().regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'each broker must be host:port, e.g. localhost:9092'),
    ).min(1),
  );

const port = z.coerce.number().int().min(1).max(65535);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const configSchema = z.object({
  /** `host:port` list of an existing cluster; unset: the local broker (`millrace stack up`). */
  KAFKA_BROKERS: brokerList.optional(),
  /** Client id of Millrace's Kafka connections, as broker logs and quotas see them. */
  KAFKA_CLIENT_ID: z.string().min(1).default('millrace'),
  /** Prefix of every topic Millrace creates, so several installations can share a cluster. */
  MILLRACE_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default('millrace.'),
  /** Partitions for topics Millrace creates; more partitions let more workers share the load. */
  MILLRACE_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  /** Replication factor of the topics Millrace creates; 3 on a production cluster. */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(7).default(1),
  /** How long to wait for the brokers before giving up with a clear error. */
  KAFKA_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),

  /** Any Confluent-compatible schema registry; unset: Millrace serves its own. */
  SCHEMA_REGISTRY_URL: httpUrl.optional(),
  /** Port of Millrace's own schema registry when SCHEMA_REGISTRY_URL is not set. */
  MILLRACE_REGISTRY_PORT: port.default(18081),

  /** A ClickHouse server; unset: ClickHouse runs embedded (chdb) in the one `millrace start` process. */
  CLICKHOUSE_URL: httpUrl.optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('millrace'),

  /** Embedded ClickHouse data and the generated demo master key and API key. */
  MILLRACE_DATA_DIR: z.string().min(1).default('.millrace'),
  /** Base64 of 32 random bytes; encrypts connection credentials (AES-256-GCM). */
  MILLRACE_MASTER_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64 encoded (openssl rand -base64 32)')
    .optional(),
  /** Previous master keys, comma separated, still accepted for decryption during a rotation. */
  MILLRACE_PREVIOUS_MASTER_KEYS: z.string().optional(),

  /** Where the HTTP API listens. */
  MILLRACE_API_HOST: z.string().default('127.0.0.1'),
  MILLRACE_API_PORT: port.default(8080),
  /** Hosts to which webhooks may be sent over plain http and on private addresses (development only). */
  MILLRACE_WEBHOOK_DEV_ALLOWLIST: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((host) => host.trim()).filter(Boolean)),
  /** A webhook delivery succeeds on a 2xx within this many milliseconds. */
  MILLRACE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(60_000).default(10_000),
  /** A webhook endpoint that only fails for this many hours is disabled (and endpoint.disabled is emitted). */
  MILLRACE_WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(1).max(30 * 24).default(5 * 24),
  /** This process's worker name: shown in connection state, part of its own consumer group names. */
  MILLRACE_WORKER_ID: z.string().regex(/^[A-Za-z0-9._-]+$/).default('worker-0'),
  /** Consecutive `unavailable` sync failures after which a connection is reported offline. */
  MILLRACE_OFFLINE_AFTER_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
  /** Start the connectors' sandboxes with demo data, connect them and print an admin key. */
  MILLRACE_DEMO: booleanFlag.default(true),
  /** First of the ports the demo's source sandboxes listen on (SAP, NetSuite, Business Central: this and the next two); 0 picks free ports. */
  MILLRACE_DEMO_PORT: z.coerce.number().int().min(0).max(65533).default(18180),

  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type MillraceConfig = z.infer<typeof configSchema> & {
  /** Absolute form of MILLRACE_DATA_DIR. */
  dataDir: string;
};

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid configuration: ${issues.map((issue) => `${issue.variable}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming every wrong variable. Secrets are never echoed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MillraceConfig {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.MILLRACE_DATA_DIR) };
}
