import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mappedRecordSchema, recordId } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import type { BcClosedPurchaseOrder, BcItem, BcPurchaseOrder, BcVendor } from '../raw-types.js';
import { mapItem } from './item.js';
import { mapPurchaseOrder } from './purchase-order.js';
import { mapVendor } from './vendor.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
const ctx: MapContext = {
  connectionId: 'conn-bc',
  sourceSystem: 'dynamics365_business_central',
  idFor: (entity, remoteId) => recordId('conn-bc', entity, remoteId),
};
const COMPANY = '70c0c603-f4f9-ef11-9344-6045bdc8c234';

describe('purchase order mapper', () => {
  const raw = fixture<BcPurchaseOrder>('purchase-order');

  it('maps the documented purchase order shape with its lines', () => {
    const mapped = mapPurchaseOrder(raw, ctx);
    expect(mappedRecordSchema('purchase_order').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      remote_id: `${COMPANY}/5d115c9c-44e3-ea11-bb43-000d3a2feca1`,
      display_value: 'PO 108001',
      number: '108001',
      status: 'partially_received',
      remote_status: 'Open',
      vendor_remote_id: `${COMPANY}/2fa57a50-44e3-ea11-bb43-000d3a2feca1`,
      vendor_id: recordId('conn-bc', 'vendor', `${COMPANY}/2fa57a50-44e3-ea11-bb43-000d3a2feca1`),
      company_id: COMPANY,
      buyer: 'AH',
      department: 'PROD',
      issue_date: '2021-01-01',
      required_date: '2021-01-15',
      delivery_date: '2021-01-15',
      currency: 'USD',
      subtotal: '16767.6',
      tax_total: '0',
      total: '16767.6',
      remote_updated_at: '2021-01-05T11:02:41.487Z',
      ship_to_address: { type: 'shipping', name: 'CRONUS USA, Inc.', line1: '7122 South Ashford Street', city: 'Atlanta', country: 'US' },
      bill_to_address: { type: 'billing', name: 'First Up Consultants', line1: '100 Day Drive', postal_code: '61236' },
    });
    expect(mapped.lines).toHaveLength(2);
    expect(mapped.lines![0]).toMatchObject({
      remote_id: `${COMPANY}/1e8cb9c0-44e3-ea11-bb43-000d3a2feca1`,
      line_number: 10000,
      item_code: '1996-S',
      item_id: recordId('conn-bc', 'inventory_item', `${COMPANY}/0ea6738a-44e3-ea11-bb43-000d3a2feca1`),
      quantity: '12',
      unit_price: '1397.3',
      line_total: '16767.6',
      received_quantity: '5',
      billed_quantity: '0',
      open_quantity: '7',
      uom: 'PCS',
      location_remote_id: `${COMPANY}/8a2f6b1c-44e3-ea11-bb43-000d3a2feca1`,
      is_closed: false,
    });
    expect(mapped.lines![1]).toMatchObject({ description: 'Deliver to receiving dock 3', quantity: null, expected_delivery_date: null, item_id: null });
  });

  it.each([
    ['Draft', {}, 'draft'],
    ['In Review', {}, 'pending_approval'],
    ['Open', { receivedQuantity: 0 }, 'approved'],
    ['Open', { receivedQuantity: 12 }, 'received'],
    ['Open', { receivedQuantity: 12, invoicedQuantity: 12 }, 'billed'],
    ['Pending Prepayment', {}, null],
  ])('status %s with %o → %s', (status, line, expected) => {
    const lines = [{ ...raw.purchaseOrderLines![0]!, ...line }];
    const mapped = mapPurchaseOrder({ ...raw, status, purchaseOrderLines: lines }, ctx);
    expect(mapped.status).toBe(expected);
    expect(mapped.remote_status).toBe(status);
  });

  it('names the raw field of a malformed value', () => {
    const bad = (patch: object, path: string) => {
      const call = () => mapPurchaseOrder({ ...raw, ...patch } as BcPurchaseOrder, ctx);
      expect(call).toThrow(MappingError);
      try { call(); } catch (error) { expect((error as MappingError).path).toBe(path); }
    };
    bad({ lastModifiedDateTime: '/Date(garbage)/' }, 'lastModifiedDateTime');
    bad({ totalAmountIncludingTax: '16767.60' }, 'totalAmountIncludingTax');
    bad({ orderDate: '2021-13-45' }, 'orderDate');
    bad({ vendorId: 'not-a-guid' }, 'vendorId');
    bad({ purchaseOrderLines: undefined }, 'purchaseOrderLines');
    bad({ '@odata.context': 'https://example.com/$metadata#purchaseOrders' }, '@odata.context');
    bad({ purchaseOrderLines: [{ ...raw.purchaseOrderLines![0]!, quantity: 'twelve' }] }, 'purchaseOrderLines[0].quantity');
  });

  it('maps an order rebuilt from its posted invoices as closed, summing partial invoices', () => {
    const closed = fixture<BcClosedPurchaseOrder>('closed-purchase-order');
    const mapped = mapPurchaseOrder(closed, ctx);
    expect(mappedRecordSchema('purchase_order').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      remote_id: `${COMPANY}/5d115c9c-44e3-ea11-bb43-000d3a2feca1`,
      number: '108001',
      status: 'closed',
      remote_status: null,
      is_deleted: false,
      total: '16767.6',
      remote_updated_at: '2021-02-10T09:12:00.010Z',
    });
    expect(mapped.lines).toEqual([expect.objectContaining({ item_code: '1996-S', quantity: '12', billed_quantity: '12', open_quantity: '0', line_total: '16767.6', is_closed: true })]);
  });
});

describe('vendor mapper', () => {
  it('maps the documented vendor shape; blocked "Payment" is blocked', () => {
    const mapped = mapVendor(fixture<BcVendor>('vendor'), ctx);
    expect(mappedRecordSchema('vendor').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      remote_id: `${COMPANY}/2fa57a50-44e3-ea11-bb43-000d3a2feca1`,
      code: '20000',
      name: 'First Up Consultants',
      status: 'blocked',
      remote_status: 'Payment',
      tax_id: '28-0012345',
      currency: 'USD',
      emails: [{ type: 'work', address: 'evan.mcintosh@contoso.com', is_primary: true }],
      phones: [],
      addresses: [expect.objectContaining({ line1: '100 Day Drive', city: 'Chicago', state: 'IL', postal_code: '61236', country: 'US' })],
    });
  });

  it.each([[' ', 'active'], ['All', 'blocked'], ['Someday', null]])('blocked %j → %s', (blocked, status) => {
    expect(mapVendor({ ...fixture<BcVendor>('vendor'), blocked }, ctx).status).toBe(status);
  });
});

describe('item mapper', () => {
  it('maps the documented item shape with one stock level without location', () => {
    const mapped = mapItem(fixture<BcItem>('item'), ctx);
    expect(mappedRecordSchema('inventory_item').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      code: '1996-S',
      name: 'ATLANTA Whiteboard, base',
      type: 'inventory',
      remote_type: 'Inventory',
      status: 'active',
      uom: 'PCS',
      unit_cost: '1192.1',
      barcode: null,
      category: 'MISC',
      stock_levels: [expect.objectContaining({ location_id: null, on_hand: '34.5', uom: 'PCS' })],
    });
  });

  it('gives service items no stock level and blocked items the inactive status', () => {
    const mapped = mapItem({ ...fixture<BcItem>('item'), type: 'Service', blocked: true, inventory: 0 }, ctx);
    expect(mapped).toMatchObject({ type: 'service', status: 'inactive', remote_status: 'blocked', stock_levels: [] });
  });

  it('refuses a non-numeric inventory naming the field', () => {
    expect(() => mapItem({ ...fixture<BcItem>('item'), inventory: '34.5' as unknown as number }, ctx)).toThrow(/^inventory: /);
  });
});
