import { describe, expect, it } from 'vitest';
import { applyFieldMappings, coerce, globPattern } from './apply-field-mappings.js';
import { connectionMappingSchema, mappableFields } from './field-mapping-config.js';

const raw = {
  Supplier: 'V-1',
  PurchasingGroup: 'P01',
  TotalNet: 1250.5,
  Released: '/Date(1714557605000)/',
  Org: { Plant: '1710' },
  Items: [{ Plant: '1720' }],
  YY1_Rating_PDH: 'A',
};

describe('connection mapping config', () => {
  it('accepts fields, custom-field selection and raw paths', () => {
    const mapping = {
      purchase_order: {
        fields: { buyer: 'PurchasingGroup', department: 'Items[0].Plant' },
        custom_fields: { include: ['YY1_*'], exclude: ['YY1_Internal*'], from_raw: { plant: 'Org.Plant' } },
      },
    };
    expect(connectionMappingSchema.parse(mapping)).toEqual(mapping);
  });

  it('refuses what Millrace sets, unknown fields and entities, and malformed paths, naming each', () => {
    const result = connectionMappingSchema.safeParse({
      purchase_order: { fields: { version: 'X', remote_id: 'Y', colour: 'Z', memo: 'has space' } },
      spaceship: {},
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^purchase_order\.fields\.version: version cannot be mapped: Millrace sets it/),
        expect.stringMatching(/^purchase_order\.fields\.remote_id: remote_id cannot be mapped/),
        expect.stringMatching(/^purchase_order\.fields\.colour: purchase_order has no field colour; mappable fields: /),
        expect.stringMatching(/^purchase_order\.fields\.memo: must be a dot path/),
        expect.stringMatching(/spaceship/),
      ]),
    );
    expect(mappableFields('vendor')).not.toContain('custom_fields');
  });
});

describe('applying a mapping', () => {
  const mapped = { remote_id: 'PO-1', buyer: 'from mapper', memo: 'keep', custom_fields: { YY1_Rating_PDH: 'A', YY1_Internal_PDH: 'x', ZZ_Other: '1' } };

  it('without a mapping, returns the mapper\'s record untouched', () => {
    expect(applyFieldMappings('purchase_order', mapped, raw, undefined).record).toBe(mapped);
  });

  it('overrides fields from raw paths, converting to the field type, and records where each came from', () => {
    const { record, mappedFrom } = applyFieldMappings('purchase_order', mapped, raw, {
      fields: { buyer: 'PurchasingGroup', total: 'TotalNet', issue_date: 'Released', department: 'Items[0].Plant', incoterms: 'Missing.Path' },
    });
    expect(record).toMatchObject({ remote_id: 'PO-1', buyer: 'P01', total: '1250.5', issue_date: '2024-05-01', department: '1720', incoterms: null, memo: 'keep' });
    expect(mappedFrom.get('total')).toBe('TotalNet');
    expect(mapped.buyer).toBe('from mapper');
  });

  it('selects custom fields by pattern and adds ones from raw paths', () => {
    const { record } = applyFieldMappings('purchase_order', mapped, raw, {
      custom_fields: { include: ['YY1_*'], exclude: ['YY1_Internal*'], from_raw: { plant: 'Org.Plant', total: 'TotalNet', none: 'Nope' } },
    });
    expect(record.custom_fields).toEqual({ YY1_Rating_PDH: 'A', plant: '1710', total: '1250.5' });
  });

  it('converts only what is unambiguous and leaves the rest for validation to name', () => {
    expect(coerce({ kind: 'timestamp' }, '/Date(1714557605000)/')).toBe('2024-05-01T10:00:05.000Z');
    expect(coerce({ kind: 'timestamp' }, '/Date(garbage)/')).toBe('/Date(garbage)/');
    expect(coerce({ kind: 'decimal', unit: 'money' }, 0.1 + 0.2)).toBe('0.3');
    expect(coerce({ kind: 'decimal', unit: 'money' }, 'twelve')).toBe('twelve');
    expect(coerce({ kind: 'text' }, 42)).toBe('42');
    expect(coerce({ kind: 'integer' }, '10')).toBe(10);
    expect(coerce({ kind: 'boolean' }, 'false')).toBe(false);
    expect(coerce({ kind: 'date' }, '')).toBeNull();
    expect(coerce({ kind: 'text' }, undefined)).toBeNull();
  });

  it('treats only * as special in patterns', () => {
    expect(globPattern('YY1_*').test('YY1_A')).toBe(true);
    expect(globPattern('a.b').test('axb')).toBe(false);
    expect(globPattern('*_PDH').test('YY1_X_PDH')).toBe(true);
  });
});
