import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { testBrokers, testKafka, uniqueName } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

/**
 * `millrace start` as a new user runs it: the same entry point as `npm start`, on the shared
 * broker (a unique topic prefix), a fresh data directory and free ports. The test reads what the
 * process prints and does what it says: the printed curl must list purchase orders of all three
 * demo systems with identical field names, the printed SQL must return rows; Ctrl-C (SIGINT)
 * must stop everything with exit code 0, and a restart must print the same key.
 */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

function startMillrace(env: NodeJS.ProcessEnv): Started {
  return spawnCli(['start'], env);
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv): Started {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/millrace.ts', ...args], { cwd: path.resolve(import.meta.dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function stop(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null) return started.child.exitCode;
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  return exited;
}

async function http(method: string, url: string, key: string, body?: string) {
  const response = await request(url, { method: method as 'GET', headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body } : {}) });
  return { status: response.statusCode, body: (await response.body.json()) as any };
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/millrace.ts', ...args], { cwd: path.resolve(import.meta.dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('millrace start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-start-'));
  const prefix = `${uniqueName('start')}.`;
  const running: Started[] = [];

  afterAll(async () => {
    for (const started of running) await stop(started);
    fs.rmSync(dataDir, { recursive: true, force: true });
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.startsWith(prefix)) }).catch(() => undefined);
    await admin.disconnect();
  });

  it('refuses what cannot work with one line naming the setting, before starting anything', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_BROKERS: testBrokers().join(','), MILLRACE_TOPIC_PREFIX: prefix, MILLRACE_DATA_DIR: dataDir };
    delete env.CLICKHOUSE_URL;
    delete env.MILLRACE_MASTER_KEY;
    const sink = await runCli(['worker', '--role=sink'], env);
    expect(sink).toMatchObject({ code: 1, output: expect.stringContaining('CLICKHOUSE_URL') });
    const noKey = await runCli(['start'], { ...env, MILLRACE_DEMO: 'false' });
    expect(noKey.code).toBe(1);
    expect(noKey.output).toContain('MILLRACE_MASTER_KEY is not set');
    const role = await runCli(['worker', '--role=reporting'], env);
    expect(role.code).toBe(2);
    for (const outcome of [sink, noKey, role]) expect(outcome.output).not.toMatch(/^\s+at .*\.ts:\d+/m);
  });

  it('runs one stage per process with millrace worker --role, stopping cleanly on SIGINT', async () => {
    for (const role of ['producer', 'transformer']) {
      const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_BROKERS: testBrokers().join(','), MILLRACE_TOPIC_PREFIX: `${prefix}w.`, MILLRACE_DATA_DIR: dataDir, MILLRACE_DEMO: 'false', MILLRACE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), LOG_LEVEL: 'info' };
      delete env.SCHEMA_REGISTRY_URL;
      const worker = spawnCli(['worker', `--role=${role}`], env);
      running.push(worker);
      await waitFor(() => /"msg":"worker running"/.test(worker.output()), { timeoutMs: 90_000, description: `the ${role} worker` });
      expect(await stop(worker), role).toBe(0);
    }
  });

  it('runs the whole pipeline with the demo sources and does what it prints', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_BROKERS: testBrokers().join(','), MILLRACE_TOPIC_PREFIX: prefix, MILLRACE_DATA_DIR: dataDir, MILLRACE_API_PORT: String(await freePort()), MILLRACE_REGISTRY_PORT: String(await freePort()), MILLRACE_DEMO_PORT: '0', LOG_LEVEL: 'warn' };
    delete env.SCHEMA_REGISTRY_URL;
    delete env.CLICKHOUSE_URL;
    delete env.MILLRACE_MASTER_KEY;
    const first = startMillrace(env);
    running.push(first);
    const banner = await waitFor(() => /Ctrl-C stops everything/.test(first.output()) && first.output(), { timeoutMs: 150_000, description: 'the start banner' });
    const apiUrl = /^\s+API\s+(http\S+)/m.exec(banner)![1]!;
    const key = /^\s+API key\s+(mr_admin_\S+)/m.exec(banner)![1]!;
    expect(banner).not.toMatch(/^\s+at .*\.ts:\d+/m);

    // The printed curl (without its grep | sort | uniq -c summary).
    const curl = /curl -s -H "Authorization: Bearer (\S+)" "(\S+\/v1\/purchase-orders\?limit=500)"/.exec(banner)!;
    expect(curl[1]).toBe(key);
    const threeSystems = await waitFor(
      async () => {
        const { status, body } = await http('GET', curl[2]!, key);
        const systems = new Set((body.data ?? []).map((record: { source_system: string }) => record.source_system));
        return status === 200 && systems.size === 3 && body.data;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'purchase orders of three systems' },
    );
    const shapes = new Set(threeSystems.map((record: Record<string, unknown>) => Object.keys(record).sort().join(',')));
    expect(shapes.size).toBe(1);
    expect([...new Set(threeSystems.map((record: { source_system: string }) => record.source_system))].sort()).toEqual(['dynamics365_business_central', 'netsuite', 'sap_s4hana']);

    const sqlBody = /-d '(\{"query":.*?\})' (\S+\/v1\/sql)/.exec(banner)!;
    const sql = await http('POST', sqlBody[2]!, key, sqlBody[1]!);
    expect(sql.status).toBe(200);
    expect(sql.body.rows.map((row: { source_system: string }) => row.source_system)).toEqual(['dynamics365_business_central', 'netsuite', 'sap_s4hana']);
    expect(sql.body.rows.every((row: { orders: string }) => Number(row.orders) > 0)).toBe(true);

    // A purchase order written through the API reaches reads within seconds, not at the next poll.
    const sap = (await http('GET', `${apiUrl}/v1/connections`, key)).body.data.find((connection: { system: string }) => connection.system === 'sap_s4hana');
    // Streams sync independently: SAP's purchase orders may be stored before its suppliers and products.
    // SAP refuses an order for a supplier blocked for purchasing (some demo suppliers are): take one that is not.
    const firstOf = (entity: string, usable: (record: Record<string, unknown>) => boolean = () => true) =>
      waitFor(async () => ((await http('GET', `${apiUrl}/v1/${entity}?connection_id=${sap.id}&limit=100`, key)).body.data as Record<string, unknown>[] | undefined)?.find(usable), {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: `a SAP ${entity} record`,
      });
    const vendor = await firstOf('vendors', (record) => record.status !== 'blocked');
    const item = await firstOf('inventory-items');
    const order = {
      vendor_remote_id: vendor.remote_id,
      company_id: '1710',
      subsidiary: 'Purch. org. 1710',
      buyer: '001',
      currency: 'USD',
      lines: [{ line_number: 10, item_code: item.remote_id, quantity: '3', uom: 'PC', unit_price: '12.5', location_remote_id: '1710' }],
    };
    const written = await request(`${apiUrl}/v1/purchase-orders?connection_id=${sap.id}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `e2e-${prefix}` }, body: JSON.stringify(order) });
    const outcome = (await written.body.json()) as { id: string; captured: boolean };
    expect(written.statusCode, JSON.stringify(outcome)).toBe(201);
    expect(outcome.captured).toBe(true);
    const read = await waitFor(async () => {
      const answer = await http('GET', `${apiUrl}/v1/purchase-orders/${outcome.id}`, key);
      return answer.status === 200 && answer.body;
    }, { timeoutMs: 30_000, description: 'the written purchase order in reads' });
    expect(read).toMatchObject({ source_system: 'sap_s4hana', vendor_remote_id: vendor.remote_id, lines: [{ quantity: '3', unit_price: '12.5' }] });

    const health = await request(`${apiUrl}/healthz`);
    expect(health.statusCode).toBe(200);
    const metrics = await (await request(`${apiUrl}/metrics`)).body.text();
    expect(metrics).toMatch(/millrace_records_stored\{connection_id="[^"]+",entity="purchase_order"\} \d+/);
    expect(metrics).toMatch(/millrace_sync_lag_seconds\{/);

    expect(await stop(first)).toBe(0);

    // A restart keeps the key and the connections (no duplicates), and serves the same records.
    const second = startMillrace(env);
    running.push(second);
    const again = await waitFor(() => /Ctrl-C stops everything/.test(second.output()) && second.output(), { timeoutMs: 150_000, description: 'the banner after a restart' });
    expect(/^\s+API key\s+(mr_admin_\S+)/m.exec(again)![1]).toBe(key);
    const connections = await http('GET', `${apiUrl}/v1/connections`, key);
    expect(connections.body.data.map((connection: { system: string }) => connection.system).sort()).toEqual(['dynamics365_business_central', 'netsuite', 'sap_s4hana']);
    // Records of the first run are still there (more may have arrived since).
    expect((await http('GET', curl[2]!, key)).body.data.length).toBeGreaterThanOrEqual(threeSystems.length);
    expect(await stop(second)).toBe(0);
  });
});
