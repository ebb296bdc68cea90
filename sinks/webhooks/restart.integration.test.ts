import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../platform/events.js';
import { testBrokers } from '../../test/support/kafka.js';
import { waitFor } from '../../test/support/wait-for.js';
import { startHarness, type Harness } from './test-harness.js';
import { startReceiver, type Receiver } from './test-receiver.js';
import { topicOffsets } from '../../platform/kafka.js';

const SINK_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-sink-process.ts');
// Longer than a restart takes (the dead member's 6 s session timeout, then start-up).
const RETRY_DELAY_MS = 15_000;

describe('a sink killed and restarted', () => {
  let harness: Harness;
  const children: ChildProcess[] = [];
  const receivers: Receiver[] = [];

  const dataDirs: string[] = [];

  async function startSinkProcess(): Promise<ChildProcess> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-webhooks-child-'));
    dataDirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', SINK_SCRIPT], {
      env: {
        ...process.env,
        KAFKA_BROKERS: testBrokers().join(','),
        SINK_TOPIC_PREFIX: harness.prefix,
        SINK_MASTER_KEY: harness.keyRing.current.key.toString('base64'),
        SINK_CLICKHOUSE_DIR: dataDir,
        SINK_RETRY_SCHEDULE: JSON.stringify([0, RETRY_DELAY_MS, 1_000]),
        SINK_TIMEOUT_MS: '20000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`sink process exited early with ${code}`)));
    });
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** The committed offset of a consumer group on a topic, summed over partitions (-1 counts as 0). */
  async function committed(groupId: string, topic: string): Promise<number> {
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return offsets!.partitions.reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  }

  async function retryRecords(): Promise<number> {
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      return (await topicOffsets(admin, harness.topics.retries)).reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) await kill(child);
  });

  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await harness?.stop();
    for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes a pending retry on its schedule after SIGKILL, with the same webhook-id', async () => {
    const target = await startReceiver((_request, index) => (index < 2 ? { status: 503 } : { status: 200 }));
    receivers.push(target);
    const { secret } = await harness.service.create({ url: target.url(), event_types: ['sync.completed'], connection_ids: ['conn_restart'] });
    const first = await startSinkProcess();
    const event = createEvent('sync.completed', 'conn_restart', { entity: 'work_order' });
    await harness.produceEvents([event]);

    // Mid-retry: attempt 1 failed, its retry record is in Kafka and the event's offset is committed.
    await waitFor(() => target.requests.length === 1, { description: 'the first attempt' });
    await waitFor(async () => (await retryRecords()) >= 1 && (await committed(`${harness.prefix}webhooks`, harness.topics.events)) >= 1, {
      description: 'the retry record written and the event committed',
    });
    await kill(first);
    const restartedAt = Date.now();
    await startSinkProcess();
    console.log(`[restart] sink restarted ${Date.now() - restartedAt} ms after SIGKILL`);

    await waitFor(() => target.requests.length === 3, { description: 'attempts 2 and 3 after the restart', timeoutMs: 30_000 });
    const [one, two, three] = target.requests;
    const gap = two!.at - one!.at;
    console.log(`[restart] attempt 2 came ${gap} ms after attempt 1 (scheduled ${RETRY_DELAY_MS} ms ± 10 %)`);
    expect(gap).toBeGreaterThanOrEqual(RETRY_DELAY_MS * 0.9 - 50);
    expect(gap).toBeLessThan(RETRY_DELAY_MS * 1.1 + 2_000);
    expect(three!.at - two!.at).toBeGreaterThanOrEqual(850);
    for (const request of [one, two, three]) {
      expect(request!.headers['webhook-id']).toBe(event.id);
      expect(() => new Webhook(secret).verify(request!.body, request!.headers)).not.toThrow();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(target.requests).toHaveLength(3);
  });

  it('redelivers an event whose first attempt was cut short by SIGKILL instead of dropping it', async () => {
    const target = await startReceiver((_request, index) => (index === 0 ? 'hang' : { status: 200 }));
    receivers.push(target);
    await harness.service.create({ url: target.url(), event_types: ['sync.failed'], connection_ids: ['conn_cut'] });
    const first = await startSinkProcess();
    const event = createEvent('sync.failed', 'conn_cut', { entity: 'vendor' });
    await harness.produceEvents([event]);
    await waitFor(() => target.requests.length === 1, { description: 'the first attempt, left hanging' });
    await kill(first);
    await startSinkProcess();
    await waitFor(() => target.requests.length === 2, { description: 'the redelivery after the restart', timeoutMs: 30_000 });
    expect(target.requests.map((request) => request.headers['webhook-id'])).toEqual([event.id, event.id]);
  });
});
