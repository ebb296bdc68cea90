import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { testBrokers, testKafka, uniqueName } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

/**
 * A clean `millrace start` says nothing alarming: a new user who sees error lines or a Node
 * warning on the first start has to wonder what broke. The process runs as `npm start` runs it,
 * at the default log level, on the shared broker (a unique topic prefix), a fresh data directory
 * and free ports, until purchase orders of all three demo systems are readable through the API
 * (every stage has worked: polls, transactions, transforms, ClickHouse, reads), then stops on
 * SIGINT. The only warning allowed is the one that must be there: the demo master key was
 * generated because MILLRACE_MASTER_KEY is not set.
 */
const ALLOWED_WARNINGS = [/^MILLRACE_MASTER_KEY is not set: generated a demo master key/];

interface LogLine {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

/** Splits what the process printed into pino lines and the rest (banner, Node's own warnings). */
function parseOutput(output: string): { logs: LogLine[]; text: string[] } {
  const logs: LogLine[] = [];
  const text: string[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('{"level":')) logs.push(JSON.parse(line) as LogLine);
    else if (line.trim() !== '') text.push(line);
  }
  return { logs, text };
}

describe('a clean millrace start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-quiet-'));
  const prefix = `${uniqueName('quiet')}.`;
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.startsWith(prefix)) }).catch(() => undefined);
    await admin.disconnect();
  });

  it('prints no error or warning line but the generated demo key, and no Node warning', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      MILLRACE_TOPIC_PREFIX: prefix,
      MILLRACE_DATA_DIR: dataDir,
      MILLRACE_API_PORT: String(await freePort()),
      MILLRACE_REGISTRY_PORT: String(await freePort()),
      MILLRACE_DEMO_PORT: '0',
      LOG_LEVEL: 'info',
    };
    for (const name of ['SCHEMA_REGISTRY_URL', 'CLICKHOUSE_URL', 'MILLRACE_MASTER_KEY', 'NODE_OPTIONS']) delete env[name];
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'bin/millrace.ts', 'start'], { cwd: path.resolve(import.meta.dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const banner = await waitFor(() => /Ctrl-C stops everything/.test(output) && output, { timeoutMs: 150_000, description: 'the start banner' });
    const apiUrl = /^\s+API\s+(http\S+)/m.exec(banner)![1]!;
    const key = /^\s+API key\s+(mr_admin_\S+)/m.exec(banner)![1]!;
    await waitFor(
      async () => {
        const response = await request(`${apiUrl}/v1/purchase-orders?limit=500`, { headers: { authorization: `Bearer ${key}` } });
        const body = (await response.body.json()) as { data?: { source_system: string }[] };
        return response.statusCode === 200 && new Set((body.data ?? []).map((record) => record.source_system)).size === 3;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'purchase orders of three systems in the API' },
    );
    // Every stream of the three demo connections (11 today) has completed a sync: the first polls are behind us.
    const syncedStreams = () => new Set(parseOutput(output).logs.filter((line) => line.msg === 'sync completed').map((line) => `${String(line.system)}/${String(line.stream)}`));
    await waitFor(() => syncedStreams().size >= 11, { timeoutMs: 90_000, description: 'the first sync of every stream' });

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);

    const { logs, text } = parseOutput(output);
    const loud = logs.filter((line) => line.level >= 40 && !ALLOWED_WARNINGS.some((allowed) => allowed.test(line.msg ?? '')));
    expect(loud, 'error and warning lines of a clean start').toEqual([]);
    expect(logs.filter((line) => line.level === 40)).toHaveLength(1);
    expect(text.filter((line) => /Warning|\(node:\d+\)|Error/.test(line)), 'Node warnings and stray errors').toEqual([]);
    expect(logs.some((line) => line.msg === 'sync completed')).toBe(true);
  });
});
