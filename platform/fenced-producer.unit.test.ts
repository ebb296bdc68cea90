import { createRequire } from 'node:module';
import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isProducerFenced } from './fenced-producer.js';

/** kafkajs's own constructor of the error a broker answer with `code` becomes. */
const createErrorFromCode = createRequire(import.meta.url)('kafkajs/src/protocol/error.js').createErrorFromCode as (code: number) => Error & { type: string };

describe('isProducerFenced', () => {
  it('recognises the broker errors of a fenced transactional producer, also wrapped by kafkajs', () => {
    for (const code of [47, 53, 49]) {
      const error = createErrorFromCode(code); // INVALID_PRODUCER_EPOCH, TRANSACTIONAL_ID_AUTHORIZATION_FAILED, INVALID_PRODUCER_ID_MAPPING
      expect(isProducerFenced(error), error.type).toBe(true);
      expect(isProducerFenced(new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 5, retryTime: 1000 })), error.type).toBe(true);
      expect(isProducerFenced(new Error('commit failed', { cause: error })), error.type).toBe(true);
    }
    // A wrapper that kept only the message.
    expect(isProducerFenced(new KafkaJSNonRetriableError(createErrorFromCode(47).message))).toBe(true);
    expect(isProducerFenced({ type: 'PRODUCER_FENCED', message: 'There is a newer producer with the same transactionalId which fences the current one.' })).toBe(true);
  });

  it('does not take metadata and transaction errors kafkajs retries for a fence', () => {
    for (const code of [74, 6, 51, 7]) {
      const error = createErrorFromCode(code); // FENCED_LEADER_EPOCH, NOT_LEADER_FOR_PARTITION, CONCURRENT_TRANSACTIONS, REQUEST_TIMED_OUT
      expect(isProducerFenced(error), error.type).toBe(false);
      expect(isProducerFenced(new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 5, retryTime: 1000 })), error.type).toBe(false);
    }
    expect(isProducerFenced(new Error('Connection error: connect ECONNREFUSED'))).toBe(false);
    expect(isProducerFenced(undefined)).toBe(false);
  });
});
