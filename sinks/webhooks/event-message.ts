import { z } from 'zod';
import { EVENT_TYPES, type MillraceEvent } from '../../platform/events.js';

/** The events topic's JSON value, `{id, type, timestamp, connection_id, data}` (platform/events.ts). */
const eventSchema = z.object({
  id: z.string().min(1),
  type: z.enum(EVENT_TYPES),
  timestamp: z.string().min(1),
  connection_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

/** Parses one events-topic value; throws naming what is wrong, so the message can be logged and skipped. */
export function parseEventMessage(value: Buffer | null): MillraceEvent {
  if (!value) throw new Error('empty value');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    throw new Error('not JSON');
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`).join('; '));
  return parsed.data;
}
