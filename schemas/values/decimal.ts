/**
 * Exact decimals, carried as strings everywhere in JavaScript: money, quantities and rates are
 * never floats. One precision for every decimal field keeps the wire format, the ClickHouse
 * column and the rules simple: 38 significant digits, 9 of them after the point (Decimal(38, 9)).
 */
export const DECIMAL_PRECISION = 38;
export const DECIMAL_SCALE = 9;
const INTEGER_DIGITS = DECIMAL_PRECISION - DECIMAL_SCALE;

/** A plain decimal: optional sign, digits, optional fraction. No exponent, no thousands separator. */
export const DECIMAL_PATTERN = /^[+-]?\d+(\.\d+)?$/;

/** Already the one spelling: no sign but `-`, no leading zeros, no trailing fraction zeros (`-0` aside). */
const CANONICAL_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** `+012.500` → `12.5`, `-0.0` → `0`: the one spelling of a value, also ClickHouse's toString. */
export function canonicalDecimal(text: string): string {
  // Mappers write decimals through toDecimal, so nearly every value is canonical already; the
  // rewrite below is several regular expressions and copies per value, on every field of every record.
  if (CANONICAL_DECIMAL.test(text) && text !== '-0') return text;
  if (!DECIMAL_PATTERN.test(text)) return text;
  const negative = text.startsWith('-');
  const unsigned = text.replace(/^[+-]/, '');
  const [whole = '0', fraction = ''] = unsigned.split('.');
  const integerPart = whole.replace(/^0+(?=\d)/, '');
  const fractionPart = fraction.replace(/0+$/, '');
  const body = fractionPart ? `${integerPart}.${fractionPart}` : integerPart;
  if (/^0(\.0*)?$/.test(body)) return '0';
  return negative ? `-${body}` : body;
}

/** Why a canonical decimal does not fit Decimal(38, 9), or null when it does. */
export function decimalRangeProblem(canonical: string): string | null {
  if (!DECIMAL_PATTERN.test(canonical)) return null;
  // Digits counted by position rather than split into copies: this runs on every decimal field.
  const signLength = canonical.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const dot = canonical.indexOf('.');
  const wholeLength = (dot < 0 ? canonical.length : dot) - signLength;
  const fractionLength = dot < 0 ? 0 : canonical.length - dot - 1;
  if (fractionLength > DECIMAL_SCALE) {
    return `has ${fractionLength} digits after the point; the model keeps at most ${DECIMAL_SCALE} (round it in the mapper with toDecimal)`;
  }
  if (wholeLength > INTEGER_DIGITS) return `has ${wholeLength} digits before the point; the model keeps at most ${INTEGER_DIGITS}`;
  return null;
}

/**
 * For mappers: a source number or numeric string → a canonical decimal string, rounded half to
 * even to 9 places (float noise such as 0.30000000000000004 disappears). Returns null for null,
 * undefined and "" (SAP sends "" for a blank amount). Throws on anything that is not a number.
 */
export function toDecimal(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  // Mappers call this for every amount and quantity of every record, and nearly every value is
  // already its one spelling with at most 9 fraction digits: then the text is the answer, without
  // the exact BigInt round trip below (about 1 µs a value). A number's toString is such a
  // spelling whenever it has no exponent (no leading zeros, no trailing fraction zeros, 0 for -0).
  if (isCanonicalAtScale(text)) return text;
  if (!DECIMAL_PATTERN.test(text)) throw new Error(`not a decimal number: ${JSON.stringify(value)}`);
  return formatUnscaled(toUnscaled(text));
}

/** Canonical (see CANONICAL_DECIMAL) with at most DECIMAL_SCALE fraction digits: toDecimal's own answer. */
function isCanonicalAtScale(text: string): boolean {
  if (!CANONICAL_DECIMAL.test(text) || text === '-0') return false;
  const dot = text.indexOf('.');
  return dot < 0 || text.length - dot - 1 <= DECIMAL_SCALE;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  // toString uses exponents below 1e-6 and from 1e21; such large doubles are integers, and for
  // small ones 20 fixed digits are plenty to round to 9.
  const text = value.toString();
  if (!/e/i.test(text)) return text;
  return Math.abs(value) >= 1e21 ? BigInt(value).toString() : value.toFixed(20);
}

/** A decimal text → its value × 10^scale as a bigint, rounded half to even. */
export function toUnscaled(text: string, scale: number = DECIMAL_SCALE): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const kept = fraction.slice(0, scale).padEnd(scale, '0');
  let unscaled = BigInt(whole + kept);
  const rest = fraction.slice(scale);
  if (rest) {
    const first = Number(rest[0]);
    const tail = /[1-9]/.test(rest.slice(1));
    const roundUp = first > 5 || (first === 5 && (tail || unscaled % 2n === 1n));
    if (roundUp) unscaled += 1n;
  }
  return negative ? -unscaled : unscaled;
}

/** value × 10^scale → canonical decimal text (hot path of Avro decoding: no regular expressions). */
export function formatUnscaled(unscaled: bigint, scale: number = DECIMAL_SCALE): string {
  const negative = unscaled < 0n;
  return formatUnscaledDigits(negative, (negative ? -unscaled : unscaled).toString(), scale);
}

/** formatUnscaled for an unscaled value that is a safe integer (Avro decimals up to 6 bytes). */
export function formatSafeUnscaled(unscaled: number, scale: number = DECIMAL_SCALE): string {
  return formatUnscaledDigits(unscaled < 0, String(Math.abs(unscaled)), scale);
}

function formatUnscaledDigits(negative: boolean, digits: string, scale: number): string {
  if (digits === '0') return '0';
  let text = digits;
  if (scale > 0) {
    const padded = digits.padStart(scale + 1, '0');
    let end = padded.length;
    while (end > padded.length - scale && padded.charCodeAt(end - 1) === 48) end -= 1;
    const whole = padded.slice(0, padded.length - scale);
    const fraction = padded.slice(padded.length - scale, end);
    text = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative ? `-${text}` : text;
}
