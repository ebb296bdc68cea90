import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger.js';
import { needsReseal, openCredentials, sealCredentials } from './credential-cipher.js';
import { RuntimeError } from './errors.js';
import { keyRing, loadKeyRing } from './master-keys.js';

describe('credential cipher', () => {
  const secrets = { clientSecret: 'cs-very-secret', refreshToken: 'rt-also-secret' };

  it('seals with AES-256-GCM under the current key and opens again', () => {
    const ring = keyRing(randomBytes(32));
    const sealed = sealCredentials(ring, 'conn-1', secrets);
    expect(sealed.kid).toBe(ring.current.kid);
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(JSON.stringify(sealed)).not.toContain('very-secret');
    expect(openCredentials(ring, 'conn-1', sealed)).toEqual(secrets);
    // A fresh IV each time: the same secrets never give the same ciphertext.
    expect(sealCredentials(ring, 'conn-1', secrets).ciphertext).not.toBe(sealed.ciphertext);
  });

  it('refuses ciphertext moved to another connection or altered', () => {
    const ring = keyRing(randomBytes(32));
    const sealed = sealCredentials(ring, 'conn-1', secrets);
    expect(() => openCredentials(ring, 'conn-2', sealed)).toThrowError(expect.objectContaining({ code: 'credentials_undecryptable' }));
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => openCredentials(ring, 'conn-1', { ...sealed, ciphertext: flipped.toString('base64') })).toThrow(RuntimeError);
  });

  it('opens under a previous key during rotation and says which key is missing otherwise', () => {
    const oldKey = randomBytes(32);
    const sealed = sealCredentials(keyRing(oldKey), 'conn-1', secrets);
    const rotated = keyRing(randomBytes(32), [oldKey]);
    expect(openCredentials(rotated, 'conn-1', sealed)).toEqual(secrets);
    expect(needsReseal(rotated, sealed)).toBe(true);
    expect(needsReseal(rotated, sealCredentials(rotated, 'conn-1', secrets))).toBe(false);
    expect(() => openCredentials(keyRing(randomBytes(32)), 'conn-1', sealed)).toThrowError(/MILLRACE_PREVIOUS_MASTER_KEYS/);
  });
});

describe('loadKeyRing', () => {
  const logger = createLogger({ level: 'silent' });
  const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-keys-'));

  it('uses MILLRACE_MASTER_KEY and the previous keys', () => {
    const current = randomBytes(32);
    const previous = randomBytes(32);
    const ring = loadKeyRing({ MILLRACE_MASTER_KEY: current.toString('base64'), MILLRACE_PREVIOUS_MASTER_KEYS: ` ${previous.toString('base64')} `, MILLRACE_DEMO: false, dataDir: tempDir() }, logger);
    expect(ring.current.key.equals(current)).toBe(true);
    expect(ring.previous.map((key) => key.key.equals(previous))).toEqual([true]);
  });

  it('fails outside demo mode without a master key, naming the variable', () => {
    expect(() => loadKeyRing({ MILLRACE_MASTER_KEY: undefined, MILLRACE_PREVIOUS_MASTER_KEYS: undefined, MILLRACE_DEMO: false, dataDir: tempDir() }, logger)).toThrowError(
      expect.objectContaining({ code: 'master_key_missing', message: expect.stringContaining('MILLRACE_MASTER_KEY') }),
    );
  });

  it('refuses a previous key of the wrong length', () => {
    expect(() => loadKeyRing({ MILLRACE_MASTER_KEY: randomBytes(32).toString('base64'), MILLRACE_PREVIOUS_MASTER_KEYS: 'c2hvcnQ=', MILLRACE_DEMO: true, dataDir: tempDir() }, logger)).toThrowError(
      /MILLRACE_PREVIOUS_MASTER_KEYS: entry 1/,
    );
  });

  it('generates a demo key file readable only by its owner, and reuses it', () => {
    const dataDir = tempDir();
    const first = loadKeyRing({ MILLRACE_MASTER_KEY: undefined, MILLRACE_PREVIOUS_MASTER_KEYS: undefined, MILLRACE_DEMO: true, dataDir }, logger);
    const file = path.join(dataDir, 'master.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = loadKeyRing({ MILLRACE_MASTER_KEY: undefined, MILLRACE_PREVIOUS_MASTER_KEYS: undefined, MILLRACE_DEMO: true, dataDir }, logger);
    expect(second.current.kid).toBe(first.current.kid);
  });
});
