import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { testBrokers } from '../test/support/kafka.js';
import { testRegistryUrl } from '../test/support/registry.js';
import { TopicTail } from '../test/test-connector/runtime-harness.js';
import { waitFor } from '../test/support/wait-for.js';
import { ensureTransformerTopics } from './transformer-topics.js';
import { TransformerHarness } from './testing/transformer-harness.js';

/**
 * Exactly once under SIGKILL: 30,000 raw records (new vendors and orders, then changed versions
 * of them) are written while a transformer process is killed at random moments of its work and
 * restarted, six times. Afterwards the unified topics, read read_committed, hold one image per
 * raw record: every (key, version) once, none missing, none doubled, each decodable through the
 * registry, and one record event per image.
 */
const C = 'conn-crash';
const BATCHES = 30;
const PER_BATCH = 1_000;
const KILLS = 6;

const vendor = (id: string, round: number) => ({ VendorId: id, Name: `Vendor ${id} v${round}`, Currency: 'EUR', Created: '/Date(1714557605000)/', YY1_Round: round });
const order = (id: string, round: number) => ({
  OrderId: id,
  Supplier: `V-${id}`,
  Status: round > 0 ? 'done' : 'open',
  OrderDate: '/Date(1714557605000)/',
  Currency: 'EUR',
  Note: `round ${round}`,
  Lines: [1, 2, 3].map((i) => ({ Item: i * 10, Material: `M-${i}`, Quantity: i + round, Price: 4.5 })),
});

const children: ChildProcess[] = [];
let harness: TransformerHarness;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await harness?.stop();
});

function spawnTransformer(id: string): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'transformers/testing/transformer-process.ts'], {
    env: {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      SCHEMA_REGISTRY_URL: testRegistryUrl(),
      MILLRACE_TOPIC_PREFIX: harness.prefix,
      MILLRACE_WORKER_ID: id,
      // Small chunks: many transactions, so a kill lands inside or between them, not after the work.
      TRANSFORMER_CHUNK_RECORDS: '250',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  children.push(child);
  return { child, output };
}

/** Batch b: vendors and orders; from batch 15 on, changed versions of the keys of batch b-15. */
function batchRecords(batch: number) {
  const round = batch < BATCHES / 2 ? 0 : 1;
  const base = (batch % (BATCHES / 2)) * (PER_BATCH / 2);
  const ids = Array.from({ length: PER_BATCH / 2 }, (_, i) => String(base + i).padStart(6, '0'));
  return {
    vendors: ids.map((id) => ({ remoteId: `V-${id}`, body: vendor(`V-${id}`, round) })),
    orders: ids.map((id) => ({ remoteId: `PO-${id}`, body: order(`PO-${id}`, round) })),
  };
}

describe('transformer crash test', () => {
  it(`keeps every record exactly once through ${KILLS} SIGKILLs at random points`, async () => {
    harness = new TransformerHarness();
    await harness.start();
    await ensureTransformerTopics(harness.admin!, { prefix: harness.prefix, partitions: 3, replicationFactor: 1 });
    const tail = await harness.startTail();
    const unifiedTopics = [harness.topics.unified('vendors'), harness.topics.unified('purchase_orders')];
    const unifiedCount = () => tail.messages.filter((message) => unifiedTopics.includes(message.topic)).length;

    let written = 0;
    const writing = (async () => {
      for (let batch = 0; batch < BATCHES; batch++) {
        const { vendors, orders } = batchRecords(batch);
        await harness.writer.upserts({ connectionId: C, entity: 'vendor', stream: 'vendors' }, vendors);
        await harness.writer.upserts({ connectionId: C, entity: 'purchase_order', stream: 'purchase_orders' }, orders);
        written += PER_BATCH;
        await new Promise((resolve) => setTimeout(resolve, 1_200));
      }
    })();

    const kills: { at: number; unified: number; written: number; log: string }[] = [];
    for (let i = 0; i < KILLS; i++) {
      const { child, output } = spawnTransformer(`crash-${i}`);
      const before = unifiedCount();
      // Kill only once this process has committed work of its own, then at a random moment.
      await waitFor(() => unifiedCount() > before + 250 || (child.exitCode !== null ? Promise.reject(new Error(output.join(''))) : false), {
        timeoutMs: 60_000,
        intervalMs: 50,
        description: `transformer process ${i} committing records`,
      });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_500));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      kills.push({ at: Date.now(), unified: unifiedCount(), written, log: output.join('').slice(-2_000) });
    }
    await writing;
    const last = spawnTransformer('crash-final');
    await waitFor(() => harness.caughtUp(), { timeoutMs: 150_000, description: 'the final transformer catching up', intervalMs: 500 });
    await tail.caughtUp();
    last.child.kill('SIGTERM');

    // Every kill happened while work remained: records written but not yet transformed.
    expect(kills).toHaveLength(KILLS);
    for (const kill of kills) expect(kill.unified).toBeLessThan(BATCHES * PER_BATCH);

    // What the raw topics hold, read_committed: one expected image per (key, version).
    const rawTail = new TopicTail(harness.kafka, [harness.topics.raw('vendors'), harness.topics.raw('purchase_orders')]);
    await rawTail.start();
    await rawTail.caughtUp();
    const expected = new Set(rawTail.messages.map((message) => `${message.key}@${message.headers['millrace-captured-at']}`));
    await rawTail.stop();
    expect(expected.size).toBe(BATCHES * PER_BATCH);

    const unified = tail.messages.filter((message) => unifiedTopics.includes(message.topic));
    const seen = new Map<string, number>();
    for (const message of unified) {
      const id = `${message.key}@${message.headers['millrace-version']}`;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const duplicates = [...seen].filter(([, count]) => count > 1);
    const missing = [...expected].filter((id) => !seen.has(id));
    const unexpected = [...seen.keys()].filter((id) => !expected.has(id));
    const where = JSON.stringify({ kills: kills.map(({ log: _log, ...kill }) => kill), missing: missing.slice(0, 5), duplicates: duplicates.slice(0, 5) });
    expect({ duplicates: duplicates.length, missing: missing.length, unexpected: unexpected.length }, where).toEqual({ duplicates: 0, missing: 0, unexpected: 0 });
    expect(unified).toHaveLength(BATCHES * PER_BATCH);

    // Every message decodes through the registry into the record its key and header name.
    for (const message of unified) {
      const { record } = await harness.codec.decode(message.value!);
      const image = record as unknown as { remote_id: string; version: string; connection_id: string };
      if (`${image.connection_id}:${image.remote_id}` !== message.key || image.version !== message.headers['millrace-version']) {
        throw new Error(`message ${message.topic}/${message.partition}/${message.offset} decodes to ${image.remote_id}@${image.version}`);
      }
    }

    // One record event per image: 15,000 created, 15,000 updated, no event twice.
    const events = tail.events(C).filter((event) => event.type.startsWith('record.'));
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    expect(events.filter((event) => event.type === 'record.created')).toHaveLength(BATCHES * PER_BATCH / 2);
    expect(events.filter((event) => event.type === 'record.updated')).toHaveLength(BATCHES * PER_BATCH / 2);
    expect(harness.messages(harness.topics.deadLetters)).toHaveLength(0);
  }, 300_000);
});
