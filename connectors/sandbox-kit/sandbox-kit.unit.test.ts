import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { appendToRequestLog, DEFAULT_REQUEST_LOG_LIMIT, defaultFaults, registerFaults, type RequestLogEntry } from './faults.js';
import { LazyDataset, numericKeyIndex, seededRandom } from './seeded.js';
import { runSandbox } from './server.js';

describe('sandbox kit', () => {
  it('generates the same record for the same seed and index', () => {
    expect(seededRandom(7, 3)()).toBe(seededRandom(7, 3)());
    expect(seededRandom(7, 3)()).not.toBe(seededRandom(7, 4)());
  });

  it('keeps created, updated and deleted records in an overlay', () => {
    const data = new LazyDataset(3, (i) => ({ id: `r${i}`, v: i }), (r) => r.id, (i) => `r${i}`);
    data.put({ id: 'r1', v: 100 });
    data.put({ id: 'new', v: 5 });
    data.delete('r0');
    expect([...data.records()]).toEqual([{ id: 'r1', v: 100 }, { id: 'r2', v: 2 }, { id: 'new', v: 5 }]);
    expect(data.changedKeys().sort()).toEqual(['new', 'r0', 'r1']);
  });

  it('looks records up through indexOf without generating keys, and checks the index against keyAt', () => {
    let keyAtCalls = 0;
    const keyAt = (i: number) => {
      keyAtCalls++;
      return String(100 + i);
    };
    const data = new LazyDataset(1_000_000, (i) => ({ id: String(100 + i), v: i }), (r) => r.id, keyAt, numericKeyIndex(100));
    expect(data.get('1000099')).toEqual({ id: '1000099', v: 999_999 });
    expect(data.get('100')).toEqual({ id: '100', v: 0 });
    for (const unknown of ['99', '1000100', '0100', '1e3', '', 'x', '100.5']) expect(data.get(unknown), unknown).toBeUndefined();
    data.put({ id: '500', v: -1 });
    data.put({ id: 'new', v: 1 });
    data.put({ id: 'new', v: 2 });
    expect(data.delete('101')).toBe(true);
    expect(data.delete('101')).toBe(false);
    expect(data.get('500')).toEqual({ id: '500', v: -1 });
    expect(data.get('new')).toEqual({ id: 'new', v: 2 });
    expect(data.get('101')).toBeUndefined();
    // One keyAt call per lookup (the check), not one per record.
    expect(keyAtCalls).toBeLessThan(20);
    expect(data.changedKeys().sort()).toEqual(['101', '500', 'new']);
  });

  it('finds nothing rather than the wrong record when indexOf is off', () => {
    const data = new LazyDataset(10, (i) => ({ id: `r${i}` }), (r) => r.id, (i) => `r${i}`, (key) => Number(key.slice(1)) + 1);
    expect(data.get('r3')).toBeUndefined();
    expect(data.get('r9')).toBeUndefined();
    const fractional = new LazyDataset(10, (i) => ({ id: `r${i}` }), (r) => r.id, (i) => `r${i}`, () => 2.5);
    expect(fractional.get('r2')).toBeUndefined();
  });

  it('keeps the newest entries of the request log within its limit', () => {
    const log: RequestLogEntry[] = [];
    for (let i = 0; i < 25_000; i++) appendToRequestLog(log, { method: 'GET', url: `/r/${i}`, at: i }, DEFAULT_REQUEST_LOG_LIMIT);
    expect(log.length).toBeGreaterThanOrEqual(DEFAULT_REQUEST_LOG_LIMIT);
    expect(log.length).toBeLessThan(DEFAULT_REQUEST_LOG_LIMIT * 1.1);
    expect(log.at(-1)!.url).toBe('/r/24999');
    // Contiguous: nothing in the middle was dropped.
    const first = log[0]!.at;
    expect(log.every((entry, index) => entry.at === first + index)).toBe(true);
  });

  it('caps a sandbox request log at the configured size, with statuses of the kept requests', async () => {
    const app = Fastify();
    const log: RequestLogEntry[] = [];
    const bodies = { unavailable: () => ({ contentType: 'text/plain', body: 'down' }), rateLimited: () => ({ contentType: 'text/plain', body: 'slow' }) };
    expect(() => registerFaults(Fastify(), defaultFaults(), bodies, [], undefined, { requestLogLimit: 0 })).toThrow(/requestLogLimit/);
    registerFaults(app, defaultFaults(), bodies, log, undefined, { requestLogLimit: 5 });
    app.get('/x/:n', async () => ({ ok: true }));
    app.get('/__sandbox/state', async () => ({ control: true }));
    const sandbox = await runSandbox(app);
    try {
      for (let n = 0; n < 12; n++) expect((await fetch(`${sandbox.url}/x/${n}`)).status).toBe(200);
      expect((await fetch(`${sandbox.url}/__sandbox/state`)).status).toBe(200);
      expect(log.map((entry) => entry.url)).toEqual(['/x/7', '/x/8', '/x/9', '/x/10', '/x/11']);
      expect(log.map((entry) => entry.status)).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await sandbox.close();
    }
  });

  it('answers 503 and 429 with the vendor bodies, and refuses connections when down', async () => {
    const app = Fastify();
    const faults = defaultFaults();
    const log: RequestLogEntry[] = [];
    registerFaults(app, faults, {
      unavailable: () => ({ contentType: 'application/json', body: '{"down":true}' }),
      rateLimited: () => ({ contentType: 'application/json', body: '{"slow":"down"}' }),
    }, log);
    app.get('/x', async () => ({ ok: true }));
    const sandbox = await runSandbox(app);
    try {
      expect((await fetch(`${sandbox.url}/x`)).status).toBe(200);
      faults.down = 503;
      const unavailable = await fetch(`${sandbox.url}/x`);
      expect(unavailable.status).toBe(503);
      expect(await unavailable.text()).toBe('{"down":true}');
      faults.down = false;
      faults.rateLimit = { limit: 1, windowMs: 60_000, retryAfterSeconds: 2 };
      expect((await fetch(`${sandbox.url}/x`)).status).toBe(200);
      const limited = await fetch(`${sandbox.url}/x`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      faults.rateLimit = null;
      await sandbox.goDown();
      await expect(fetch(`${sandbox.url}/x`)).rejects.toThrow();
      await sandbox.comeUp();
      expect((await fetch(`${sandbox.url}/x`)).status).toBe(200);
      expect(log.map((entry) => entry.status)).toEqual([200, 503, 200, 429, 200]);
    } finally {
      await sandbox.close();
    }
  });
});
