import { describe, expect, it } from 'vitest';
import { formatUnscaled } from '../values/decimal.js';
import { parseAvroType, safeTwosComplement, twosComplement } from './logical-types.js';

const schema = {
  type: 'record',
  name: 'Values',
  fields: [
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 38, scale: 9 } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'version', type: 'long' },
  ],
};
const type = parseAvroType(schema);

describe('Avro logical types in the model\'s JavaScript form', () => {
  it('encodes decimals as the minimal two\'s complement Java\'s BigInteger writes', () => {
    expect(twosComplement(0n).toString('hex')).toBe('00');
    expect(twosComplement(127n).toString('hex')).toBe('7f');
    expect(twosComplement(128n).toString('hex')).toBe('0080');
    expect(twosComplement(-1n).toString('hex')).toBe('ff');
    expect(twosComplement(-128n).toString('hex')).toBe('80');
    expect(twosComplement(-129n).toString('hex')).toBe('ff7f');
  });

  it.each([
    ['0', '0'],
    ['12.5', '12.5'],
    ['-0.000000001', '-0.000000001'],
    ['-128', '-128'],
    ['+007.10', '7.1'],
    ['99999999999999999999999999999.999999999', '99999999999999999999999999999.999999999'],
    ['-99999999999999999999999999999.999999999', '-99999999999999999999999999999.999999999'],
  ])('round-trips the decimal %s as %s', (input, output) => {
    const value = { amount: input, at: '2024-05-01T10:00:00.123Z', day: '2024-05-01', version: '1' };
    expect(type.fromBuffer(type.toBuffer(value))).toMatchObject({ amount: output });
  });

  it('round-trips the edges of dates, timestamps and 64-bit versions', () => {
    for (const value of [
      { amount: '1', at: '1900-01-01T00:00:00.000Z', day: '1900-01-01', version: '0' },
      { amount: '1', at: '2299-12-31T23:59:59.999Z', day: '2299-12-31', version: '9223372036854775807' },
      { amount: '1', at: '1969-12-31T23:59:59.999Z', day: '1969-12-31', version: '1714557605000123' },
    ]) {
      expect({ ...type.fromBuffer(type.toBuffer(value)) }).toEqual(value);
    }
  });

  it('refuses values the schema cannot hold instead of writing something else', () => {
    const base = { amount: '1', at: '2024-05-01T10:00:00.000Z', day: '2024-05-01', version: '1' };
    expect(type.isValid({ ...base, amount: '0.0000000001' })).toBe(false);
    expect(type.isValid({ ...base, amount: '1e5' })).toBe(false);
    expect(type.isValid({ ...base, at: 'yesterday' })).toBe(false);
    expect(type.isValid({ ...base, day: '01.05.2024' })).toBe(false);
    expect(type.isValid({ ...base, version: '9223372036854775808' })).toBe(false);
    expect(type.isValid({ ...base, version: 1.5 })).toBe(false);
  });

  it('writes nullable logical values (a union branch chosen by converting) exactly, value after value', () => {
    const nullable = parseAvroType({
      type: 'record',
      name: 'Line',
      fields: [
        { name: 'price', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 38, scale: 9 }] },
        { name: 'total', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 38, scale: 9 }] },
        { name: 'due', type: ['null', { type: 'int', logicalType: 'date' }] },
      ],
    });
    const lines = [
      { price: '12.5', total: '12.5', due: '2024-05-01' },
      { price: '12.5', total: '-3', due: null },
      { price: null, total: '0.000000001', due: '2024-05-02' },
      { price: '7', total: '7', due: '2024-05-02' },
    ];
    const written = Buffer.concat(lines.map((line) => nullable.toBuffer(line)));
    let offset = 0;
    for (const line of lines) {
      const { value, offset: next } = nullable.decode(written, offset);
      expect({ ...(value as object) }).toEqual(line);
      offset = next;
    }
    // A value it refused once is refused again, not taken for the previous value's conversion.
    expect(nullable.isValid({ price: '1e5', total: null, due: null })).toBe(false);
    expect(nullable.isValid({ price: '1e5', total: null, due: null })).toBe(false);
  });

  it('writes and reads safe-integer decimals without BigInt exactly as the BigInt path does', () => {
    const values: bigint[] = [0n, 1n, -1n];
    for (let bits = 1; bits <= 53; bits++) {
      const edge = 2n ** BigInt(bits);
      values.push(edge - 1n, edge, edge + 1n, -edge + 1n, -edge, -edge - 1n);
    }
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) values.push(BigInt(Math.floor((random() - 0.5) * 2 ** Math.floor(random() * 54))));
    const amount = parseAvroType({ type: 'bytes', logicalType: 'decimal', precision: 38, scale: 9 });
    for (const unscaled of values) {
      if (unscaled > BigInt(Number.MAX_SAFE_INTEGER) || unscaled < BigInt(Number.MIN_SAFE_INTEGER)) continue;
      expect(safeTwosComplement(Number(unscaled)).toString('hex'), String(unscaled)).toBe(twosComplement(unscaled).toString('hex'));
      const text = formatUnscaled(unscaled);
      // Written through the number path up to 15 digits, the BigInt path beyond; read back through
      // the number path up to 6 bytes: the bytes are the BigInt path's and the text comes back.
      const bytes = twosComplement(unscaled);
      // Avro bytes: the zigzag length (one byte below 64), then the bytes.
      expect(amount.toBuffer(text).toString('hex'), text).toBe(Buffer.concat([Buffer.from([bytes.length * 2]), bytes]).toString('hex'));
      expect(amount.fromBuffer(amount.toBuffer(text)), text).toBe(text);
    }
  });
});
