import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { MILLRACE_ID_NAMESPACE, recordId, UuidV5Namespace } from './ids.js';

describe('recordId', () => {
  it('is the same for the same record, always, and differs between connections, entities and keys', () => {
    const id = recordId('conn-1', 'purchase_order', '4500000197');
    expect(id).toBe(recordId('conn-1', 'purchase_order', '4500000197'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const others = [
      recordId('conn-2', 'purchase_order', '4500000197'),
      recordId('conn-1', 'vendor', '4500000197'),
      recordId('conn-1', 'purchase_order', '4500000198'),
      // Separators inside the parts cannot make two records collide.
      recordId('conn-1:purchase_order', 'purchase_order', ''.padEnd(1, '4')),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it('is the documented UUID v5, so any language can compute it (and stored ids stay valid)', () => {
    // RFC 9562 UUID v5 by hand: SHA-1 over namespace bytes + name, then version and variant bits.
    const name = JSON.stringify(['conn_sap_demo', 'vendor', '17300001']);
    const hash = createHash('sha1').update(Buffer.from(MILLRACE_ID_NAMESPACE.replace(/-/g, ''), 'hex')).update(name).digest();
    hash[6] = (hash[6]! & 0x0f) | 0x50;
    hash[8] = (hash[8]! & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString('hex');
    const expected = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    expect(recordId('conn_sap_demo', 'vendor', '17300001')).toBe(expected);
    expect(expected).toBe('a846c424-de19-5ba4-aebe-e41bbcf023d2');
  });

  it('refuses empty parts', () => {
    expect(() => recordId('', 'asset', '1')).toThrow(/connectionId is empty/);
    expect(() => recordId('c', 'asset', '')).toThrow(/remoteId is empty/);
  });

  it('UuidV5Namespace gives the same ids as uuid v5 for short, long and non-ASCII names', () => {
    const namespace = '0b7e3a52-8f0c-4d5e-9a61-3c2f1e7d9b44';
    const ids = new UuidV5Namespace(namespace);
    for (const name of ['', 'record.updated|x|1', 'ü€😀 Lieferant', 'x'.repeat(5_000), 'short again']) {
      expect(ids.id(name)).toBe(uuidv5(name, namespace));
    }
    expect(() => new UuidV5Namespace('not-a-uuid')).toThrow(/not a UUID/);
  });
});
