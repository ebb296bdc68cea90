import { CompressionTypes } from 'kafkajs';
import { isConnectorError } from '../connectors/sdk/errors.js';
import type { RunError } from './connection-state.js';
import { RuntimeError } from './errors.js';
import { ProducerFencedError } from './transactor.js';

/** Tunables of the worker; the defaults suit production, tests shorten the waits. */
export interface RuntimeSettings {
  /** Consecutive `unavailable` failures after which a connection is offline. */
  offlineAfterFailures: number;
  /** Retry delay after `unavailable`: doubles from min to max, never beyond the stream interval. */
  retryBackoffMs: { min: number; max: number };
  /** `rate_limited` errors waited out inside one run before the run fails. */
  rateLimitWaits: number;
  maxRateLimitWaitSeconds: number;
  /** None: the cheapest for the Node process, which bounds capture (bench/producer-capture.ts, docs/runtime.md). */
  compression: CompressionTypes;
  maxSendBytes: number;
  transactionTimeoutMs: number;
}

export const DEFAULT_SETTINGS: RuntimeSettings = {
  offlineAfterFailures: 3,
  retryBackoffMs: { min: 5_000, max: 300_000 },
  rateLimitWaits: 5,
  maxRateLimitWaitSeconds: 300,
  compression: CompressionTypes.None,
  maxSendBytes: 900_000,
  transactionTimeoutMs: 30_000,
};

/** Replaces every occurrence of a secret value (4+ characters) with `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/** The secret values of a decrypted config, for redaction. */
export function secretValues(secrets: Record<string, unknown>): string[] {
  return Object.values(secrets).flatMap((value) => (typeof value === 'string' ? [value] : value === undefined || value === null ? [] : [JSON.stringify(value)]));
}

export interface ClassifiedError {
  /** ConnectorError kind, or `runtime` (RuntimeError), `kafka`, `internal`. */
  kind: string;
  error: RunError;
  retryAfterSeconds?: number;
}

/** What a failed run reports: ConnectorError kind as code; Kafka and program errors get their own. */
export function classifyError(error: unknown, secrets: readonly string[]): ClassifiedError {
  if (isConnectorError(error)) {
    const classified: ClassifiedError = { kind: error.kind, error: { code: error.kind, message: redactSecrets(error.message, secrets), retriable: error.retriable } };
    if (error.retryAfterSeconds !== undefined) classified.retryAfterSeconds = error.retryAfterSeconds;
    return classified;
  }
  if (error instanceof RuntimeError) return { kind: 'runtime', error: { code: error.code, message: redactSecrets(error.message, secrets), retriable: error.retriable } };
  if (error instanceof ProducerFencedError) return { kind: 'kafka', error: { code: error.code, message: error.message, retriable: false } };
  const name = (error as Error | undefined)?.name ?? '';
  const type = (error as { type?: string } | undefined)?.type;
  const message = redactSecrets(String((error as Error | undefined)?.message ?? error), secrets);
  if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') {
    return { kind: 'kafka', error: { code: 'record_too_large', message: `A record is larger than the raw topic accepts (max.message.bytes): ${message}`, retriable: false } };
  }
  if (name.startsWith('KafkaJS')) return { kind: 'kafka', error: { code: 'kafka_error', message, retriable: true } };
  return { kind: 'internal', error: { code: 'internal', message, retriable: false } };
}

/** When a stream runs again after a failure. null: not until something changes (new credentials). */
export function retryDelayMs(classified: ClassifiedError, consecutiveUnavailable: number, intervalMs: number, settings: RuntimeSettings): number | null {
  if (classified.kind === 'auth') return null;
  if (classified.kind === 'rate_limited') return Math.max((classified.retryAfterSeconds ?? 60) * 1000, settings.retryBackoffMs.min);
  if (classified.kind === 'unavailable' || classified.kind === 'kafka') {
    const doubled = settings.retryBackoffMs.min * 2 ** Math.max(0, consecutiveUnavailable - 1);
    return Math.min(doubled, settings.retryBackoffMs.max, intervalMs);
  }
  return intervalMs;
}
