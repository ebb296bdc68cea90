import { randomUUID } from 'node:crypto';
import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import { topicNames } from '../../platform/topics.js';
import { deleteMessages, passCompleteMessages, upsertMessages, type CaptureContext } from '../../producers/capture-messages.js';
import { ENTITY_PLURALS, type EntityName } from '../../schemas/index.js';
import { plantConnector } from './plant-connector.js';

/**
 * Writes raw records exactly as the producer runtime does (its own message builders: headers,
 * keys, capture-time versions, pass_complete on every partition), so the transformer can be
 * tested and measured without polling a source.
 */
export interface WriteContext {
  connectionId: string;
  entity: EntityName;
  stream: string;
  passId?: string;
  sourceSystem?: string;
}

export class RawWriter {
  private producer: Producer | null = null;

  constructor(private readonly kafka: Kafka, private readonly prefix: string) {}

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect().catch(() => {});
    this.producer = null;
  }

  topic(entity: EntityName): string {
    return topicNames(this.prefix).raw(ENTITY_PLURALS[entity]);
  }

  async upserts(ctx: WriteContext, records: { remoteId: string; body: unknown }[]): Promise<void> {
    await this.send(ctx.entity, upsertMessages(this.capture(ctx), records, 'null'));
  }

  async deletes(ctx: WriteContext, remoteIds: string[]): Promise<void> {
    await this.send(ctx.entity, deleteMessages(this.capture(ctx), remoteIds, 'null'));
  }

  async passComplete(ctx: WriteContext & { passId: string }, partitions: number): Promise<void> {
    const capture = { ...this.capture(ctx), passId: ctx.passId };
    await this.send(ctx.entity, passCompleteMessages(capture, { id: ctx.passId, started_at: new Date().toISOString() }, partitions));
  }

  /**
   * Upserts as the runtime writes a page: in one transaction, so a commit marker follows the
   * records; with `abort`, the transaction is aborted instead (its records are never read).
   */
  async upsertsInTransaction(ctx: WriteContext, records: { remoteId: string; body: unknown }[], options: { abort?: boolean } = {}): Promise<void> {
    const producer = this.kafka.producer({ transactionalId: `raw-writer-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      await transaction.send({ topic: this.topic(ctx.entity), acks: -1, compression: CompressionTypes.None, messages: upsertMessages(this.capture(ctx), records, 'null') });
      await (options.abort ? transaction.abort() : transaction.commit());
    } finally {
      await producer.disconnect();
    }
  }

  /** Any message as is: foreign records, broken headers. */
  async send(entity: EntityName, messages: Message[]): Promise<void> {
    // 1,000 per send keeps every request well under the broker's size limit.
    for (let i = 0; i < messages.length; i += 1_000) {
      await this.producer!.send({ topic: this.topic(entity), acks: -1, compression: CompressionTypes.None, messages: messages.slice(i, i + 1_000) });
    }
  }

  private capture(ctx: WriteContext): CaptureContext {
    return {
      connectionId: ctx.connectionId,
      sourceSystem: ctx.sourceSystem ?? plantConnector.id,
      entity: ctx.entity,
      stream: ctx.stream,
      syncRunId: randomUUID(),
      ...(ctx.passId ? { passId: ctx.passId } : {}),
    };
  }
}
