import { describe, expect, it } from 'vitest';
import { canonicalDecimal, formatUnscaled, toDecimal, toUnscaled } from './decimal.js';

describe('decimals', () => {
  it('has one spelling per value', () => {
    expect(canonicalDecimal('+0012.500')).toBe('12.5');
    expect(canonicalDecimal('-0.000')).toBe('0');
    expect(canonicalDecimal('10')).toBe('10');
    expect(canonicalDecimal('-0.50')).toBe('-0.5');
    expect(canonicalDecimal('abc')).toBe('abc');
  });

  it('turns source numbers into exact strings, without float noise', () => {
    expect(toDecimal(0.1 + 0.2)).toBe('0.3');
    expect(toDecimal(1e-7)).toBe('0.0000001');
    expect(toDecimal(1e21)).toBe('1000000000000000000000');
    expect(toDecimal(-17.55)).toBe('-17.55');
    expect(toDecimal('10.000')).toBe('10');
    expect(toDecimal('')).toBeNull();
    expect(toDecimal(null)).toBeNull();
    expect(() => toDecimal('1,5')).toThrow(/not a decimal/);
    expect(() => toDecimal(Number.NaN)).toThrow(/finite/);
  });

  it('rounds half to even at the 9th place', () => {
    expect(toDecimal('0.0000000005')).toBe('0');
    expect(toDecimal('0.0000000015')).toBe('0.000000002');
    expect(toDecimal('0.00000000051')).toBe('0.000000001');
    expect(toDecimal('-2.0000000025')).toBe('-2.000000002');
  });

  it('converts to and from the unscaled value of Decimal(38, 9)', () => {
    expect(toUnscaled('12.5')).toBe(12_500_000_000n);
    expect(formatUnscaled(-1n)).toBe('-0.000000001');
    expect(formatUnscaled(toUnscaled('99999999999999999999999999999.999999999'))).toBe('99999999999999999999999999999.999999999');
  });
});

describe('toDecimal on values already in their one spelling', () => {
  it('answers exactly as the BigInt round trip on numbers and texts of every shape', () => {
    const exact = (text: string) => formatUnscaled(toUnscaled(text));
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const texts: string[] = ['0', '-0', '0.0', '-0.5', '+1', '007', '1.000000000', '1.0000000001', '12.5', '-12.50'];
    for (let i = 0; i < 3000; i++) {
      const number = (random() - 0.5) * 10 ** Math.floor(random() * 20 - 6);
      const rounded = Number(number.toFixed(Math.floor(random() * 12)));
      for (const value of [number, rounded]) {
        expect(toDecimal(value), String(value)).toBe(exact(/e/i.test(String(value)) ? value.toFixed(20) : String(value)));
      }
      texts.push(String(rounded), `${rounded}0`, `+${Math.abs(rounded)}`, `${rounded}`.replace(/^(-?)/, '$10'));
    }
    for (const text of texts) if (/^[+-]?\d+(\.\d+)?$/.test(text)) expect(toDecimal(text), text).toBe(exact(text));
  });
});
