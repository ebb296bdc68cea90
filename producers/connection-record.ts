import { z } from 'zod';
import { secretKeys } from '../connectors/sdk/secret.js';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import type { SealedCredentials } from './credential-cipher.js';
import { RuntimeError } from './errors.js';

/**
 * A connection as stored in the compacted `connections` topic (key: connection id; a null value
 * deletes it). Only the service writes user changes; a worker writes rotated credentials without
 * bumping `revision`, which counts user edits (the worker rebuilds its client when it moves).
 */
const syncRequest = z.object({ requested_at: z.string(), full: z.boolean() });

export const connectionRecordSchema = z.object({
  id: z.string(),
  system: z.string(),
  name: z.string(),
  /** Non-secret config fields, in clear. */
  config: z.record(z.string(), z.unknown()),
  credentials: z.object({ kid: z.string(), iv: z.string(), tag: z.string(), ciphertext: z.string() }),
  /** Poll interval per stream, seconds; streams not named use their default. */
  schedule: z.record(z.string(), z.number()),
  paused: z.boolean(),
  /** Who may see and change this connection through the API (object-level authorization). */
  owner: z.string().nullable(),
  revision: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  sync_requests: z.record(z.string(), syncRequest),
  /** Field mappings and custom-field selection per entity (transformers/field-mapping-config.ts); the transformer applies them. */
  mapping: z.record(z.string(), z.unknown()).nullable().optional(),
});

export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;
export type SyncRequest = z.infer<typeof syncRequest>;

export const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 30 * 24 * 3600;

export function parseConnectionRecord(value: Buffer | null): ConnectionRecord | null {
  if (value === null) return null;
  return connectionRecordSchema.parse(JSON.parse(value.toString('utf8')));
}

/** Splits a full config into its clear and secret halves, per `secretKeys(configSchema)`. */
export function splitConfig(connector: ConnectorDefinition, config: Record<string, unknown>): { plain: Record<string, unknown>; secrets: Record<string, unknown> } {
  const secretNames = new Set(secretKeys(connector.configSchema));
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    (secretNames.has(key) ? secrets : plain)[key] = value;
  }
  return { plain, secrets };
}

/**
 * Validates a full config against the connector's schema. The error names the fields and what
 * is wrong with them, never the values (a value may be a secret).
 */
export function validateConfig(connector: ConnectorDefinition, config: Record<string, unknown>): Record<string, unknown> {
  const parsed = connector.configSchema.safeParse(config);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(config)', message: issue.message }));
  throw new RuntimeError(
    'invalid_config',
    `The configuration for ${connector.id} is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`,
    { issues },
  );
}

/** Checks a schedule names known streams with intervals between 1 second and 30 days. */
export function validateSchedule(connector: ConnectorDefinition, schedule: Record<string, number>): Record<string, number> {
  const streams = new Set(connector.streams.map((stream) => stream.name));
  for (const [stream, seconds] of Object.entries(schedule)) {
    if (!streams.has(stream)) {
      throw new RuntimeError('stream_unknown', `schedule.${stream}: ${connector.id} has no stream ${stream}; streams: ${[...streams].join(', ')}.`);
    }
    if (!Number.isInteger(seconds) || seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
      throw new RuntimeError('invalid_schedule', `schedule.${stream}: the interval must be a whole number of seconds from ${MIN_INTERVAL_SECONDS} to ${MAX_INTERVAL_SECONDS} (30 days).`);
    }
  }
  return schedule;
}

export function intervalSeconds(connector: ConnectorDefinition, record: ConnectionRecord, streamName: string): number {
  const stream = connector.streams.find((candidate) => candidate.name === streamName);
  return record.schedule[streamName] ?? stream?.defaultIntervalSeconds ?? 3600;
}

export type { SealedCredentials };
