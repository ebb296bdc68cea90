import type { IHeaders } from 'kafkajs';
import type { ConvertedRow } from '../sink-batch.js';

/** One Kafka message as the sink sees it (kafkajs' KafkaMessage plus where it was read). */
export interface SinkMessage {
  topic: string;
  partition: number;
  offset: string;
  /** Broker or producer time, ms since the epoch, as a string (kafkajs). */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

/**
 * Turns one message into the rows it contributes (none, one, or several tables). Must be
 * deterministic: a batch re-made after a crash has to hold exactly the rows it held before.
 * A message that cannot become its row becomes a dead-letter row instead; only a retriable
 * failure (the schema registry unreachable) may throw, and the message is then read again.
 */
export interface MessageConverter {
  convert(message: SinkMessage): ConvertedRow[] | Promise<ConvertedRow[]>;
}

/** A header's value as text (kafkajs gives Buffers, strings, or arrays of them). */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** The connection id of a `connection_id:remote_id` key, or '' when the key has no such shape. */
export function connectionOfKey(key: Buffer | null): string {
  const text = key?.toString('utf8') ?? '';
  const separator = text.indexOf(':');
  return separator > 0 ? text.slice(0, separator) : '';
}
