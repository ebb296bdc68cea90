import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MillraceConfig } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { RuntimeError } from './errors.js';

/**
 * The keys that encrypt connection credentials. `current` encrypts every new write; `previous`
 * keys only decrypt, so a rotation never makes stored credentials unreadable (docs/runtime.md).
 * A key's id (`kid`) is derived from the key itself, so the stored ciphertext names the key that
 * opens it without revealing anything about it.
 */
export interface MasterKey {
  kid: string;
  key: Buffer;
}

export interface KeyRing {
  current: MasterKey;
  previous: MasterKey[];
}

export function masterKey(key: Buffer): MasterKey {
  if (key.length !== 32) throw new RuntimeError('master_key_invalid', 'A master key must be 32 bytes (base64 of `openssl rand -base64 32`).');
  return { kid: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

export function keyRing(current: Buffer, previous: Buffer[] = []): KeyRing {
  return { current: masterKey(current), previous: previous.map(masterKey) };
}

export function findKey(ring: KeyRing, kid: string): MasterKey | undefined {
  if (ring.current.kid === kid) return ring.current;
  return ring.previous.find((candidate) => candidate.kid === kid);
}

/**
 * Builds the key ring from MILLRACE_MASTER_KEY and MILLRACE_PREVIOUS_MASTER_KEYS. Without a
 * master key, demo mode generates one into `<dataDir>/master.key` (mode 0600) and warns; outside
 * demo mode start-up fails naming the variable.
 */
export function loadKeyRing(config: Pick<MillraceConfig, 'MILLRACE_MASTER_KEY' | 'MILLRACE_PREVIOUS_MASTER_KEYS' | 'MILLRACE_DEMO' | 'dataDir'>, logger: Logger): KeyRing {
  const previous = parsePreviousKeys(config.MILLRACE_PREVIOUS_MASTER_KEYS);
  if (config.MILLRACE_MASTER_KEY) return keyRing(Buffer.from(config.MILLRACE_MASTER_KEY, 'base64'), previous);
  if (!config.MILLRACE_DEMO) {
    throw new RuntimeError(
      'master_key_missing',
      'MILLRACE_MASTER_KEY is not set: it encrypts connection credentials. Set it to base64 of 32 random bytes (openssl rand -base64 32).',
    );
  }
  const file = path.join(config.dataDir, 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    warnOnce(logger, file, 'MILLRACE_MASTER_KEY is not set: generated a demo master key; set MILLRACE_MASTER_KEY outside demo mode');
  } else {
    warnOnce(logger, file, 'MILLRACE_MASTER_KEY is not set: using the demo master key file');
  }
  return keyRing(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'), previous);
}

/** Demo key files this process has warned about: several stages load the ring, one warning says it. */
const warnedKeyFiles = new Set<string>();

function warnOnce(logger: Logger, file: string, message: string): void {
  if (warnedKeyFiles.has(file)) return;
  warnedKeyFiles.add(file);
  logger.warn({ file }, message);
}

function parsePreviousKeys(value: string | undefined): Buffer[] {
  if (!value) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item, index) => {
      const key = Buffer.from(item, 'base64');
      if (key.length !== 32) {
        throw new RuntimeError('master_key_invalid', `MILLRACE_PREVIOUS_MASTER_KEYS: entry ${index + 1} is not 32 bytes base64 encoded.`);
      }
      return key;
    });
}
