import { describe, expect, it } from 'vitest';
import { RECORD_IMAGE_COLUMN } from '../../../schemas/clickhouse/record-image.js';
import { clickhouseTableName, ENTITY_NAMES } from '../../../schemas/index.js';
import { unifiedRecord } from '../testing/sink-fixtures.js';
import { compactLayout, namedRowText } from './compact-entity-row.js';

describe('compact entity rows', () => {
  it.each(ENTITY_NAMES)('give a refused %s row back by name, nested records included', (entity) => {
    const record = unifiedRecord(entity, 'conn-a', 3) as unknown as Record<string, unknown>;
    const line = compactLayout(entity).row(record, '{"image":true}');
    expect(Array.isArray(JSON.parse(line))).toBe(true);
    expect(JSON.parse(namedRowText(clickhouseTableName(entity), line))).toEqual({ ...record, [RECORD_IMAGE_COLUMN]: '{"image":true}' });
  });

  it('names the fields of order lines and addresses, not only the columns', () => {
    const order = unifiedRecord('purchase_order', 'conn-a', 1, { ship_to_address: { type: 'shipping', name: null, line1: 'Gate 3', line2: null, line3: null, city: 'Linz', state: null, postal_code: '4020', country: 'AT', full_address: null, is_primary: true } });
    const named = JSON.parse(namedRowText('purchase_orders', compactLayout('purchase_order').row(order as unknown as Record<string, unknown>, '{}'))) as Record<string, any>;
    expect(named.ship_to_address).toMatchObject({ line1: 'Gate 3', city: 'Linz', country: 'AT' });
    expect(named.lines.length).toBeGreaterThan(0);
    expect(named.lines[0]).toMatchObject({ line_number: order.lines[0]!.line_number, quantity: order.lines[0]!.quantity });
  });

  it('leaves rows of other tables and lines that are not JSON as they are', () => {
    expect(namedRowText('events', '{"id":"e1"}')).toBe('{"id":"e1"}');
    expect(namedRowText('purchase_orders', '[1,2')).toBe('[1,2');
    expect(namedRowText('purchase_orders', '{"a":1}')).toBe('{"a":1}');
  });
});
