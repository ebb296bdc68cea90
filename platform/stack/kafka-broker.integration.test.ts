import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secondBrokerOptions } from '../../test/support/second-broker.js';
import { brokerDown, brokerStatus, brokerUp, portAnswers } from './kafka-broker.js';

// A second broker on its own ports and state folder, so the shared test broker is untouched.
const options = secondBrokerOptions(19192, 'millrace-stack-');

function brokerProcesses(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmd.includes('kafka.Kafka') && cmd.includes(options.stackDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('local Kafka stack', () => {
  afterAll(async () => {
    await brokerDown(options);
    fs.rmSync(options.stackDir, { recursive: true, force: true });
  });

  it('is idempotent: up twice runs one broker, down leaves none', async () => {
    const first = await brokerUp(options);
    const second = await brokerUp(options);
    expect(second.pid).toBe(first.pid);
    expect(brokerProcesses()).toEqual([first.pid]);
    await brokerDown(options);
    expect(brokerProcesses()).toEqual([]);
    expect(await portAnswers(options.port)).toBe(false);
    expect(brokerStatus(options).running).toBe(false);
  });

  it('recovers after the broker was killed with SIGKILL', async () => {
    const first = await brokerUp(options);
    process.kill(first.pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(brokerStatus(options).running).toBe(false);
    const again = await brokerUp(options);
    expect(again.pid).not.toBe(first.pid);
    expect(brokerProcesses()).toEqual([again.pid]);
    expect(await portAnswers(options.port)).toBe(true);
  });

  it('finds a running broker whose pid file was lost', async () => {
    const running = await brokerUp(options);
    fs.rmSync(path.join(options.stackDir, 'broker', 'broker.pid'));
    const status = brokerStatus(options);
    expect(status.pid).toBe(running.pid);
  });
});
