import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger.js';
import { loadKeyRing } from './master-keys.js';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ destination, level: 'debug' }), lines };
}

const demo = (dataDir: string) => ({ MILLRACE_MASTER_KEY: undefined, MILLRACE_PREVIOUS_MASTER_KEYS: undefined, MILLRACE_DEMO: true, dataDir });

describe('the demo master key warning', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-keys-'));
    dirs.push(dir);
    return dir;
  };

  it('is said once per key file however many stages load the ring, and the ring is the same each time', () => {
    const { logger, lines } = capturingLogger();
    const dataDir = tempDir();
    const first = loadKeyRing(demo(dataDir), logger);
    const second = loadKeyRing(demo(dataDir), logger.child({ component: 'producer' }));
    const third = loadKeyRing(demo(dataDir), logger);
    expect(second.current.kid).toBe(first.current.kid);
    expect(third.current.kid).toBe(first.current.kid);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: path.join(dataDir, 'master.key'), msg: expect.stringContaining('generated a demo master key') });
    // The key itself is never in the line.
    expect(JSON.stringify(lines)).not.toContain(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim());
  });

  it('is said again for another data directory, and says an existing file is reused', () => {
    const { logger, lines } = capturingLogger();
    const existing = tempDir();
    loadKeyRing(demo(existing), createLogger({ level: 'silent' })); // another process generated it
    const fresh = tempDir();
    // The module remembers files per process, so use a copy under a new path to read "reused".
    const copy = tempDir();
    fs.copyFileSync(path.join(existing, 'master.key'), path.join(copy, 'master.key'));
    loadKeyRing(demo(copy), logger);
    loadKeyRing(demo(fresh), logger);
    expect(lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual([
      expect.stringContaining('using the demo master key file'),
      expect.stringContaining('generated a demo master key'),
    ]);
  });

  it('never replaces a configured key: no file, no warning', () => {
    const { logger, lines } = capturingLogger();
    const dataDir = tempDir();
    loadKeyRing({ ...demo(dataDir), MILLRACE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }, logger);
    expect(lines).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'master.key'))).toBe(false);
  });
});
