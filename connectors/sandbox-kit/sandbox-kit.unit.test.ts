import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { defaultFaults, registerFaults, type RequestLogEntry } from './faults.js';
import { LazyDataset, seededRandom } from './seeded.js';
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
