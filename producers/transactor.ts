import { CompressionTypes, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import { connectFencedProducer, isProducerFenced } from '../platform/fenced-producer.js';
import type { Logger } from '../platform/logger.js';
import { chunkMessages } from './capture-messages.js';

/** Thrown when a newer owner of the connection has taken its transactional id: stop at once. */
export class ProducerFencedError extends Error {
  readonly code = 'producer_fenced';
  constructor(transactionalId: string) {
    super(`Transactional id ${transactionalId} was taken over by another worker; this worker stopped writing for it.`);
    this.name = 'ProducerFencedError';
  }
}

export interface TransactorOptions {
  kafka: Kafka;
  transactionalId: string;
  logger: Logger;
  compression?: CompressionTypes;
  /** Bytes per send inside a transaction (see chunkMessages). */
  maxSendBytes?: number;
  /** Broker aborts a transaction left open longer than this (e.g. by a killed worker). */
  transactionTimeoutMs?: number;
}

/**
 * One connection's transactional producer (transactional id `<prefix>src-<connection_id>`).
 * `fence()` registers the id with the coordinator, which aborts whatever an earlier owner left
 * open and fences that owner out; every `commit()` is then one Kafka transaction, and commits
 * are serialized because a producer runs one transaction at a time.
 */
export class ConnectionTransactor {
  private producer: Producer | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private fenced = false;

  constructor(private readonly options: TransactorOptions) {}

  get transactionalId(): string {
    return this.options.transactionalId;
  }

  async fence(): Promise<void> {
    this.producer = await connectFencedProducer(this.options.kafka, this.options);
  }

  /** Writes all messages in one transaction; throws ProducerFencedError if this owner was fenced. */
  commit(topicMessages: TopicMessages[]): Promise<void> {
    const run = this.queue.then(() => this.commitNow(topicMessages));
    this.queue = run.catch(() => {});
    return run;
  }

  private async commitNow(topicMessages: TopicMessages[]): Promise<void> {
    if (this.fenced) throw new ProducerFencedError(this.options.transactionalId);
    if (!this.producer) await this.fence();
    const producer = this.producer!;
    const transaction = await producer.transaction();
    try {
      for (const chunk of chunkMessages(topicMessages, this.options.maxSendBytes ?? 900_000)) {
        await transaction.sendBatch({ topicMessages: chunk, acks: -1, compression: this.options.compression ?? CompressionTypes.None });
      }
      await transaction.commit();
    } catch (error) {
      if (isProducerFenced(error)) {
        this.fenced = true;
        await this.close();
        throw new ProducerFencedError(this.options.transactionalId);
      }
      try {
        await transaction.abort();
      } catch (abortError) {
        // The producer is in an unknown state: drop it; the next commit re-registers the id,
        // which makes the coordinator abort the open transaction.
        this.options.logger.warn({ err: abortError }, 'transaction abort failed; the producer will be recreated');
        await this.close();
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => {});
  }
}
