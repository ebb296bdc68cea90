import type { Kafka } from 'kafkajs';
import type { Logger } from '../platform/logger.js';
import { CompactedTopicView } from '../platform/compacted-view.js';
import type { EntityName } from '../schemas/index.js';
import { connectionMappingSchema, type ConnectionMapping, type EntityMapping } from './field-mapping-config.js';

/**
 * The field mappings of every connection, tailed from the compacted connections topic (the
 * `mapping` object of a connection record, see field-mapping-config.ts). A change applies to
 * records transformed after it arrives; a full resync re-applies it to every record.
 * An invalid stored mapping is not ignored: the connection's records are dead-lettered naming
 * the problem, because transforming them without the mapping would silently change their data.
 */
export type MappingLookup = (connectionId: string, entity: EntityName) => { mapping?: EntityMapping; error?: string };

export class ConnectionMappings {
  private readonly mappings = new Map<string, ConnectionMapping | { error: string }>();
  private readonly view: CompactedTopicView;

  constructor(kafka: Kafka, topic: string, groupPrefix: string, private readonly logger: Logger) {
    this.view = new CompactedTopicView({
      kafka,
      topics: [topic],
      groupPrefix,
      logger,
      apply: ({ key, value }) => this.apply(key, value),
    });
  }

  /** Starts tailing and resolves once every connection already stored is known. */
  async start(): Promise<void> {
    await this.view.start();
    await this.view.waitForEnd();
  }

  stop(): Promise<void> {
    return this.view.stop();
  }

  /** Catches up with every connection record committed so far. */
  refresh(): Promise<void> {
    return this.view.waitForEnd();
  }

  readonly lookup: MappingLookup = (connectionId, entity) => {
    const stored = this.mappings.get(connectionId);
    if (!stored) return {};
    if ('error' in stored && typeof stored.error === 'string') return { error: stored.error };
    return { mapping: (stored as ConnectionMapping)[entity] };
  };

  private apply(key: string, value: Buffer | null): void {
    if (value === null) {
      this.mappings.delete(key);
      return;
    }
    const record = JSON.parse(value.toString('utf8')) as { mapping?: unknown };
    if (record.mapping === undefined || record.mapping === null) {
      this.mappings.delete(key);
      return;
    }
    const parsed = connectionMappingSchema.safeParse(record.mapping);
    if (parsed.success) {
      this.mappings.set(key, parsed.data);
      return;
    }
    const error = parsed.error.issues.map((issue) => `mapping.${issue.path.join('.')}: ${issue.message}`).join('; ');
    this.logger.error({ connection_id: key, error }, 'the connection\'s field mapping is invalid; its records are dead-lettered until it is fixed');
    this.mappings.set(key, { error });
  }
}
