import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/sdk/errors.js';
import { chunkMessages, type CursorRecord } from './capture-messages.js';
import { classifyError, DEFAULT_SETTINGS, redactSecrets, retryDelayMs } from './runtime-settings.js';
import { planStart } from './sync-run.js';

const now = new Date('2026-01-01T00:00:00Z');
const newId = () => 'new-pass';
const stored = (cursor: unknown, pass: CursorRecord['pass'] = null): CursorRecord => ({ connection_id: 'c', stream: 's', cursor, pass, sync_run_id: 'r', updated_at: '' });

describe('planStart', () => {
  const incremental = { syncMode: 'incremental' };
  it('starts a full pass on the first sync and on a full resync', () => {
    expect(planStart(incremental, null, false, newId, now)).toEqual({ cursor: null, pass: { id: 'new-pass', started_at: now.toISOString() }, writeCursor: true });
    expect(planStart(incremental, stored({ since: 5 }), true, newId, now)).toMatchObject({ cursor: null, pass: { id: 'new-pass' }, writeCursor: true });
  });
  it('resumes an interrupted pass from its cursor with its id', () => {
    expect(planStart(incremental, stored({ since: 5 }, { id: 'p1', started_at: 'then' }), false, newId, now)).toEqual({ cursor: { since: 5 }, pass: { id: 'p1', started_at: 'then' }, writeCursor: false });
  });
  it('continues incrementally from a cursor outside a pass', () => {
    expect(planStart(incremental, stored({ since: 5 }), false, newId, now)).toEqual({ cursor: { since: 5 }, pass: null, writeCursor: false });
  });
  it('makes every run of a full-refresh stream a pass', () => {
    expect(planStart({ syncMode: 'full_refresh' }, stored(null), false, newId, now)).toMatchObject({ cursor: null, pass: { id: 'new-pass' } });
  });
});

describe('chunkMessages', () => {
  it('splits sends by size and keeps every message in order', () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(400) }));
    const chunks = chunkMessages([{ topic: 'raw', messages }, { topic: 'cursors', messages: [{ key: 'c', value: '{}' }] }], 1_000);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.flat().flatMap((entry) => entry.messages.map((message) => message.key))).toEqual([...messages.map((message) => message.key), 'c']);
    expect(chunks.flat().every((entry) => entry.messages.length > 0)).toBe(true);
  });
});

describe('error handling', () => {
  it('uses the ConnectorError kind as code and redacts secret values', () => {
    const classified = classifyError(new ConnectorError('auth', 'refresh refused for rt-123456'), ['rt-123456']);
    expect(classified).toEqual({ kind: 'auth', error: { code: 'auth', message: 'refresh refused for [redacted]', retriable: false } });
    expect(classifyError(new TypeError('boom'), []).error.code).toBe('internal');
    expect(redactSecrets('abc', ['ab'])).toBe('abc');
  });
  it('backs off unavailable sources, honours Retry-After and holds on auth', () => {
    const unavailable = { kind: 'unavailable', error: { code: 'unavailable', message: '', retriable: true } };
    expect(retryDelayMs(unavailable, 1, 3_600_000, DEFAULT_SETTINGS)).toBe(5_000);
    expect(retryDelayMs(unavailable, 3, 3_600_000, DEFAULT_SETTINGS)).toBe(20_000);
    expect(retryDelayMs(unavailable, 30, 60_000, DEFAULT_SETTINGS)).toBe(60_000);
    expect(retryDelayMs({ kind: 'rate_limited', error: unavailable.error, retryAfterSeconds: 90 }, 0, 3_600_000, DEFAULT_SETTINGS)).toBe(90_000);
    expect(retryDelayMs({ kind: 'auth', error: unavailable.error }, 0, 3_600_000, DEFAULT_SETTINGS)).toBeNull();
  });
});
