import { describe, expect, it } from 'vitest';
import { canonicalDecimal, DECIMAL_PATTERN, decimalRangeProblem } from './decimal.js';
import { canonicalTimestamp, dateRangeProblem, EARLIEST_DATE, LATEST_DATE, timestampRangeProblem } from './time.js';

/*
 * The canonical-form functions take shortcuts for values already in canonical form. These
 * references are the plain definitions (regular expressions and Date, no shortcut); on every
 * input below both must answer the same.
 */
function referenceCanonicalDecimal(text: string): string {
  if (!DECIMAL_PATTERN.test(text)) return text;
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const body = fraction.replace(/0+$/, '') ? `${whole.replace(/^0+(?=\d)/, '')}.${fraction.replace(/0+$/, '')}` : whole.replace(/^0+(?=\d)/, '');
  if (/^0(\.0*)?$/.test(body)) return '0';
  return negative ? `-${body}` : body;
}

function referenceDecimalRange(canonical: string): [number, number] | null {
  if (!DECIMAL_PATTERN.test(canonical)) return null;
  const [whole = '', fraction = ''] = canonical.replace(/^-/, '').split('.');
  return [whole.length, fraction.length];
}

const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(2300, 0, 1) - 1;

function referenceCanonicalTimestamp(text: string): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

function referenceTimestampInRange(text: string): boolean {
  const ms = Date.parse(text);
  return Number.isNaN(ms) || (ms >= EARLIEST_MS && ms <= LATEST_MS);
}

function referenceDateOk(text: string): boolean {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text && ms >= EARLIEST_MS && ms <= LATEST_MS;
}

/** A small deterministic generator, so a failure names an input that reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

function decimals(): string[] {
  const next = random(7);
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');
  const out = ['0', '-0', '+0', '00', '0.0', '-0.0', '-0.5', '0.50', '1.', '.5', '12', '-12', '+12', '012.500', '1e5', '', '-', '1.000000000', '1.0000000001'];
  for (let i = 0; i < 3_000; i++) {
    const sign = ['', '', '-', '+'][Math.floor(next() * 4)]!;
    const whole = digits(1 + Math.floor(next() * 32));
    const fraction = next() < 0.6 ? `.${digits(1 + Math.floor(next() * 12))}` : '';
    out.push(sign + whole + fraction);
  }
  return out;
}

function dates(): string[] {
  const out = ['1899-12-31', '1900-01-01', '2299-12-31', '2300-01-01', '9999-12-31', '0000-01-01', '2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-01', '20240101', ''];
  const next = random(11);
  for (let i = 0; i < 3_000; i++) {
    const year = 1850 + Math.floor(next() * 500);
    const month = Math.floor(next() * 14);
    const day = Math.floor(next() * 33);
    out.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  }
  return out;
}

function timestamps(): string[] {
  const out = [
    '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00Z', '2024-05-01T10:00:00.1234Z', '2024-05-01T12:00:00+02:00', '2024-05-01T24:00:00.000Z',
    '2024-05-01T23:60:00.000Z', '2024-05-01T23:59:60.000Z', '2024-02-30T00:00:00.000Z', '1899-12-31T23:59:59.999Z', '1900-01-01T00:00:00.000Z',
    '2299-12-31T23:59:59.999Z', '2300-01-01T00:00:00.000Z', '2024-05-01 10:00:00.000Z', 'garbage', '',
  ];
  const next = random(13);
  const two = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < 3_000; i++) {
    const date = `${1850 + Math.floor(next() * 500)}-${two(Math.floor(next() * 14))}-${two(Math.floor(next() * 33))}`;
    const time = `${two(Math.floor(next() * 26))}:${two(Math.floor(next() * 62))}:${two(Math.floor(next() * 62))}`;
    const zone = ['.000Z', '.123Z', 'Z', '+01:00', '.5-03:30'][Math.floor(next() * 5)]!;
    out.push(`${date}T${time}${zone}`);
  }
  return out;
}

describe('canonical forms', () => {
  it('canonicalDecimal and decimalRangeProblem answer as the plain definitions on every input', () => {
    for (const text of decimals()) {
      const canonical = canonicalDecimal(text);
      expect(canonical, text).toBe(referenceCanonicalDecimal(text));
      const lengths = referenceDecimalRange(canonical);
      const problem = decimalRangeProblem(canonical);
      if (lengths === null) expect(problem, canonical).toBeNull();
      else expect(problem === null, canonical).toBe(lengths[1] <= 9 && lengths[0] <= 29);
    }
  });

  it('canonicalTimestamp and timestampRangeProblem answer as Date does on every input', () => {
    for (const text of timestamps()) {
      const canonical = canonicalTimestamp(text);
      expect(canonical, text).toBe(referenceCanonicalTimestamp(text));
      expect(timestampRangeProblem(canonical) === null, canonical).toBe(referenceTimestampInRange(canonical));
    }
  });

  it('dateRangeProblem accepts exactly the calendar days from 1900-01-01 to 2299-12-31', () => {
    for (const text of dates()) expect(dateRangeProblem(text) === null, text).toBe(referenceDateOk(text));
    expect(dateRangeProblem('2024-02-30')).toBe('is not a calendar date');
    expect(dateRangeProblem('9999-12-31')).toMatch(`is outside ${EARLIEST_DATE} to ${LATEST_DATE}`);
  });
});
