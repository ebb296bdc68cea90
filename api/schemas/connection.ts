import { z } from 'zod';
import { ENTITY_NAMES } from '../../schemas/entities.js';
import { apiSchemas } from '../openapi.js';

/** Response schemas of the connection routes (what producers/connection-public.ts shows, plus record counts and lag). */
const runError = z.object({ code: z.string(), message: z.string(), retriable: z.boolean() }).nullable();

export const syncRunSchema = z
  .object({
    id: z.string(),
    stream: z.string(),
    entity: z.string(),
    status: z.enum(['running', 'succeeded', 'failed']),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    records: z.number(),
    deletes: z.number(),
    full_pass: z.boolean(),
    pass_id: z.string().nullable(),
    cursor: z.unknown(),
    error: runError,
  })
  .register(apiSchemas, { id: 'SyncRun' });

const streamSchema = z.object({
  name: z.string(),
  entity: z.string(),
  sync_mode: z.string(),
  interval_seconds: z.number(),
  last_run_status: z.enum(['running', 'succeeded', 'failed']).nullable(),
  last_success_at: z.string().nullable(),
  next_run_at: z.string().nullable(),
  last_error: runError,
  pending_request: z.object({ requested_at: z.string(), full: z.boolean() }).nullable(),
  lag_seconds: z.number().nullable().describe('Seconds since the last successful sync of this stream; null before the first.'),
});

export const connectionSchema = z
  .object({
    id: z.string(),
    system: z.string(),
    name: z.string(),
    owner: z.string().nullable(),
    config: z.record(z.string(), z.unknown()).describe('The configuration without its secret fields.'),
    credentials: z.object({ fields: z.array(z.string()), set: z.boolean() }).describe('Which secret fields the connector has; their values are never shown.'),
    schedule: z.record(z.string(), z.number()),
    paused: z.boolean(),
    status: z.enum(['online', 'offline', 'auth_required', 'paused']),
    status_reason: z.string(),
    revision: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
    streams: z.array(streamSchema),
    last_sync_at: z.string().nullable().describe('The most recent successful sync of any stream.'),
    next_run_at: z.string().nullable().describe('The next scheduled run of any stream.'),
    lag_seconds: z.number().nullable().describe('Seconds since the stream synced least recently last succeeded: how stale the oldest data may be.'),
    records: z.partialRecord(z.enum(ENTITY_NAMES as [string, ...string[]]), z.number()).describe('Records held in ClickHouse per entity (deleted ones excluded).'),
  })
  .register(apiSchemas, { id: 'Connection' });

export type ConnectionView = z.infer<typeof connectionSchema>;
