import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('millrace start with a wrong KAFKA_BROKERS', () => {
  it('exits within 30 s with one line naming the address', async () => {
    const port = await freePort();
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'bin/millrace.ts', 'start'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, KAFKA_BROKERS: `127.0.0.1:${port}`, KAFKA_CONNECT_TIMEOUT_MS: '5000', LOG_LEVEL: 'silent' },
    });
    const elapsed = Date.now() - started;
    expect(child.status).toBe(1);
    const lines = child.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`127.0.0.1:${port}`);
    expect(lines[0]).toContain('ECONNREFUSED');
    expect(elapsed).toBeLessThan(30_000);
  });

  it('rejects a malformed setting at start-up naming the variable', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'bin/millrace.ts', 'start'], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, KAFKA_BROKERS: 'no-port-here' },
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('KAFKA_BROKERS');
  });
});
