import { createRequire } from 'node:module';
import type { Kafka, Producer } from 'kafkajs';

/**
 * Transactional producers that own an id exclusively: the producer runtime (one id per
 * connection) and the transformer (one id per input partition) both register their id before
 * writing, which makes the broker abort whatever an earlier owner left open and fence that
 * owner out, and both must recognise the error a fenced producer gets.
 */
export interface FencedProducerOptions {
  transactionalId: string;
  /** The broker aborts a transaction left open longer than this (e.g. by a killed worker). Default 30 s. */
  transactionTimeoutMs?: number;
}

/** Connects a transactional producer and registers its id, fencing any earlier owner. */
export async function connectFencedProducer(kafka: Kafka, options: FencedProducerOptions): Promise<Producer> {
  const producer = kafka.producer({
    transactionalId: options.transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: options.transactionTimeoutMs ?? 30_000,
  });
  await producer.connect();
  try {
    // An empty transaction runs InitProducerId without writing anything: this is the fencing step.
    const transaction = await producer.transaction();
    await transaction.abort();
  } catch (error) {
    await producer.disconnect().catch(() => {});
    throw error;
  }
  return producer;
}

/** Broker errors meaning "a newer producer owns this transactional id" (or this one may not use it). */
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'INVALID_PRODUCER_ID_MAPPING']);

/** Their messages, from kafkajs's table: a retrier's wrapper may carry only the message. */
const FENCED_MESSAGES = (createRequire(import.meta.url)('kafkajs/src/protocol/error.js').errorCodes as { type: string; message: string }[])
  .filter((code) => FENCED_TYPES.has(code.type))
  .map((code) => code.message);

/**
 * True when `error`, or an error it wraps (`cause`, kafkajs's `originalError`), says the
 * producer was fenced. Not for FENCED_LEADER_EPOCH, a metadata error kafkajs retries.
 */
export function isProducerFenced(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const { type, message } = current as { type?: string; message?: unknown };
    if (type && FENCED_TYPES.has(type)) return true;
    if (typeof message === 'string' && (/\bfenced\b/i.test(message) || FENCED_MESSAGES.some((fenced) => message.includes(fenced)))) return true;
    current = (current as { cause?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}
