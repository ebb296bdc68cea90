import { canonicalDecimal } from '../../schemas/index.js';
import { formatUnscaled, toUnscaled } from '../../schemas/values/decimal.js';

/**
 * Exact decimal arithmetic on decimal strings, with bigint underneath (no floats, no library):
 * enough for SAP's net value of an item, `quantity × price ÷ price unit`, rounded the way SAP
 * rounds amounts (half away from zero, to the currency's decimals). Values are scaled to
 * WORK_SCALE digits, so intermediate products of Edm.Decimal(13,3) × (12,3) stay exact.
 */
const WORK_SCALE = 12;
const ONE = 10n ** BigInt(WORK_SCALE);

export type DecimalText = string;

function scaled(value: DecimalText): bigint {
  return toUnscaled(value, WORK_SCALE);
}

function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const negative = (numerator < 0n) !== (denominator < 0n);
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const rounded = (n % d) * 2n >= d ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
}

export function add(a: DecimalText, b: DecimalText): DecimalText {
  return formatUnscaled(scaled(a) + scaled(b), WORK_SCALE);
}

export function sum(values: readonly DecimalText[]): DecimalText {
  return formatUnscaled(values.reduce((total, value) => total + scaled(value), 0n), WORK_SCALE);
}

export function multiply(a: DecimalText, b: DecimalText): DecimalText {
  return formatUnscaled(roundHalfAwayFromZero(scaled(a) * scaled(b), ONE), WORK_SCALE);
}

/** a ÷ b rounded half away from zero to `scale` fraction digits; throws on division by zero. */
export function divide(a: DecimalText, b: DecimalText, scale: number): DecimalText {
  const divisor = scaled(b);
  if (divisor === 0n) throw new RangeError(`division of ${a} by zero`);
  const factor = 10n ** BigInt(scale);
  return formatUnscaled(roundHalfAwayFromZero(scaled(a) * factor, divisor), scale);
}

/** Rounds half away from zero to `scale` fraction digits (SAP's commercial rounding of amounts). */
export function round(value: DecimalText, scale: number): DecimalText {
  return divide(value, '1', scale);
}

export function isZero(value: DecimalText): boolean {
  return canonicalDecimal(value) === '0';
}
