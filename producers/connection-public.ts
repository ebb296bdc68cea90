import { secretKeys } from '../connectors/sdk/secret.js';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import { intervalSeconds, type ConnectionRecord, type SyncRequest } from './connection-record.js';
import { streamState, type ConnectionState, type ConnectionStatus, type RunError, type RunSummary } from './connection-state.js';

/**
 * What the API may show of a connection: clear config, the names of the secret fields (never
 * their values, not even encrypted), schedule, status and per-stream sync facts.
 */
export interface PublicConnection {
  id: string;
  system: string;
  name: string;
  owner: string | null;
  config: Record<string, unknown>;
  /** Secret fields the connector declares, and which of them hold a value. */
  credentials: { fields: string[]; set: boolean };
  schedule: Record<string, number>;
  paused: boolean;
  status: ConnectionStatus;
  status_reason: string;
  revision: number;
  created_at: string;
  updated_at: string;
  streams: PublicStream[];
}

export interface PublicStream {
  name: string;
  entity: string;
  sync_mode: string;
  interval_seconds: number;
  last_run_status: RunSummary['status'] | null;
  last_success_at: string | null;
  next_run_at: string | null;
  last_error: RunError | null;
  pending_request: SyncRequest | null;
}

export interface SyncRunsView {
  status: ConnectionStatus;
  streams: Record<string, { last_run: RunSummary | null; last_success_at: string | null; next_run_at: string | null; last_error: RunError | null }>;
  runs: RunSummary[];
}

export function publicConnection(record: ConnectionRecord, state: ConnectionState | null, connector: ConnectorDefinition | undefined): PublicConnection {
  const streams = (connector?.streams ?? []).map((stream): PublicStream => {
    const facts = state ? streamState(state, stream.name) : null;
    const request = record.sync_requests[stream.name];
    const pending = request && !(facts?.handled_request_at && facts.handled_request_at >= request.requested_at) ? request : null;
    return {
      name: stream.name,
      entity: stream.entity,
      sync_mode: stream.syncMode,
      interval_seconds: intervalSeconds(connector!, record, stream.name),
      last_run_status: facts?.last_run?.status ?? null,
      last_success_at: facts?.last_success_at ?? null,
      next_run_at: facts?.next_run_at ?? null,
      last_error: facts?.last_error ?? null,
      pending_request: pending,
    };
  });
  return {
    id: record.id,
    system: record.system,
    name: record.name,
    owner: record.owner,
    config: { ...record.config },
    credentials: { fields: connector ? secretKeys(connector.configSchema) : [], set: record.credentials.ciphertext.length > 0 },
    schedule: { ...record.schedule },
    paused: record.paused,
    status: record.paused ? 'paused' : (state?.status ?? 'online'),
    status_reason: record.paused ? 'paused' : (state?.status_reason ?? 'created'),
    revision: record.revision,
    created_at: record.created_at,
    updated_at: record.updated_at,
    streams,
  };
}

export function syncRunsOf(state: ConnectionState | null): SyncRunsView {
  if (!state) return { status: 'online', streams: {}, runs: [] };
  const streams = Object.fromEntries(
    Object.entries(state.streams).map(([name, facts]) => [name, { last_run: facts.last_run, last_success_at: facts.last_success_at, next_run_at: facts.next_run_at, last_error: facts.last_error }]),
  );
  return { status: state.status, streams, runs: state.recent_runs };
}
