import { CompressionTypes, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import { connectFencedProducer, isProducerFenced } from '../platform/fenced-producer.js';
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

export class SlotTransactor {
  private producer: Producer | null = null;

  constructor(
    private readonly kafka: Kafka,
    readonly transactionalId: string,
    private readonly options: { transactionTimeoutMs?: number; maxSendBytes?: number } = {},
  ) {}

  /** Registers the transactional id: aborts the previous owner's open transaction and fences it. */
  async fence(): Promise<void> {
    this.producer = await connectFencedProducer(this.kafka, { transactionalId: this.transactionalId, ...this.options });
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
      if (isProducerFenced(error)) {
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
