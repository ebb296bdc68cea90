import { describe, expect, it } from 'vitest';
import { decimalNumber, headerBody, lineBody, validatePurchaseOrder } from './purchase-order-payload.js';

const C = '70c0c603-f4f9-ef11-9344-6045bdc8c234';
const V = `${C}/2fa57a50-44e3-ea11-bb43-000d3a2feca1`;
const I = `${C}/0ea6738a-44e3-ea11-bb43-000d3a2feca1`;

describe('purchase order payload', () => {
  it('builds the deep-insert body in Business Central field names', () => {
    const input = {
      vendor_remote_id: V, number: 'PO-77', issue_date: '2026-01-05', required_date: null, currency: 'EUR', buyer: 'AH', department: 'PROD',
      ship_to_address: { name: 'Plant 2', line1: '1 Mill Lane', line2: null, city: 'Atlanta', state: 'GA', postal_code: '31772', country: 'US' },
    };
    expect(headerBody(input)).toEqual({
      vendorId: '2fa57a50-44e3-ea11-bb43-000d3a2feca1', number: 'PO-77', orderDate: '2026-01-05', requestedReceiptDate: '0001-01-01', currencyCode: 'EUR',
      purchaser: 'AH', shortcutDimension1Code: 'PROD', shipToName: 'Plant 2', shipToAddressLine1: '1 Mill Lane', shipToCity: 'Atlanta', shipToState: 'GA',
      shipToPostCode: '31772', shipToCountry: 'US',
    });
    expect(lineBody({ line_number: 10000, item_remote_id: I, quantity: '12.5', unit_price: '1397.30', uom: 'PCS', expected_delivery_date: '2026-02-01' })).toEqual({
      sequence: 10000, lineType: 'Item', itemId: '0ea6738a-44e3-ea11-bb43-000d3a2feca1', quantity: 12.5, directUnitCost: 1397.3, unitOfMeasureCode: 'PCS', expectedReceiptDate: '2026-02-01',
    });
    expect(lineBody({ account: '60100', quantity: '1', unit_price: '99' })).toMatchObject({ lineType: 'Account', lineObjectNumber: '60100' });
    expect(lineBody({ description: 'Call before delivery' })).toEqual({ lineType: 'Comment', description: 'Call before delivery' });
  });

  it('sends decimals as JSON numbers only when a double carries them exactly', () => {
    expect(decimalNumber('0.1')).toBe(0.1);
    expect(decimalNumber('123456789012345')).toBe(123456789012345);
    expect(decimalNumber('1234567890123456')).toBeNull();
    expect(decimalNumber('1e3')).toBeNull();
  });

  it('accepts a complete create and names every problem of a bad one', () => {
    expect(validatePurchaseOrder({ vendor_remote_id: V, lines: [{ item_remote_id: I, quantity: '2' }] }, 'create')).toEqual([]);
    const issues = validatePurchaseOrder({
      vendor_remote_id: 'V0001', payment_terms: '30 DAYS', number: 'X'.repeat(21),
      ship_to_address: { line1: 'x'.repeat(101), line3: 'Building 4' },
      lines: [{ item_code: 'A', account: '60100', quantity: '1' }, { item_code: 'B' }, {}],
    }, 'create');
    expect(issues.map((issue) => issue.path)).toEqual([
      'payment_terms', 'number', 'ship_to_address.line1', 'ship_to_address.line3', 'vendor_remote_id', 'lines[0]', 'lines[1].quantity', 'lines[2]',
    ]);
  });

  it('on update, matches lines by number and refuses a vendor change', () => {
    const issues = validatePurchaseOrder({ vendor_remote_id: V, lines: [{ quantity: '3' }] }, 'update');
    expect(issues.map((issue) => issue.path)).toEqual(['vendor_remote_id', 'lines[0].line_number']);
    expect(validatePurchaseOrder({ buyer: 'JR', lines: [{ line_number: 10000, quantity: '3' }] }, 'update')).toEqual([]);
  });
});
