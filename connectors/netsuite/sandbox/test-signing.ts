import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { TbaCredentials } from './oauth1-verifier.js';

/**
 * Signs requests the way a NetSuite client does, with the `oauth-1.0a` library, for the sandbox's
 * own tests (the connector signs through the SDK's auth provider).
 */
export function tbaHeader(credentials: TbaCredentials, realm: string, method: string, url: string, overrides: { timestamp?: number; nonce?: string; consumerSecret?: string } = {}): string {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: overrides.consumerSecret ?? credentials.consumerSecret },
    realm,
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const data = oauth.authorize({ method, url }, { key: credentials.tokenId, secret: credentials.tokenSecret });
  if (overrides.timestamp !== undefined || overrides.nonce !== undefined) {
    // Re-sign with the forced values so only the intended property is wrong.
    const { oauth_signature: _unsigned, ...unsigned } = data;
    const forced = { ...unsigned, oauth_timestamp: overrides.timestamp ?? data.oauth_timestamp, oauth_nonce: overrides.nonce ?? data.oauth_nonce };
    const signed = { ...forced, oauth_signature: oauth.getSignature({ method, url }, credentials.tokenSecret, forced) };
    return oauth.toHeader(signed).Authorization;
  }
  return oauth.toHeader(data).Authorization;
}

export function randomNonce(): string {
  return randomBytes(16).toString('hex');
}
