import { CompressionTypes, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import { chunkMessages } from '../producers/capture-messages.js';
import { TransformerError } from './errors.js';

/**
 * The transactional producer of one input partition: transactional id
 * `<prefix>transformer-<raw topic>-<partition>`. One id per input partition, not per worker,
 * is what makes consume-transform-produce exactly once with kafkajs, whose transactions predate
 * KIP-447 (offsets are committed without the consumer's generation): when partition p moves to
 * another worker, the new owner registers p's id, which aborts whatever the old owner left open
 * and fences it, so a worker that lost p (a long GC pause, a network partition) can never
 * commit output or offsets for p again.
 */
export interface SlotCommit {
  topicMessages: TopicMessages[];
  consumerGroupId: string;
  topic: string;
  partition: number;
  /** The next offset to read: last processed + 1. */
  nextOffset: string;
}

const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'INVALID_PRODUCER_ID_MAPPING']);

export function isFencedError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const type = (current as { type?: string }).type;
    if (type && FENCED.has(type)) return true;
    current = (current as { cause?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}

export class SlotTransactor {
  private producer: Producer | null = null;

  constructor(
    private readonly kafka: Kafka,
    readonly transactionalId: string,
    private readonly options: { transactionTimeoutMs?: number; maxSendBytes?: number } = {},
  ) {}

  /** Registers the transactional id: aborts the previous owner's open transaction and fences it. */
  async fence(): Promise<void> {
    const producer = this.kafka.producer({
      transactionalId: this.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs ?? 30_000,
    });
    await producer.connect();
    // An empty transaction runs InitProducerId without writing anything: the fencing step.
    const transaction = await producer.transaction();
    await transaction.abort();
    this.producer = producer;
  }

  /**
   * Writes the messages and the consumer offset in one transaction. Throws
   * `producer_fenced` when a newer owner took the id, `transaction_failed` otherwise; after
   * either, the transactor is closed and its partition must be prepared again.
   */
  async commit(commit: SlotCommit): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new TransformerError('transaction_failed', `transactional producer ${this.transactionalId} is not ready`);
    const transaction = await producer.transaction();
    try {
      for (const chunk of chunkMessages(commit.topicMessages, this.options.maxSendBytes ?? 900_000)) {
        await transaction.sendBatch({ topicMessages: chunk, acks: -1, compression: CompressionTypes.None });
      }
      await transaction.sendOffsets({
        consumerGroupId: commit.consumerGroupId,
        topics: [{ topic: commit.topic, partitions: [{ partition: commit.partition, offset: commit.nextOffset }] }],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => {});
      await this.close();
      if (isFencedError(error)) {
        throw new TransformerError('producer_fenced', `${commit.topic}/${commit.partition} was taken over by another worker (transactional id ${this.transactionalId}); this worker stopped writing for it.`, { cause: error });
      }
      throw new TransformerError('transaction_failed', `the transaction for ${commit.topic}/${commit.partition} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => {});
  }
}
