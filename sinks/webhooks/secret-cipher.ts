import { randomBytes } from 'node:crypto';
import { openCredentials, sealCredentials, type SealedCredentials } from '../../producers/credential-cipher.js';
import type { KeyRing } from '../../producers/master-keys.js';
import { WebhookError } from './errors.js';

/**
 * Signing secrets at rest: AES-256-GCM under the master key ring (MILLRACE_MASTER_KEY plus
 * MILLRACE_PREVIOUS_MASTER_KEYS), with the same cipher the connection store uses for
 * credentials. The subscription id is the authenticated data, so a ciphertext copied onto
 * another subscription does not decrypt. Secrets never appear in plain text in the topic.
 */
export type SealedSecret = SealedCredentials;

export interface SecretCipher {
  seal(subscriptionId: string, secret: string): SealedSecret;
  open(subscriptionId: string, sealed: SealedSecret): string;
}

// Keeps a subscription's ciphertext apart from a connection's even if ids ever collided.
const AAD_PREFIX = 'webhook-subscription:';

export function createSecretCipher(ring: KeyRing): SecretCipher {
  return {
    seal: (subscriptionId, secret) => sealCredentials(ring, AAD_PREFIX + subscriptionId, { secret }),
    open: (subscriptionId, sealed) => {
      try {
        const opened = openCredentials(ring, AAD_PREFIX + subscriptionId, sealed);
        if (typeof opened.secret !== 'string') throw new Error('no secret field');
        return opened.secret;
      } catch (error) {
        throw new WebhookError(
          'webhook_secret_undecryptable',
          `The signing secret of webhook subscription ${subscriptionId} does not decrypt with master key ${sealed.kid}: ` +
            'add that key to MILLRACE_PREVIOUS_MASTER_KEYS, or rotate the subscription secret.',
          { subscription_id: subscriptionId, kid: sealed.kid },
          { cause: error },
        );
      }
    },
  };
}

/** A new Standard Webhooks secret: `whsec_` + base64 of 24 random bytes (192 bits). */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}
