import { describe, expect, it } from 'vitest';
import { base62, displayPrefix, generateApiKey, hashApiKey, looksLikeApiKey, scopeAllows } from './api-key-format.js';

describe('API key format', () => {
  it('makes prefixed keys of 128 random bits, different every time', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey('write').key);
    expect(new Set(keys).size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^mr_write_[0-9A-Za-z]{22}$/);
    expect(base62(Buffer.alloc(16, 0xff), 22)).toHaveLength(22);
    expect(base62(Buffer.alloc(16, 0), 22)).toBe('0'.repeat(22));
  });

  it('stores a SHA-256 and a short display prefix, never the key', () => {
    const { key, hash, prefix } = generateApiKey('admin');
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(prefix).toBe(`${key.slice(0, 'mr_admin_'.length + 4)}…`);
    expect(displayPrefix('mr_read_abcdefghijklmnopqrstuv')).toBe('mr_read_abcd…');
  });

  it('recognises only well-formed keys', () => {
    expect(looksLikeApiKey(generateApiKey('read').key)).toBe(true);
    for (const token of ['mr_root_0000000000000000000000', 'mr_read_short', 'Bearer mr_read_0000000000000000000000', 'mr_read_000000000000000000000!']) expect(looksLikeApiKey(token)).toBe(false);
  });

  it('orders scopes read < write < admin', () => {
    expect(scopeAllows('admin', 'write')).toBe(true);
    expect(scopeAllows('write', 'read')).toBe(true);
    expect(scopeAllows('write', 'admin')).toBe(false);
    expect(scopeAllows('read', 'write')).toBe(false);
  });
});
