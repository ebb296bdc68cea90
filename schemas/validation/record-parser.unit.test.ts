import { describe, expect, it } from 'vitest';
import { ENTITY_NAMES, type EntityName } from '../entities.js';
import { exampleRecord } from '../examples/index.js';
import { entityModels } from '../model/index.js';
import type { FieldDef } from '../model/field.js';
import { parseCompiled } from './record-parser.js';
import { safeParseUnifiedRecord, unifiedRecordSchema } from './record-schemas.js';

/**
 * The compiled parser must agree with zod: whatever it accepts, zod accepts with the very same
 * output (values and key order); whatever zod refuses, it refuses too. Checked on every
 * example record and on thousands of variants: each field (and each field of a line or an
 * address) set to values of every kind, canonical and not, valid and not.
 */
const CANDIDATES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'EUR',
  'eur',
  'DE',
  '12.5',
  '+0012.500',
  '-0.000',
  '1e5',
  '1.0000000001',
  '123456789012345678901234567890',
  '-12',
  '2024-05-01T10:00:00.000Z',
  '2024-05-01T10:00:00Z',
  '2021-07-20T01:00:24.1234567+05:30',
  '2024-05-01T10:00:00',
  '1899-12-31T23:59:59.999Z',
  '2300-01-01T00:00:00.000Z',
  '2024-02-29',
  '2023-02-29',
  '2024-02-30',
  '9999-12-31',
  '1900-01-01',
  '6f1d4bb2-5a4e-4c1b-9d57-2b6f0e8f1c3a',
  '6F1D4BB2-5A4E-4C1B-9D57-2B6F0E8F1C3A',
  '6f1d4bb2-5a4e-0c1b-9d57-2b6f0e8f1c3a',
  '00000000-0000-0000-0000-000000000000',
  '1717236000123456',
  '9223372036854775807',
  '9223372036854775808',
  '{"a":1}',
  '{"a":',
  'open',
  'approved',
  0,
  -0,
  1,
  10,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  [],
  ['a', 'b'],
  ['6f1d4bb2-5a4e-4c1b-9d57-2b6f0e8f1c3a'],
  [1],
  {},
  { a: 'b' },
  { a: 1 },
  { city: null, line1: null },
  { city: 'Walldorf' },
  { unknown_key: 1 },
  [{}],
  [{ quantity: '1' }],
  [{ quantity: 1 }],
  Object.create({ inherited: 'x' }),
];

function variants(fields: readonly FieldDef[], base: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  for (const field of fields) {
    for (const candidate of CANDIDATES) {
      const copy = structuredClone(base);
      if (candidate === undefined) delete copy[field.name];
      else copy[field.name] = candidate;
      out.push(copy);
    }
    const nested = field.type.kind === 'record' || field.type.kind === 'records' ? field.type.record : null;
    const value = base[field.name];
    if (!nested) continue;
    const item = field.type.kind === 'records' ? (value as Record<string, unknown>[])[0] : (value as Record<string, unknown> | null);
    if (!item) continue;
    for (const inner of variants(nested.fields, item)) {
      const copy = structuredClone(base);
      if (field.type.kind === 'records') (copy[field.name] as unknown[])[0] = inner;
      else copy[field.name] = inner;
      out.push(copy);
    }
  }
  const extra = structuredClone(base);
  extra.not_in_the_model = 'x';
  out.push(extra, null, [], 'record', 42);
  return out;
}

function compare(entity: EntityName, value: unknown): 'both' | 'zod_only' | 'neither' {
  const zod = unifiedRecordSchema(entity).safeParse(structuredClone(value));
  const compiled = parseCompiled(entity, structuredClone(value));
  if (compiled) {
    expect(zod.success, `zod refuses what the compiled parser accepted: ${JSON.stringify(value)}`).toBe(true);
    expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(zod.data));
    expect(compiled.data).toEqual(zod.data);
    return 'both';
  }
  return zod.success ? 'zod_only' : 'neither';
}

describe('the compiled unified record parser', () => {
  it.each(ENTITY_NAMES)('agrees with zod on the %s example and every variant of it', (entity) => {
    const example = exampleRecord(entity) as unknown as Record<string, unknown>;
    expect(compare(entity, example)).toBe('both');
    const outcomes = { both: 0, zod_only: 0, neither: 0 };
    for (const variant of variants(entityModels[entity].fields, example)) outcomes[compare(entity, variant)]++;
    // Exact agreement: nothing valid is left to zod either.
    expect(outcomes.zod_only).toBe(0);
    expect(outcomes.both).toBeGreaterThan(800);
    expect(outcomes.neither).toBeGreaterThan(1_800);
  });

  it('canonicalizes what zod canonicalizes, without falling back to it', () => {
    const record = exampleRecord('purchase_order') as unknown as Record<string, unknown>;
    record.total = '+0012.500';
    record.remote_updated_at = '2021-07-20T01:00:24.1234567+05:30';
    record.bill_to_address = { type: null, name: null, line1: null };
    delete record.custom_fields;
    const compiled = parseCompiled('purchase_order', record);
    expect(compiled).not.toBeNull();
    expect(compiled!.data).toMatchObject({ total: '12.5', remote_updated_at: '2021-07-19T19:30:24.123Z', bill_to_address: null, custom_fields: {} });
  });

  it('returns zod’s result, issues and all, for a record it does not accept', () => {
    const record = exampleRecord('vendor') as unknown as Record<string, unknown>;
    record.currency = 'eur';
    const result = safeParseUnifiedRecord('vendor', record);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['currency'] });
    expect(result.error!.issues[0]!.message).toMatch(/ISO 4217/);
  });
});
