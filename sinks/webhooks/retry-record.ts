import { z } from 'zod';
import type { Delivery } from './delivery.js';

/**
 * Records of the `webhook-retries` topic, keyed by subscription id (so one endpoint's retries
 * stay in one partition, with one owner). JSON values:
 *
 * - `retry`: a delivery waiting for its next attempt at `due_at`. It carries the exact body, so
 *   nothing else is needed to make the attempt. `supersedes` names the retry record whose attempt
 *   produced this one: writing the next retry is also the previous one's completion.
 * - `done`: the retry `retry_id` is finished (delivered, given up, or skipped).
 *
 * A reader rebuilds the pending set of a partition from its committed offset: retries minus those
 * superseded or done later in the log. Nothing about pending retries lives only in memory.
 */
export interface RetryRecord extends Delivery {
  v: 1;
  kind: 'retry';
  retry_id: string;
  /** Epoch milliseconds. */
  due_at: number;
  supersedes: string | null;
}

export interface RetryDone {
  v: 1;
  kind: 'done';
  retry_id: string;
  subscription_id: string;
}

const retrySchema = z.object({
  v: z.literal(1),
  kind: z.literal('retry'),
  retry_id: z.string().min(1),
  delivery_id: z.string().min(1),
  subscription_id: z.string().min(1),
  event_id: z.string().min(1),
  event_type: z.string().min(1),
  connection_id: z.string().nullable(),
  body: z.string(),
  attempt: z.number().int().min(1),
  max_attempts: z.number().int().min(1).nullable(),
  trigger: z.enum(['event', 'manual', 'replay', 'test']),
  retry_of: z.string().nullable(),
  due_at: z.number(),
  supersedes: z.string().nullable(),
});

const doneSchema = z.object({ v: z.literal(1), kind: z.literal('done'), retry_id: z.string().min(1), subscription_id: z.string().min(1) });

const recordSchema = z.discriminatedUnion('kind', [retrySchema, doneSchema]);

/** Parses one retry-topic value; throws a message naming the problem for a foreign or corrupt record. */
export function parseRetryTopicValue(value: Buffer | null): RetryRecord | RetryDone {
  if (!value) throw new Error('empty value');
  const parsed = recordSchema.safeParse(JSON.parse(value.toString('utf8')));
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return parsed.data;
}
