import { describe, expect, it } from 'vitest';
import { RowBuffer } from './row-buffer.js';

describe('RowBuffer', () => {
  it('writes newline-terminated rows across chunks, multi-byte text included, and gives the lines back', () => {
    const buffer = new RowBuffer();
    const big = 'ü€'.repeat(300_000); // ~1.5 MB of UTF-8: larger than one chunk
    const rows = ['{"a":1}', JSON.stringify({ text: big }), '{"b":"日本"}'];
    rows.forEach((row, index) => buffer.push(row, 100 + index, index === 1 ? 5 : Number.NaN));
    expect(buffer.rows).toBe(3);
    const body = Buffer.concat(buffer.body()).toString('utf8');
    expect(body).toBe(`${rows.join('\n')}\n`);
    expect(buffer.bytes).toBe(Buffer.byteLength(body));
    expect(buffer.lines()).toEqual(rows);
    expect(buffer.offsets).toEqual([100, 101, 102]);
    expect(buffer.capturedAtMs[1]).toBe(5);
  });

  it('gives an empty body when nothing was pushed', () => {
    expect(Buffer.concat(new RowBuffer().body()).length).toBe(0);
  });
});
