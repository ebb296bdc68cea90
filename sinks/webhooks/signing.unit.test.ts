import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSigningSecret } from './secret-cipher.js';
import { signDelivery } from './signing.js';

describe('signDelivery', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'sync.completed', timestamp: new Date().toISOString(), connection_id: 'c1', data: { n: 1 } });

  it('produces headers that standardwebhooks verifies on the raw body', () => {
    const secret = generateSigningSecret();
    const headers = signDelivery([secret], 'evt_1', new Date(), body);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('fails verification when a byte of the body changes or the secret is another', () => {
    const secret = generateSigningSecret();
    const headers = signDelivery([secret], 'evt_1', new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace('"n":1', '"n":2'), { ...headers })).toThrow(/No matching signature/);
    expect(() => new Webhook(generateSigningSecret()).verify(body, { ...headers })).toThrow(/No matching signature/);
  });

  it('signs with every secret during a rotation, so either one verifies', () => {
    const [next, previous] = [generateSigningSecret(), generateSigningSecret()];
    const headers = signDelivery([next, previous], 'evt_1', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(next).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
  });

  it('uses the attempt time, in seconds, as webhook-timestamp', () => {
    const headers = signDelivery([generateSigningSecret()], 'evt_1', new Date('2025-01-01T00:00:10.900Z'), body);
    expect(headers['webhook-timestamp']).toBe('1735689610');
  });

  it('refuses to sign without a secret', () => {
    expect(() => signDelivery([], 'evt_1', new Date(), body)).toThrow(/no signing secret/);
  });
});
