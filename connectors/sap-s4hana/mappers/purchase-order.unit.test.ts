import { describe, expect, it } from 'vitest';
import { mappedRecordSchema, recordId } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import { mapPurchaseOrder } from './purchase-order.js';
import { purchaseOrderStatus } from './purchase-order-status.js';
import { fixture, TEST_CONNECTION, testMapContext } from './test-context.js';

describe('purchase order mapper', () => {
  it('maps the documented A_PurchaseOrder payload, computing line and order totals exactly', () => {
    const mapped = mapPurchaseOrder(fixture('purchase-order'), testMapContext);
    expect(mappedRecordSchema('purchase_order').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      remote_id: '4500000197',
      display_value: 'PO 4500000197',
      number: '4500000197',
      remote_created_at: '2024-03-04T00:00:00.000Z',
      remote_updated_at: '2024-03-19T10:23:01.343Z',
      is_deleted: false,
      remote_deleted_at: null,
      external_reference: 'REQ-2024-118',
      status: 'partially_received',
      remote_status: '05',
      vendor_remote_id: '17300001',
      vendor_id: recordId(TEST_CONNECTION, 'vendor', '17300001'),
      company_id: '1710',
      buyer: 'Purchasing group 001',
      issue_date: '2024-03-04',
      required_date: '2024-03-22',
      delivery_date: '2024-03-25',
      currency: 'EUR',
      exchange_rate: '1.0825',
      subtotal: '473.47',
      total: '473.47',
      tax_total: null,
      payment_terms: '0001',
      incoterms: 'DAP',
      incoterms_location: 'Walldorf',
      ship_to_location_remote_id: '1710',
      created_by: 'CB9980000010',
      custom_fields: { YY1_ProjectCode_PDH: 'P-7' },
    });
    expect(mapped.lines).toHaveLength(3);
    expect(mapped.lines![0]).toMatchObject({
      line_number: 10,
      item_remote_id: 'TG11',
      item_id: recordId(TEST_CONNECTION, 'inventory_item', 'TG11'),
      supplier_item_code: 'BRG-6205-2RS',
      quantity: '25',
      uom: 'EA',
      unit_price: '12.5',
      line_total: '312.5',
      expected_delivery_date: '2024-03-22',
      location_remote_id: '1710/171A',
      is_closed: true,
      is_deleted: false,
      custom_fields: { YY1_CostObject_PDI: 'high' },
    });
    // 350 PC at 45.99 EUR per 100 PC: 160.965 → 160.97 (SAP rounds half away from zero).
    expect(mapped.lines![1]).toMatchObject({ line_number: 20, item_remote_id: null, unit_price: '0.4599', line_total: '160.97', is_closed: false });
    // The deleted item keeps its own value but is left out of the totals.
    expect(mapped.lines![2]).toMatchObject({ line_number: 30, is_deleted: true, line_total: '35', expected_delivery_date: null });
  });

  it('flags an order with deletion code L as deleted and cancelled', () => {
    const raw = fixture('purchase-order');
    raw.PurchasingDocumentDeletionCode = 'L';
    const mapped = mapPurchaseOrder(raw, testMapContext);
    expect(mapped).toMatchObject({ is_deleted: true, status: 'cancelled', remote_status: '05/L', remote_deleted_at: '2024-03-19T10:23:01.343Z' });
  });

  it('applies the order unit conversion and reads /Date(ms)/ as well as /Date(ms+0000)/', () => {
    const raw = fixture('purchase-order');
    raw.LastChangeDateTime = '/Date(1710843781343)/';
    const item = raw.to_PurchaseOrderItem.results[0];
    // 25 boxes, priced per piece at 12.50 per 10 pieces, 12 pieces per box: 25 × 12 × 12.50 / 10 = 375.
    Object.assign(item, { OrderPriceUnitToOrderUnitNmrtr: '12', OrdPriceUnitToOrderUnitDnmntr: '1', NetPriceQuantity: '10' });
    const mapped = mapPurchaseOrder(raw, testMapContext);
    expect(mapped.remote_updated_at).toBe('2024-03-19T10:23:01.343Z');
    expect(mapped.lines![0]).toMatchObject({ line_total: '375', unit_price: '15' });
  });

  it('rounds to the currency: no decimals for JPY', () => {
    const raw = fixture('purchase-order');
    raw.DocumentCurrency = 'JPY';
    raw.to_PurchaseOrderItem.results[1].NetPriceAmount = '4599';
    const mapped = mapPurchaseOrder(raw, testMapContext);
    // 350 × 4599 / 100 = 16096.5 → 16097
    expect(mapped.lines![1]!.line_total).toBe('16097');
  });

  it('turns an indirect (negative) exchange rate into a direct one', () => {
    const raw = fixture('purchase-order');
    raw.ExchangeRate = '-1.25000';
    expect(mapPurchaseOrder(raw, testMapContext).exchange_rate).toBe('0.8');
  });

  it.each([
    ['LastChangeDateTime', '/Date(garbage)/', 'LastChangeDateTime'],
    ['PurchaseOrderDate', '2024-03-04', 'PurchaseOrderDate'],
    ['ExchangeRate', 'one', 'ExchangeRate'],
  ])('names the raw field when %s is malformed', (field, value, path) => {
    const raw = fixture('purchase-order');
    raw[field] = value;
    expect(() => mapPurchaseOrder(raw, testMapContext)).toThrow(MappingError);
    try {
      mapPurchaseOrder(raw, testMapContext);
    } catch (error) {
      expect((error as MappingError).path).toBe(path);
    }
  });

  it('names the item path for a malformed item quantity and a zero price unit', () => {
    const raw = fixture('purchase-order');
    raw.to_PurchaseOrderItem.results[2].OrderQuantity = '12,5';
    expect(() => mapPurchaseOrder(raw, testMapContext)).toThrow(expect.objectContaining({ path: 'to_PurchaseOrderItem.results[2].OrderQuantity' }));
    const zero = fixture('purchase-order');
    zero.to_PurchaseOrderItem.results[0].NetPriceQuantity = '0';
    expect(() => mapPurchaseOrder(zero, testMapContext)).toThrow(expect.objectContaining({ path: 'to_PurchaseOrderItem.results[0].NetPriceQuantity' }));
  });

  it('fails on a missing PurchaseOrder key instead of inventing one', () => {
    const raw = fixture('purchase-order');
    raw.PurchaseOrder = '';
    expect(() => mapPurchaseOrder(raw, testMapContext)).toThrow(expect.objectContaining({ path: 'PurchaseOrder' }));
  });
});

describe('purchase order status table', () => {
  const item = (delivered: boolean, finallyInvoiced = false, deleted = false) => ({ delivered, finallyInvoiced, deleted });

  it.each([
    ['01', '', [item(false)], 'draft'],
    ['03', '', [item(false)], 'pending_approval'],
    ['04', '', [item(false)], 'pending_approval'],
    ['08', '', [item(false)], 'cancelled'],
    ['02', '', [item(false), item(false)], 'approved'],
    ['05', '', [item(true), item(false)], 'partially_received'],
    ['02', '', [item(true), item(true)], 'received'],
    ['02', '', [item(true, true), item(true, true)], 'closed'],
    ['02', '', [item(true, true), item(false, false, true)], 'closed'],
    ['02', '', [], 'approved'],
    ['02', 'L', [item(false)], 'cancelled'],
    ['02', 'S', [item(false)], 'approved'],
    ['99', '', [item(false)], null],
  ] as const)('processing status %s, deletion code "%s" → %s', (status, deletion, items, expected) => {
    expect(purchaseOrderStatus(status, deletion || null, items)).toBe(expected);
  });
});
