import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `webhook-id.webhook-timestamp.body`, done by the `standardwebhooks` library. The body is signed
 * as the exact string that is sent, never a re-serialization. During a secret rotation every
 * still-valid secret signs, and the signatures are space separated (`v1,a v1,b`), so a receiver
 * holding either secret verifies.
 */
export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

// One Webhook per secret: the library decodes the base64 key in its constructor.
const signers = new Map<string, Webhook>();
const MAX_CACHED_SIGNERS = 10_000;

function signerFor(secret: string): Webhook {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size >= MAX_CACHED_SIGNERS) signers.clear();
    signer = new Webhook(secret);
    signers.set(secret, signer);
  }
  return signer;
}

/**
 * Headers for one attempt. `messageId` is the event id (the same on every retry and redelivery);
 * `timestamp` is the attempt's time, so a receiver's replay window accepts retries hours later.
 */
export function signDelivery(secrets: readonly string[], messageId: string, timestamp: Date, body: string): SignedHeaders {
  if (secrets.length === 0) throw new Error(`no signing secret for message ${messageId}`);
  const signatures = secrets.map((secret) => signerFor(secret).sign(messageId, timestamp, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': Math.floor(timestamp.getTime() / 1000).toString(),
    'webhook-signature': signatures.join(' '),
  };
}
