import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { abortable, delay, onAbort } from './abort-listeners.js';
import { createHttpClient } from './http.js';
import { RequestLimiter } from './limits.js';
import { sendJson, startLoopbackServer } from './testing/loopback-server.js';

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

/** Collects process warnings (MaxListenersExceededWarning among them) while a test runs. */
function watchWarnings(): { warnings: Error[]; stop(): void } {
  const warnings: Error[] = [];
  const record = (warning: Error) => warnings.push(warning);
  process.on('warning', record);
  return { warnings, stop: () => process.off('warning', record) };
}

describe('onAbort', () => {
  it('puts one listener on the signal for any number of callbacks, and removes it with the last', () => {
    const controller = new AbortController();
    const releases = Array.from({ length: 50 }, () => onAbort(controller.signal, () => {}));
    expect(listeners(controller.signal)).toBe(1);
    releases.slice(0, 49).forEach((release) => release());
    expect(listeners(controller.signal)).toBe(1);
    releases[49]!();
    releases[49]!(); // twice is harmless
    expect(listeners(controller.signal)).toBe(0);
    // A new registration after all were released listens again.
    let called = 0;
    onAbort(controller.signal, () => called++);
    controller.abort();
    expect(called).toBe(1);
  });

  it('calls every registered callback once on abort, not the released ones', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const callback = () => calls.push(1);
    onAbort(controller.signal, callback);
    onAbort(controller.signal, callback);
    const release = onAbort(controller.signal, () => calls.push(99));
    release();
    controller.abort();
    controller.abort();
    expect(calls).toEqual([1, 1]);
    expect(listeners(controller.signal)).toBe(0);
  });
});

describe('abortable and delay', () => {
  it('settle as the work or the timer does, or reject with the reason on abort', async () => {
    const controller = new AbortController();
    await expect(abortable(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(abortable(Promise.reject(new Error('failed')), controller.signal)).rejects.toThrow('failed');
    await expect(delay(1, controller.signal)).resolves.toBeUndefined();
    expect(listeners(controller.signal)).toBe(0);
    const never = new Promise<never>(() => {});
    const waits = [abortable(never, controller.signal), delay(60_000, controller.signal)];
    controller.abort(new Error('sync stopped'));
    for (const wait of waits) await expect(wait).rejects.toThrow('sync stopped');
    await expect(delay(1, controller.signal)).rejects.toThrow('sync stopped');
    expect(() => abortable(never, controller.signal)).toThrow('sync stopped');
  });
});

describe('one sync signal shared by many requests', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('holds 60 queued limiter tasks on one listener, and aborting releases all of them', async () => {
    const watch = watchWarnings();
    cleanups.push(async () => watch.stop());
    const limiter = new RequestLimiter({ maxConcurrency: 1 });
    cleanups.push(() => limiter.stop());
    const controller = new AbortController();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = limiter.run(() => gate.then(() => 'first'), controller.signal);
    const queued = Array.from({ length: 60 }, (_, i) => limiter.run(async () => i, controller.signal));
    expect(listeners(controller.signal)).toBe(1);
    release();
    await expect(first).resolves.toBe('first');
    await expect(Promise.all(queued)).resolves.toHaveLength(60);
    expect(listeners(controller.signal)).toBe(0);

    const blocked = limiter.run(() => new Promise(() => {}), controller.signal);
    const waiting = Array.from({ length: 30 }, () => limiter.run(async () => 'ran', controller.signal));
    controller.abort(new Error('connection deleted'));
    for (const wait of [blocked, ...waiting]) await expect(wait).rejects.toThrow('connection deleted');
    expect(listeners(controller.signal)).toBe(0);
    expect(watch.warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('sends 25 concurrent requests of one signal without a MaxListenersExceededWarning', async () => {
    const watch = watchWarnings();
    cleanups.push(async () => watch.stop());
    const server = await startLoopbackServer((request, response) => setTimeout(() => sendJson(response, 200, { url: request.url }), 30));
    cleanups.push(() => server.close());
    const http = createHttpClient({ baseUrl: `${server.origin}/`, limits: { maxConcurrency: 4 } });
    cleanups.push(() => http.close());
    const controller = new AbortController();
    let peak = 0;
    const requests = Array.from({ length: 25 }, (_, i) => http.json<{ url: string }>({ path: `r/${i}`, signal: controller.signal }));
    const sampling = setInterval(() => (peak = Math.max(peak, listeners(controller.signal))), 5);
    const answers = await Promise.all(requests).finally(() => clearInterval(sampling));
    expect(answers.map((answer) => answer.url)).toEqual(Array.from({ length: 25 }, (_, i) => `/r/${i}`));
    expect(server.requests).toHaveLength(25);
    expect(peak).toBe(1);
    expect(listeners(controller.signal)).toBe(0);
    // Let a warning emitted on the last request reach the 'warning' event before checking.
    await new Promise((resolve) => setImmediate(resolve));
    expect(watch.warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
