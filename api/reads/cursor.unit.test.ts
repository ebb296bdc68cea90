import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('list cursors', () => {
  const position = { connectionId: 'conn-1', id: '0b9f5a4e-4d8c-4c39-9d6c-0b8f5a4e4d8c' };

  it('round-trips the sort key of the last record, opaque and URL-safe', () => {
    const cursor = encodeCursor('purchase_order', position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('purchase_order', cursor)).toEqual(position);
  });

  it('refuses cursors of another list, forged ones and garbage', () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, e: 'purchase_order', c: 'x', i: "1' OR 1=1" })).toString('base64url');
    for (const [entity, cursor] of [
      ['vendor', encodeCursor('purchase_order', position)],
      ['purchase_order', forged],
      ['purchase_order', 'not-a-cursor'],
      ['purchase_order', Buffer.from('[]').toString('base64url')],
    ] as const) {
      try {
        decodeCursor(entity, cursor);
        throw new Error(`accepted ${cursor}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).code).toBe('cursor_invalid');
      }
    }
  });
});
