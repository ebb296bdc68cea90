import type { IHeaders, Message } from 'kafkajs';
import { ConnectorError, MappingError } from '../connectors/sdk/errors.js';
import { RecordValidationError, type ValidationIssue } from '../schemas/index.js';

/**
 * Dead letters: a raw record the transformer could not turn into a unified one. The message
 * keeps the original key, bytes and headers, so it can be inspected and replayed as it was, and
 * adds headers naming what went wrong. It is written in the same transaction as the rest of the
 * chunk: a record is either transformed or dead-lettered, never lost and never both.
 */
export type DeadLetterStage = 'headers' | 'map' | 'validate' | 'encode';

export const DLQ_HEADERS = {
  stage: 'millrace-dlq-stage',
  /** A person-readable reason, naming the field path and what was wrong with it. */
  reason: 'millrace-dlq-reason',
  /** Dot path of the (first) field at fault: a raw path for `map`, a unified path for `validate`/`encode`. */
  path: 'millrace-dlq-path',
  /** `topic/partition/offset` of the raw record. */
  source: 'millrace-dlq-source',
  /** When it was dead-lettered, ISO 8601 UTC. */
  at: 'millrace-dlq-at',
} as const;

/** A header value, the reason above all, stays readable and well under Kafka's record limits. */
const MAX_REASON_CHARS = 2_000;

export interface DeadLetter {
  stage: DeadLetterStage;
  reason: string;
  path: string;
}

export interface SourceRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

export function deadLetterMessage(source: SourceRecord, letter: DeadLetter, at: Date): Message {
  const reason = letter.reason.length > MAX_REASON_CHARS ? `${letter.reason.slice(0, MAX_REASON_CHARS)}…` : letter.reason;
  return {
    key: source.key,
    value: source.value,
    headers: {
      ...(source.headers ?? {}),
      [DLQ_HEADERS.stage]: letter.stage,
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.path]: letter.path,
      [DLQ_HEADERS.source]: `${source.topic}/${source.partition}/${source.offset}`,
      [DLQ_HEADERS.at]: at.toISOString(),
    },
  };
}

function issuesText(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path || '(record)'}: ${issue.message}`).join('; ');
}

/**
 * The dead letter for an error thrown at a stage. Mappers name the raw field with MappingError
 * (or a ConnectorError's fieldErrors); validation and encoding name unified fields. Anything
 * else (a TypeError in a mapper) is reported with its message, which names the property.
 */
export function deadLetterFor(stage: DeadLetterStage, error: unknown): DeadLetter {
  if (error instanceof RecordValidationError) {
    return { stage, path: error.issues[0]?.path ?? '', reason: `invalid ${error.entity}: ${issuesText(error.issues)}` };
  }
  if (error instanceof MappingError) return { stage, path: error.path, reason: `mapping failed at ${error.message}` };
  if (error instanceof ConnectorError) {
    const first = error.fieldErrors?.[0];
    return { stage, path: first?.path ?? '', reason: `mapping failed: ${error.message}` };
  }
  const issues = (error as { issues?: ValidationIssue[] } | null)?.issues;
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  if (Array.isArray(issues) && issues.length > 0) return { stage, path: issues[0]!.path, reason: message };
  return { stage, path: '', reason: stage === 'map' ? `mapping failed: ${message}` : message };
}
