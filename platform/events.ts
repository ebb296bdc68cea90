import { v7 as uuidv7 } from 'uuid';

/**
 * The events topic carries everything a webhook can announce. One JSON message per event, keyed
 * by connection id (or `system`), so a connection's events stay in order. The value is exactly
 * the webhook payload: `{id, type, timestamp, connection_id, data}`.
 */
export const EVENT_TYPES = [
  'sync.started',
  'sync.completed',
  'sync.failed',
  'connection.created',
  'connection.updated',
  'connection.deleted',
  'connection.auth_required',
  'connection.status_changed',
  'record.created',
  'record.updated',
  'record.deleted',
  'system.error',
  'endpoint.disabled',
  'webhook.test',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface MillraceEvent<Data = Record<string, unknown>> {
  /** Stable id: the webhook-id of every delivery of this event. */
  id: string;
  type: EventType;
  /** ISO 8601 UTC. */
  timestamp: string;
  connection_id: string | null;
  data: Data;
}

/** `data` of record.* events. `record` is the unified record without remote_data; the webhook
 *  sink strips it unless a subscription asks for whole records. */
export interface RecordEventData {
  entity: string;
  record_id: string;
  remote_id: string;
  version: string;
  changed_fields?: string[];
  link: string;
  record?: Record<string, unknown>;
}

export interface SyncCompletedData {
  sync_run_id: string;
  entity: string;
  records: number;
  deletes: number;
  duration_ms: number;
  cursor: unknown;
  full_pass: boolean;
}

export interface SyncFailedData {
  sync_run_id: string;
  entity: string;
  error: { code: string; message: string; retriable: boolean };
  records: number;
}

export interface ConnectionStatusChangedData {
  from: 'online' | 'offline' | 'auth_required' | 'paused';
  to: 'online' | 'offline' | 'auth_required' | 'paused';
  reason: string;
}

export function createEvent<Data>(type: EventType, connectionId: string | null, data: Data, id: string = uuidv7()): MillraceEvent<Data> {
  return { id, type, timestamp: new Date().toISOString(), connection_id: connectionId, data };
}

export function eventKey(event: MillraceEvent<unknown>): string {
  return event.connection_id ?? 'system';
}

/** Does `pattern` (`record.*`, `sync.completed`, `*`) match `type`? */
export function eventTypeMatches(pattern: string, type: string): boolean {
  if (pattern === '*' || pattern === type) return true;
  return pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1));
}
