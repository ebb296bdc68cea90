import { describe, expect, it } from 'vitest';
import { requestHash } from './idempotency-store.js';

describe('Idempotency-Key request fingerprints', () => {
  it('ignore key order and undefined fields, but see every value', () => {
    const a = requestHash({ method: 'POST', path: '/v1/purchase-orders', body: { currency: 'EUR', lines: [{ quantity: '1', uom: 'EA' }] } });
    const b = requestHash({ body: { lines: [{ uom: 'EA', quantity: '1' }], currency: 'EUR', memo: undefined }, path: '/v1/purchase-orders', method: 'POST' });
    expect(a).toBe(b);
    expect(requestHash({ method: 'POST', path: '/v1/purchase-orders', body: { currency: 'USD', lines: [{ quantity: '1', uom: 'EA' }] } })).not.toBe(a);
    expect(requestHash({ method: 'POST', path: '/v1/purchase-orders', body: { currency: 'EUR', lines: [{ quantity: '1', uom: 'EA' }, { quantity: '1', uom: 'EA' }] } })).not.toBe(a);
  });
});
