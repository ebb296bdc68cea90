import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERRORS } from './errors.js';

describe('the error catalogue', () => {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../docs/api-errors.md'), 'utf8');
  const documented = new Map([...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((match) => [match[1]!, Number(match[2])]));

  it('documents every code with its status in docs/api-errors.md', () => {
    for (const [code, { status }] of Object.entries(API_ERRORS)) {
      expect(documented.get(code), `${code} in docs/api-errors.md`).toBe(status);
    }
  });

  it('documents no code the API does not have', () => {
    for (const code of documented.keys()) expect(API_ERRORS, code).toHaveProperty(code);
  });

  it('tells the fix for every code', () => {
    for (const [code, { fix }] of Object.entries(API_ERRORS)) expect(fix.length, code).toBeGreaterThan(20);
  });
});
