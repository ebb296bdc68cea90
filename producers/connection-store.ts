import type { Kafka, Producer, RecordMetadata } from 'kafkajs';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import type { Logger } from '../platform/logger.js';
import type { TopicNames } from '../platform/topics.js';
import { needsReseal, openCredentials, sealCredentials } from './credential-cipher.js';
import { splitConfig, type ConnectionRecord } from './connection-record.js';
import { RuntimeError } from './errors.js';
import type { KeyRing } from './master-keys.js';
import { secretValues } from './runtime-settings.js';

export interface WrittenAt {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Writes connection records to the compacted `connections` topic (Kafka Connect's configs-topic
 * pattern) and seals or opens their credentials. Reading is the view's job
 * (connection-view.ts / the worker's consumer group); this class only encodes and writes.
 */
export class ConnectionStore {
  private producer: Producer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly ring: KeyRing,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect().catch(() => {});
    this.producer = null;
  }

  /** Builds a record's stored form: clear config, secrets sealed under the current master key. */
  seal(connector: ConnectorDefinition, base: Omit<ConnectionRecord, 'config' | 'credentials'>, fullConfig: Record<string, unknown>): ConnectionRecord {
    const { plain, secrets } = splitConfig(connector, fullConfig);
    return { ...base, config: plain, credentials: sealCredentials(this.ring, base.id, secrets) };
  }

  /** The full config (clear fields and decrypted secrets) and the secret values, for redaction. */
  open(record: ConnectionRecord): { config: Record<string, unknown>; secrets: Record<string, unknown>; secretValues: string[] } {
    const secrets = openCredentials(this.ring, record.id, record.credentials);
    return { config: { ...record.config, ...secrets }, secrets, secretValues: secretValues(secrets) };
  }

  async put(record: ConnectionRecord): Promise<WrittenAt> {
    return this.write(record.id, JSON.stringify(record));
  }

  async tombstone(id: string): Promise<WrittenAt> {
    return this.write(id, null);
  }

  /**
   * Stores credentials a connector rotated (a new refresh token) into `latest`, keeping its
   * revision: a rotation is not a user edit. Dropped when the user replaced the credentials
   * meanwhile (`latest.revision` differs from the revision the client was built from).
   */
  async saveRotated(connector: ConnectorDefinition, builtFrom: ConnectionRecord, latest: ConnectionRecord | undefined, patch: Record<string, unknown>): Promise<void> {
    if (!latest || latest.revision !== builtFrom.revision) {
      this.logger.warn({ connection_id: builtFrom.id }, 'rotated credentials dropped: the connection was changed or deleted meanwhile');
      return;
    }
    const { config } = this.open(latest);
    const merged = { ...config, ...patch };
    await this.put(this.seal(connector, { ...latest, updated_at: new Date().toISOString() }, merged));
  }

  /** Re-seals a record under the current master key if an older one sealed it (rotation). */
  reseal(connector: ConnectorDefinition, record: ConnectionRecord): ConnectionRecord | null {
    if (!needsReseal(this.ring, record.credentials)) return null;
    const { config } = this.open(record);
    return this.seal(connector, record, config);
  }

  private async write(key: string, value: string | null): Promise<WrittenAt> {
    if (!this.producer) throw new Error('connection store not started');
    let metadata: RecordMetadata[];
    try {
      metadata = await this.producer.send({ topic: this.topics.connections, acks: -1, messages: [{ key, value }] });
    } catch (error) {
      throw new RuntimeError('store_unavailable', `Could not write connection ${key} to ${this.topics.connections}: ${(error as Error).message}. Check that Kafka is reachable and retry.`);
    }
    const [written] = metadata;
    if (!written?.baseOffset) throw new RuntimeError('store_unavailable', `Kafka did not acknowledge the write of connection ${key}; retry.`);
    return { topic: this.topics.connections, partition: written.partition, offset: written.baseOffset };
  }
}
