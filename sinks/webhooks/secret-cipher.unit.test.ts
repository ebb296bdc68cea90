import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyRing } from '../../producers/master-keys.js';
import { isWebhookError } from './errors.js';
import { createSecretCipher, generateSigningSecret } from './secret-cipher.js';

describe('signing secrets at rest', () => {
  const current = randomBytes(32);
  const cipher = createSecretCipher(keyRing(current));

  it('generates Standard Webhooks secrets of 192 bits', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
  });

  it('round-trips, and the sealed form does not contain the secret', () => {
    const secret = generateSigningSecret();
    const sealed = cipher.seal('wh_1', secret);
    expect(JSON.stringify(sealed)).not.toContain(secret.slice(6));
    expect(cipher.open('wh_1', sealed)).toBe(secret);
  });

  it('refuses a ciphertext moved to another subscription, with a clear error', () => {
    const sealed = cipher.seal('wh_1', generateSigningSecret());
    let caught: unknown;
    try {
      cipher.open('wh_2', sealed);
    } catch (error) {
      caught = error;
    }
    expect(isWebhookError(caught, 'webhook_secret_undecryptable')).toBe(true);
    expect((caught as Error).message).toContain('wh_2');
  });

  it('opens secrets sealed under a previous master key after a rotation', () => {
    const secret = generateSigningSecret();
    const sealed = cipher.seal('wh_1', secret);
    const rotated = createSecretCipher(keyRing(randomBytes(32), [current]));
    expect(rotated.open('wh_1', sealed)).toBe(secret);
  });
});
