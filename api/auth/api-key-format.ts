import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys: `mr_<scope>_<base62 of 16 random bytes>` (128 bits from the OS's CSPRNG). Only the
 * SHA-256 of the whole key and a short display prefix are stored; the key itself is shown once.
 * SHA-256 without salt is enough here: the input is 128 random bits, not a password, so there
 * is nothing to guess or precompute.
 */
export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^22 > 2^128, so 22 digits hold any 16 bytes. */
const SECRET_DIGITS = 22;
const KEY_PATTERN = /^mr_(read|write|admin)_[0-9A-Za-z]{22}$/;
/** Characters of the key kept for display (`mr_admin_3kq9…`): enough to tell keys apart, far from enough to guess one. */
const DISPLAY_CHARS = 4;

export function base62(bytes: Buffer, digits: number): string {
  let value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let text = '';
  while (value > 0n) {
    text = BASE62[Number(value % 62n)] + text;
    value /= 62n;
  }
  return text.padStart(digits, '0');
}

/** The highest scope decides: admin may do everything write may, write everything read may. */
export function scopeAllows(granted: ApiKeyScope, needed: ApiKeyScope): boolean {
  return API_KEY_SCOPES.indexOf(granted) >= API_KEY_SCOPES.indexOf(needed);
}

export interface GeneratedKey {
  key: string;
  hash: string;
  prefix: string;
}

export function generateApiKey(scope: ApiKeyScope): GeneratedKey {
  const key = `mr_${scope}_${base62(randomBytes(16), SECRET_DIGITS)}`;
  return { key, hash: hashApiKey(key), prefix: displayPrefix(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function displayPrefix(key: string): string {
  const secretStart = key.lastIndexOf('_') + 1;
  return `${key.slice(0, secretStart + DISPLAY_CHARS)}…`;
}

/** Whether a bearer token is shaped like a Millrace key (checked before hashing anything). */
export function looksLikeApiKey(token: string): boolean {
  return KEY_PATTERN.test(token);
}
