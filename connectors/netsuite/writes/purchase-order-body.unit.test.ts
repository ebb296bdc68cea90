import { describe, expect, it } from 'vitest';
import { purchaseOrderBody, validatePurchaseOrder } from './purchase-order-body.js';
import { netsuiteIdempotencyKey } from './purchase-orders.js';

describe('purchase order body', () => {
  it('maps the unified create input to NetSuite fields, references as {id}, decimals as numbers', () => {
    const body = purchaseOrderBody(
      {
        vendor_remote_id: '1335',
        issue_date: '2026-01-05',
        required_date: '2026-02-01',
        memo: 'note',
        external_reference: 'REQ-1',
        ship_to_location_remote_id: '3',
        exchange_rate: '1.25',
        custom_fields: { custbody_mr_rush_order: 'true', custbody_mr_project_code: 'PRJ-1' },
        lines: [{ line_number: 1, item_remote_id: '13861', quantity: '10', unit_price: '3800.50', description: 'd', location_remote_id: '1', expected_delivery_date: '2026-01-20', custom_fields: { custcol_mr_cost_center: 'CC-1' } }],
      },
      'create',
      '2',
    );
    expect(body).toEqual({
      entity: { id: '1335' },
      tranDate: '2026-01-05',
      dueDate: '2026-02-01',
      memo: 'note',
      otherRefNum: 'REQ-1',
      location: { id: '3' },
      currency: { id: '2' },
      exchangeRate: 1.25,
      custbody_mr_rush_order: true,
      custbody_mr_project_code: 'PRJ-1',
      item: { items: [{ item: { id: '13861' }, quantity: 10, rate: 3800.5, description: 'd', location: { id: '1' }, expectedReceiptDate: '2026-01-20', custcol_mr_cost_center: 'CC-1' }] },
    });
  });

  it('sends only what an update changes, lines picked by their line number', () => {
    expect(purchaseOrderBody({ memo: null, lines: [{ line_number: 2, quantity: '5' }] }, 'update', null)).toEqual({ memo: null, item: { items: [{ line: 2, quantity: 5 }] } });
  });

  it('validates NetSuite rules the model cannot express', () => {
    expect(validatePurchaseOrder({ vendor_remote_id: '1', lines: [{ item_remote_id: '2', quantity: '1' }] }, 'create')).toEqual([]);
    expect(validatePurchaseOrder({ vendor_remote_id: '1', lines: [{ item_remote_id: '2', quantity: '1', line_total: '9' }], custom_fields: { foo: 'x' } }, 'create').map((issue) => issue.path)).toEqual(['custom_fields.foo', 'lines[0].line_total']);
    expect(validatePurchaseOrder({ vendor_remote_id: '1' }, 'update').map((issue) => issue.path)).toEqual(['vendor_remote_id']);
    expect(validatePurchaseOrder({ lines: [{ quantity: '1' }] }, 'update').map((issue) => issue.path)).toEqual(['lines[0].item_remote_id']);
  });

  it('turns any Idempotency-Key into the UUID NetSuite requires, deterministically', () => {
    expect(netsuiteIdempotencyKey('1f0c6a52-8e7d-4b2a-9a55-0c1b5e3d2f10')).toBe('1f0c6a52-8e7d-4b2a-9a55-0c1b5e3d2f10');
    expect(netsuiteIdempotencyKey('order-form-42')).toBe(netsuiteIdempotencyKey('order-form-42'));
    expect(netsuiteIdempotencyKey('order-form-42')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
