import { describe, expect, it } from 'vitest';
import { ENTITY_NAMES } from '../entities.js';
import { exampleRecord } from '../examples/index.js';
import {
  jsonSchemaFor,
  mappedRecordSchema,
  parseMappedRecord,
  RecordValidationError,
  unifiedRecordSchema,
  validationIssues,
  writeInputSchema,
} from './record-schemas.js';

function issuesOf(result: { success: boolean; error?: Parameters<typeof validationIssues>[0] }) {
  expect(result.success).toBe(false);
  return validationIssues(result.error!);
}

describe('unified and mapped record validators', () => {
  it.each(ENTITY_NAMES)('accepts the %s example unchanged (it is already canonical)', (entity) => {
    const example = exampleRecord(entity);
    expect(unifiedRecordSchema(entity).parse(example)).toEqual(example);
  });

  it('fills what a mapper leaves out: null, empty lists and maps, false', () => {
    const parsed = mappedRecordSchema('purchase_order').parse({ remote_id: '4500000001', lines: [{ quantity: '1' }] });
    expect(parsed.number).toBeNull();
    expect(parsed.is_deleted).toBe(false);
    expect(parsed.custom_fields).toEqual({});
    expect(parsed.ship_to_address).toBeNull();
    expect(parsed.lines[0]).toMatchObject({ quantity: '1', is_closed: false, custom_fields: {}, item_id: null });
    expect('id' in parsed).toBe(false);
  });

  it('canonicalizes decimals, timestamps and empty addresses', () => {
    const parsed = mappedRecordSchema('purchase_order').parse({
      remote_id: 'x',
      total: '+0012.500',
      exchange_rate: '-0.000',
      remote_updated_at: '2021-07-20T01:00:24.1234567+05:30',
      ship_to_address: { city: null, line1: null },
    });
    expect(parsed).toMatchObject({ total: '12.5', exchange_rate: '0', remote_updated_at: '2021-07-19T19:30:24.123Z', ship_to_address: null });
  });

  it('reports a version that is not digits as an issue instead of throwing', () => {
    const record = { ...exampleRecord('vendor'), version: 'x' };
    const issues = issuesOf(unifiedRecordSchema('vendor').safeParse(record));
    expect(issues).toEqual([{ path: 'version', message: 'must be a non-negative 64-bit integer written as a string of digits' }]);
  });

  it('names the path of every wrong field, down to the line', () => {
    const issues = issuesOf(
      mappedRecordSchema('purchase_order').safeParse({
        remote_id: 'x',
        currency: 'eur',
        lines: [{ quantity: '1' }, { quantity: '2' }, { quantity: 1.5 }],
        status: 'open',
        vendorId: 'typo',
      }),
    );
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath['lines.2.quantity']).toMatch(/string/);
    expect(byPath.currency).toMatch(/ISO 4217/);
    expect(byPath.status).toMatch(/one of draft, pending_approval/);
    expect(issues.some((issue) => issue.message.includes('vendorId'))).toBe(true);
  });

  it('refuses values ClickHouse and Avro cannot hold, saying what to do', () => {
    const issues = issuesOf(
      mappedRecordSchema('asset').safeParse({
        remote_id: 'a',
        warranty_expiry: '9999-12-31',
        purchase_cost: '1.0000000001',
        purchase_date: '2024-02-30',
        remote_created_at: '2024-05-01T10:00:00',
        meters: [{ value: '1e5' }],
      }),
    );
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath.warranty_expiry).toMatch(/to null/);
    expect(byPath.purchase_cost).toMatch(/at most 9.*toDecimal/);
    expect(byPath.purchase_date).toMatch(/not a calendar date/);
    expect(byPath.remote_created_at).toMatch(/time zone/);
    expect(byPath['meters.0.value']).toMatch(/decimal number/);
  });

  it('requires the transformer envelope in a unified record but not in a mapped one', () => {
    const issues = issuesOf(unifiedRecordSchema('vendor').safeParse({ remote_id: 'v1' }));
    expect(issues.map((issue) => issue.path).sort()).toEqual(['connection_id', 'id', 'remote_data', 'source_system', 'synced_at', 'version']);
    expect(mappedRecordSchema('vendor').safeParse({ remote_id: 'v1' }).success).toBe(true);
  });

  it('refuses a mapped record that tries to set the transformer envelope', () => {
    const issues = issuesOf(mappedRecordSchema('vendor').safeParse({ remote_id: 'v1', version: '1' }));
    expect(issues[0]!.message).toContain('version');
  });

  it('throws RecordValidationError with the issues from parseMappedRecord', () => {
    try {
      parseMappedRecord('work_order', { remote_id: 'w', tasks: [{ sequence: 1.5 }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RecordValidationError);
      expect((error as RecordValidationError).issues[0]!.path).toBe('tasks.0.sequence');
      expect((error as RecordValidationError).message).toMatch(/^invalid work_order: tasks\.0\.sequence/);
    }
  });
});

describe('write inputs', () => {
  it('requires lines and a vendor to create a purchase order', () => {
    const issues = issuesOf(writeInputSchema('purchase_order', 'create').safeParse({ currency: 'EUR' }));
    expect(issues.map((issue) => issue.path).sort()).toEqual(['lines']);
    const vendorIssues = issuesOf(writeInputSchema('purchase_order', 'create').safeParse({ lines: [{ quantity: '1' }] }));
    expect(vendorIssues).toEqual([{ path: 'vendor_id', message: 'one of vendor_id, vendor_remote_id is required' }]);
    const ok = writeInputSchema('purchase_order', 'create').parse({ vendor_remote_id: '17300001', lines: [{ quantity: '2.50', item_remote_id: 'TG11' }] });
    expect(ok).toEqual({ vendor_remote_id: '17300001', lines: [{ quantity: '2.5', item_remote_id: 'TG11' }] });
  });

  it('refuses read-only and create-only fields on update, and fields no write may set', () => {
    const update = writeInputSchema('purchase_order', 'update');
    expect(update.safeParse({ memo: 'x', lines: [{ line_number: 10, quantity: '3' }] }).success).toBe(true);
    expect(issuesOf(update.safeParse({ vendor_id: null }))[0]!.message).toContain('vendor_id');
    expect(issuesOf(update.safeParse({ total: '1' }))[0]!.message).toContain('total');
    expect(issuesOf(writeInputSchema('work_order', 'create').safeParse({ title: 't', actual_hours: '1' }))[0]!.message).toContain('actual_hours');
  });

  it('requires a title to create a work order', () => {
    expect(issuesOf(writeInputSchema('work_order', 'create').safeParse({}))).toEqual([{ path: 'title', message: expect.any(String) }]);
  });
});

describe('JSON Schema', () => {
  it('describes every field of a unified record, all of them required in the output', () => {
    const schema = jsonSchemaFor('purchase_order') as { properties: Record<string, { description?: string }>; required: string[] };
    expect(schema.required).toContain('lines');
    expect(schema.properties.total!.description).toMatch(/Gross total/);
    expect(Object.values(schema.properties).every((property) => typeof property.description === 'string')).toBe(true);
  });
});
