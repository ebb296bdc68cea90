import { describe, expect, it } from 'vitest';
import { exampleVendor } from '../schemas/examples/vendor.js';
import { changedFields, fieldHashes, hashedFields, hashText } from './field-hash.js';

const vendor = exampleVendor as unknown as Record<string, unknown>;

describe('field hashes', () => {
  it('leave out the capture and the identity', () => {
    const fields = hashedFields('vendor');
    for (const name of ['id', 'connection_id', 'source_system', 'remote_id', 'remote_data', 'synced_at', 'version']) expect(fields).not.toContain(name);
    expect(fields).toContain('name');
    expect(fields).toContain('custom_fields');
    expect(fields).toContain('is_deleted');
  });

  it('do not move when only the capture changes', () => {
    const recaptured = { ...vendor, synced_at: '2025-01-01T00:00:00.000Z', version: '1735689600000000', remote_data: '{"other":true}' };
    expect(changedFields('vendor', fieldHashes('vendor', vendor), fieldHashes('vendor', recaptured))).toEqual([]);
  });

  it('name exactly the fields that changed, nested lists as one field', () => {
    const changed = { ...vendor, name: 'Rhein Supply', addresses: [{ ...(vendor.addresses as object[])[0], city: 'Mainz' }] };
    expect(changedFields('vendor', fieldHashes('vendor', vendor), fieldHashes('vendor', changed))).toEqual(['name', 'addresses']);
  });

  it('ignore the order of custom fields but not their values', () => {
    const reordered = { ...vendor, custom_fields: { YY1_Scores: '[4,5,5]', YY1_Audited: 'true', YY1_Rating: 'A' } };
    expect(changedFields('vendor', fieldHashes('vendor', vendor), fieldHashes('vendor', reordered))).toEqual([]);
    const revalued = { ...vendor, custom_fields: { ...(vendor.custom_fields as object), YY1_Rating: 'B' } };
    expect(changedFields('vendor', fieldHashes('vendor', vendor), fieldHashes('vendor', revalued))).toEqual(['custom_fields']);
  });

  it('tell null from an empty string and from a missing field', () => {
    expect(hashText(JSON.stringify(null))).not.toBe(hashText(JSON.stringify('')));
    const withNull = { ...vendor, notes: null };
    const withEmpty = { ...vendor, notes: '' };
    expect(changedFields('vendor', fieldHashes('vendor', withNull), fieldHashes('vendor', withEmpty))).toEqual(['notes']);
  });

  it('spread short inputs over the 32-bit range without collisions in a small sample', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(hashText(String(i)));
    expect(seen.size).toBe(10_000);
  });
});
