import { createEvent, type ConnectionStatusChangedData, type MillraceEvent } from '../platform/events.js';

/**
 * A connection's runtime state, kept in the compacted `connection-state` topic (key: connection
 * id) and written only by the worker that owns the connection, in the same transactions as the
 * sync events. The API reads it for status, last success, next run and recent sync runs.
 */
export type ConnectionStatus = ConnectionStatusChangedData['to'];

export interface RunError {
  code: string;
  message: string;
  retriable: boolean;
}

export interface RunSummary {
  id: string;
  stream: string;
  entity: string;
  status: 'running' | 'succeeded' | 'failed';
  started_at: string;
  finished_at: string | null;
  records: number;
  deletes: number;
  full_pass: boolean;
  pass_id: string | null;
  cursor: unknown;
  error: RunError | null;
}

export interface StreamState {
  last_run: RunSummary | null;
  last_success_at: string | null;
  next_run_at: string | null;
  /** `requested_at` of the last sync request (sync now / full resync) this stream took up. */
  handled_request_at: string | null;
  last_error: RunError | null;
}

export interface ConnectionState {
  connection_id: string;
  status: ConnectionStatus;
  status_reason: string;
  consecutive_unavailable: number;
  /** The connection revision whose credentials the source rejected; polling waits for a newer one. */
  auth_failed_revision: number | null;
  streams: Record<string, StreamState>;
  /** Newest first, at most RECENT_RUNS. */
  recent_runs: RunSummary[];
  worker_id: string;
  updated_at: string;
}

export const RECENT_RUNS = 50;

export function initialState(connectionId: string, workerId: string): ConnectionState {
  return {
    connection_id: connectionId,
    status: 'online',
    status_reason: 'created',
    consecutive_unavailable: 0,
    auth_failed_revision: null,
    streams: {},
    recent_runs: [],
    worker_id: workerId,
    updated_at: new Date().toISOString(),
  };
}

export function parseState(value: Buffer | null): ConnectionState | null {
  return value === null ? null : (JSON.parse(value.toString('utf8')) as ConnectionState);
}

export function streamState(state: ConnectionState, stream: string): StreamState {
  return state.streams[stream] ?? { last_run: null, last_success_at: null, next_run_at: null, handled_request_at: null, last_error: null };
}

/** Records a run (new or updated) in the stream's state and the recent-runs list. */
export function recordRun(state: ConnectionState, run: RunSummary, patch: Partial<StreamState> = {}): ConnectionState {
  const streams = { ...state.streams, [run.stream]: { ...streamState(state, run.stream), last_run: run, ...patch } };
  const recent = [run, ...state.recent_runs.filter((candidate) => candidate.id !== run.id)].slice(0, RECENT_RUNS);
  return { ...state, streams, recent_runs: recent, updated_at: new Date().toISOString() };
}

export interface Transition {
  state: ConnectionState;
  events: MillraceEvent[];
}

function changeStatus(state: ConnectionState, to: ConnectionStatus, reason: string, events: MillraceEvent[] = []): Transition {
  if (state.status === to) return { state, events };
  const data: ConnectionStatusChangedData = { from: state.status, to, reason };
  return {
    state: { ...state, status: to, status_reason: reason, updated_at: new Date().toISOString() },
    events: [...events, createEvent('connection.status_changed', state.connection_id, data as unknown as Record<string, unknown>)],
  };
}

/** A successful run: the failure count resets and an offline connection is online again. */
export function afterSuccess(state: ConnectionState): Transition {
  const reset = { ...state, consecutive_unavailable: 0 };
  if (state.status === 'offline' || state.status === 'auth_required') return changeStatus(reset, 'online', 'sync_succeeded');
  return { state: reset, events: [] };
}

export interface FailureContext {
  kind: string;
  error: RunError;
  stream: string;
  /** Consecutive `unavailable` failures after which the connection is offline. */
  offlineAfter: number;
  /** Revision of the connection whose credentials failed. */
  revision: number;
}

/**
 * A failed run. `auth` → auth_required, announced once (connection.auth_required and
 * status_changed) however many streams fail with it; `unavailable` counts towards offline; any
 * other answer from the source shows it is reachable, so the count resets.
 */
export function afterFailure(state: ConnectionState, failure: FailureContext): Transition {
  if (failure.kind === 'auth') {
    if (state.status === 'auth_required') return { state, events: [] };
    const announced = createEvent('connection.auth_required', state.connection_id, {
      stream: failure.stream,
      error: { code: failure.error.code, message: failure.error.message },
    });
    const next = { ...state, auth_failed_revision: failure.revision, consecutive_unavailable: 0 };
    return changeStatus(next, 'auth_required', 'credentials_rejected', [announced]);
  }
  if (failure.kind === 'unavailable') {
    const next = { ...state, consecutive_unavailable: state.consecutive_unavailable + 1 };
    if (next.consecutive_unavailable >= failure.offlineAfter && state.status === 'online') return changeStatus(next, 'offline', 'source_unavailable');
    return { state: next, events: [] };
  }
  return { state: { ...state, consecutive_unavailable: 0 }, events: [] };
}

export function afterPause(state: ConnectionState): Transition {
  return changeStatus(state, 'paused', 'paused');
}

export function afterResume(state: ConnectionState): Transition {
  if (state.status !== 'paused') return { state, events: [] };
  return changeStatus(state, 'online', 'resumed');
}

/** New credentials from the user: auth_required is cleared and polling resumes. */
export function afterCredentialsUpdated(state: ConnectionState): Transition {
  const next = { ...state, auth_failed_revision: null };
  if (state.status !== 'auth_required') return { state: next, events: [] };
  return changeStatus(next, 'online', 'credentials_updated');
}

/** Is polling held because the source rejected the credentials of this revision? */
export function awaitingCredentials(state: ConnectionState, revision: number): boolean {
  return state.status === 'auth_required' && state.auth_failed_revision !== null && state.auth_failed_revision >= revision;
}
