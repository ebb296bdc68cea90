import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { isAllowed, normalizePassthroughPath } from './allowlist.js';

const rules = [
  { method: 'GET' as const, path: 'services/rest/record/v1/**' },
  { method: 'POST' as const, path: 'services/rest/query/v1/suiteql' },
  { method: 'PATCH' as const, path: 'API_X/A_Order(*)' },
];

describe('passthrough allowlist', () => {
  it('matches * to one segment and ** to the rest', () => {
    expect(isAllowed(rules, 'GET', normalizePassthroughPath('/services/rest/record/v1/vendor/100'))).toBe(true);
    expect(isAllowed(rules, 'GET', normalizePassthroughPath('services/rest/record/v1'))).toBe(false);
    expect(isAllowed(rules, 'POST', normalizePassthroughPath('services/rest/query/v1/suiteql'))).toBe(true);
    expect(isAllowed(rules, 'GET', normalizePassthroughPath('services/rest/query/v1/suiteql'))).toBe(false);
    expect(isAllowed(rules, 'PATCH', normalizePassthroughPath('API_X/*'))).toBe(false);
    expect(isAllowed([{ method: 'GET', path: 'a/*/c' }], 'GET', ['a', 'b', 'c'])).toBe(true);
    expect(isAllowed([{ method: 'GET', path: 'a/*/c' }], 'GET', ['a', 'b', 'x', 'c'])).toBe(false);
    expect(isAllowed([{ method: 'GET', path: '**' }], 'GET', ['anything', 'at', 'all'])).toBe(true);
  });

  it('refuses paths that could leave the allowed prefix instead of normalizing them', () => {
    for (const path of ['a/../b', 'a/./b', 'a//b', 'a\\b', 'a/%2e%2e/b', 'a/%2F/b', 'a/%5c', 'a/b?x=1', 'a/b#f', 'a/b c', '', '/']) {
      expect(() => normalizePassthroughPath(path), JSON.stringify(path)).toThrow(ApiError);
    }
    expect(normalizePassthroughPath('/a/b%20c/d')).toEqual(['a', 'b%20c', 'd']);
  });
});
