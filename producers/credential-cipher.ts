import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { RuntimeError } from './errors.js';
import { findKey, type KeyRing } from './master-keys.js';

/**
 * AES-256-GCM of a connection's secret fields, as stored in the connections topic. The
 * connection id is the additional authenticated data, so a ciphertext copied onto another
 * connection does not decrypt.
 */
export interface SealedCredentials {
  kid: string;
  /** 12 random bytes, base64. */
  iv: string;
  /** GCM authentication tag, base64. */
  tag: string;
  ciphertext: string;
}

export function sealCredentials(ring: KeyRing, connectionId: string, secrets: Record<string, unknown>): SealedCredentials {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  cipher.setAAD(Buffer.from(connectionId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return {
    kid: ring.current.kid,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

export function openCredentials(ring: KeyRing, connectionId: string, sealed: SealedCredentials): Record<string, unknown> {
  const key = findKey(ring, sealed.kid);
  if (!key) {
    throw new RuntimeError(
      'credentials_undecryptable',
      `The credentials of connection ${connectionId} were encrypted with master key ${sealed.kid}, which is neither ` +
        'MILLRACE_MASTER_KEY nor in MILLRACE_PREVIOUS_MASTER_KEYS. Add that key to MILLRACE_PREVIOUS_MASTER_KEYS, or enter the credentials again.',
      { connection_id: connectionId, kid: sealed.kid },
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(connectionId, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new RuntimeError(
      'credentials_undecryptable',
      `The credentials of connection ${connectionId} failed authentication under master key ${sealed.kid}: the stored value was altered or belongs to another connection. Enter the credentials again.`,
      { connection_id: connectionId, kid: sealed.kid },
    );
  }
}

/** True when the credentials are sealed under a previous key and should be re-encrypted. */
export function needsReseal(ring: KeyRing, sealed: SealedCredentials): boolean {
  return sealed.kid !== ring.current.kid;
}
