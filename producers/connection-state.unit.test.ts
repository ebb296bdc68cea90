import { describe, expect, it } from 'vitest';
import * as health from './connection-state.js';

const unavailable = { kind: 'unavailable', error: { code: 'unavailable', message: 'down', retriable: true }, stream: 'vendors', offlineAfter: 3, revision: 1 };
const auth = { ...unavailable, kind: 'auth', error: { code: 'auth', message: 'revoked', retriable: false } };

describe('connection health transitions', () => {
  it('goes offline only after the threshold of consecutive unavailable failures, and online on the first success', () => {
    let state = health.initialState('c1', 'w0');
    const announced: string[] = [];
    for (let i = 0; i < 3; i++) {
      const transition = health.afterFailure(state, unavailable);
      state = transition.state;
      announced.push(...transition.events.map((event) => `${event.type}:${event.data.to ?? ''}`));
    }
    expect(state.status).toBe('offline');
    expect(announced).toEqual(['connection.status_changed:offline']);
    // More failures while offline announce nothing new.
    expect(health.afterFailure(state, unavailable).events).toEqual([]);
    const back = health.afterSuccess(state);
    expect(back.state).toMatchObject({ status: 'online', consecutive_unavailable: 0 });
    expect(back.events.map((event) => event.data)).toEqual([{ from: 'offline', to: 'online', reason: 'sync_succeeded' }]);
  });

  it('resets the count when the source answers with another error', () => {
    let state = health.initialState('c1', 'w0');
    state = health.afterFailure(state, unavailable).state;
    state = health.afterFailure(state, unavailable).state;
    state = health.afterFailure(state, { ...unavailable, kind: 'invalid_response' }).state;
    state = health.afterFailure(state, unavailable).state;
    expect(state).toMatchObject({ status: 'online', consecutive_unavailable: 1 });
  });

  it('announces auth_required once, however many streams fail with it, until new credentials arrive', () => {
    const first = health.afterFailure(health.initialState('c1', 'w0'), auth);
    expect(first.events.map((event) => event.type)).toEqual(['connection.auth_required', 'connection.status_changed']);
    expect(first.state).toMatchObject({ status: 'auth_required', auth_failed_revision: 1 });
    expect(health.afterFailure(first.state, { ...auth, stream: 'assets' }).events).toEqual([]);
    expect(health.awaitingCredentials(first.state, 1)).toBe(true);
    expect(health.awaitingCredentials(first.state, 2)).toBe(false);
    const updated = health.afterCredentialsUpdated(first.state);
    expect(updated.state).toMatchObject({ status: 'online', auth_failed_revision: null });
    expect(updated.events.map((event) => event.data)).toEqual([{ from: 'auth_required', to: 'online', reason: 'credentials_updated' }]);
  });

  it('pauses and resumes with one status change each', () => {
    const paused = health.afterPause(health.initialState('c1', 'w0'));
    expect(paused.events).toHaveLength(1);
    expect(health.afterPause(paused.state).events).toEqual([]);
    expect(health.afterResume(paused.state).state.status).toBe('online');
  });

  it('keeps a bounded, newest-first history of runs', () => {
    let state = health.initialState('c1', 'w0');
    for (let i = 0; i < health.RECENT_RUNS + 5; i++) {
      state = health.recordRun(state, { id: `r${i}`, stream: 'vendors', entity: 'vendor', status: 'succeeded', started_at: '', finished_at: '', records: i, deletes: 0, full_pass: false, pass_id: null, cursor: null, error: null });
    }
    expect(state.recent_runs).toHaveLength(health.RECENT_RUNS);
    expect(state.recent_runs[0]!.id).toBe(`r${health.RECENT_RUNS + 4}`);
    expect(state.streams.vendors!.last_run!.id).toBe(`r${health.RECENT_RUNS + 4}`);
  });
});
