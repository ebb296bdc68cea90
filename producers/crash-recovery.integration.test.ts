import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RAW_HEADERS } from '../platform/raw-record.js';
import { keyRing } from './master-keys.js';
import { TestSource } from '../test/test-connector/source-server.js';
import { startRuntime, TopicTail, type Runtime } from '../test/test-connector/runtime-harness.js';
import { testBrokers } from '../test/support/kafka.js';
import { waitFor } from '../test/support/wait-for.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Exactly-once capture across a crash: the worker runs as a child process, is killed with
// SIGKILL after some pages were committed, and a new worker process finishes the sync. The raw
// topic, read read_committed, must hold every source record exactly once, and the new worker
// must ask the source for the cursor that was committed last.
describe('worker killed mid-sync', () => {
  const children: ChildProcess[] = [];
  let runtime: Runtime | undefined;
  let tail: TopicTail | undefined;
  let source: TestSource | undefined;

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await tail?.stop();
    await runtime?.stop();
    await source?.stop();
  });

  function spawnWorker(prefix: string, masterKey: Buffer, id: string): { child: ChildProcess; output: string[] } {
    const output: string[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/test-connector/worker-process.ts'], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: testBrokers().join(','), MILLRACE_TOPIC_PREFIX: prefix, MILLRACE_MASTER_KEY: masterKey.toString('base64'), MILLRACE_WORKER_ID: id, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    children.push(child);
    return { child, output };
  }

  it('resumes from the last committed cursor and the raw topic holds every record exactly once', async () => {
    const total = 600;
    source = new TestSource({ records: { vendors: total, work_orders: 0, assets: 0 }, noteBytes: 200 });
    source.faults.slowMs = 60;
    await source.start();
    const masterKey = randomBytes(32);
    // The service runs here; the workers run in child processes.
    runtime = await startRuntime({ workers: 0, ring: keyRing(masterKey) });
    const { topics, prefix } = runtime;
    tail = new TopicTail(runtime.kafka, [topics.raw('vendors'), topics.cursors, topics.events]);
    await tail.start();
    const connectionId = (await runtime.service.create({
      system: 'millrace_test',
      name: 'crash',
      schedule: { work_orders: 86_400, assets: 86_400 },
      config: { baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken, pageSize: 20 },
    })).id;
    const vendorCursors = () =>
      tail!.messages
        .filter((message) => message.topic === topics.cursors && message.value !== null)
        .map((message) => JSON.parse(message.value!.toString()) as { stream: string; cursor: { since: number } | null; sync_run_id: string; pass: { id: string } | null })
        .filter((record) => record.stream === 'vendors');

    const first = spawnWorker(prefix, masterKey, 'first');
    await waitFor(() => (vendorCursors().at(-1)?.cursor?.since ?? 0) >= 100, { description: '5 pages committed by the first worker', timeoutMs: 60_000, intervalMs: 20 });
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const killedAt = Date.now();
    const firstRun = vendorCursors().at(-1)!.sync_run_id;
    expect(tail.events(connectionId).some((event) => event.type === 'sync.completed' && event.data.stream === 'vendors')).toBe(false);

    const second = spawnWorker(prefix, masterKey, 'second');
    await waitFor(() => tail!.events(connectionId).some((event) => event.type === 'sync.completed' && event.data.stream === 'vendors'), {
      description: () => `the second worker to finish the sync (its output: ${second.output.join('').slice(-3000)})`,
      timeoutMs: 90_000,
    });
    await tail.caughtUp();

    // The cursor the first worker committed last is where the second one asked the source to resume.
    const committedByFirst = vendorCursors().filter((record) => record.sync_run_id === firstRun).at(-1)!;
    expect(committedByFirst.cursor!.since).toBeGreaterThanOrEqual(100);
    expect(committedByFirst.cursor!.since).toBeLessThan(total);
    const resumedAt = source.cursorLog.find((entry) => entry.stream === 'vendors' && entry.at > killedAt)!;
    expect(resumedAt.cursor).toBe(String(committedByFirst.cursor!.since));

    const upserts = tail.messages.filter((message) => message.topic === topics.raw('vendors') && message.headers[RAW_HEADERS.op] === 'upsert');
    const counts = new Map<string, number>();
    for (const message of upserts) counts.set(message.key, (counts.get(message.key) ?? 0) + 1);
    expect(counts.size).toBe(total);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    for (const record of source.records('vendors')) expect(counts.get(`${connectionId}:${record.id}`)).toBe(1);
    // The pass survived the crash: one pass id on every record, and it completed.
    const passIds = new Set(upserts.map((message) => message.headers[RAW_HEADERS.passId]));
    expect(passIds.size).toBe(1);
    const markers = tail.messages.filter((message) => message.topic === topics.raw('vendors') && message.headers[RAW_HEADERS.op] === 'pass_complete');
    expect(markers).toHaveLength(3);
    expect(JSON.parse(markers[0]!.value!.toString()).pass_id).toBe([...passIds][0]);
    expect(second.output.join('')).toContain('took ownership of the connection');
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  });
});
