import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mappedRecordSchema, recordId } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import type { MapContext } from '../../sdk/types.js';
import { mapInventoryItem } from './inventory-item.js';
import { mapPurchaseOrder, purchaseOrderStatus } from './purchase-order.js';
import { mapVendor } from './vendor.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'));
const ctx: MapContext = { connectionId: 'conn-ns', sourceSystem: 'netsuite', idFor: (entity, remoteId) => recordId('conn-ns', entity, remoteId) };

function expectValid(entity: 'purchase_order' | 'vendor' | 'inventory_item', record: unknown): void {
  const result = mappedRecordSchema(entity).safeParse(record);
  expect(result.success ? [] : result.error.issues).toEqual([]);
}

describe('purchase order mapper', () => {
  it('maps the documented body: references, sublist lines, numbers as decimals, custom fields', () => {
    const mapped = mapPurchaseOrder(fixture('purchase-order'), ctx);
    expectValid('purchase_order', mapped);
    expect(mapped).toMatchObject({
      remote_id: '107',
      display_value: 'PO45723',
      number: 'PO45723',
      external_reference: 'REQ-2231',
      status: 'partially_received',
      remote_status: 'Partially Received',
      vendor_id: recordId('conn-ns', 'vendor', '1335'),
      vendor_remote_id: '1335',
      buyer: 'Dana Whitfield',
      company_id: '1',
      subsidiary: 'Honeycomb Mfg.',
      department: 'Maintenance',
      ship_to_location_remote_id: '1',
      issue_date: '2025-12-19',
      required_date: '2026-01-18',
      delivery_date: '2026-01-10',
      currency: 'USD',
      exchange_rate: '1',
      subtotal: '38125.5',
      tax_total: '0',
      total: '38125.5',
      payment_terms: 'Net 30',
      incoterms: 'FOB',
      remote_created_at: '2025-12-19T15:20:00.000Z',
      remote_updated_at: '2025-12-19T15:23:00.000Z',
      memo: 'Deliver to dock 3, 7am-3pm.',
      ship_to_address: { type: 'shipping', name: 'Main Warehouse', line1: '4410 Industrial Pkwy', city: 'Cleveland', state: 'OH', postal_code: '44114', country: 'US' },
      bill_to_address: { type: 'billing', line1: '100 Foundry Way' },
      custom_fields: {
        custbody_mr_project_code: 'PRJ-311',
        custbody_mr_rush_order: 'true',
        custbody_mr_approver: '{"id":"7","refName":"Dana Whitfield"}',
      },
    });
    expect(mapped.lines).toHaveLength(2);
    expect(mapped.lines![0]).toMatchObject({
      line_number: 1,
      item_id: recordId('conn-ns', 'inventory_item', '13861'),
      item_remote_id: '13861',
      item_code: 'ITM-000042',
      quantity: '10',
      uom: 'Each',
      unit_price: '3800',
      line_total: '38000',
      received_quantity: '4',
      billed_quantity: '0',
      open_quantity: '6',
      expected_delivery_date: '2026-01-10',
      location_remote_id: '1',
      is_closed: false,
      custom_fields: { custcol_mr_cost_center: 'CC-118' },
    });
    expect(mapped.lines![1]).toMatchObject({ unit_price: '2.51', line_total: '125.5', is_closed: true, open_quantity: '0' });
  });

  it.each([
    ['A', 'pending_approval'], ['B', 'approved'], ['C', 'cancelled'], ['D', 'partially_received'],
    ['E', 'partially_received'], ['F', 'received'], ['G', 'billed'], ['H', 'closed'],
  ])('maps order status %s to %s', (letter, status) => {
    expect(purchaseOrderStatus(letter)).toBe(status);
  });

  it('keeps an unknown status letter as remote_status with a null canonical status', () => {
    const raw = { ...fixture('purchase-order'), orderStatus: { id: 'P', refName: 'P' }, status: { id: 'Planned', refName: 'Planned' } };
    const mapped = mapPurchaseOrder(raw, ctx);
    expect(mapped.status).toBeNull();
    expect(mapped.remote_status).toBe('Planned');
    expectValid('purchase_order', mapped);
  });

  it('names the raw field path of malformed input', () => {
    const raw = fixture('purchase-order');
    const lines = (raw.item as { items: Record<string, unknown>[] }).items;
    lines[1]!.quantity = '50 pcs';
    expect(() => mapPurchaseOrder(raw, ctx)).toThrow(MappingError);
    expect(() => mapPurchaseOrder(raw, ctx)).toThrow('item.items[1].quantity');
    expect(() => mapPurchaseOrder({ ...fixture('purchase-order'), tranDate: '12/19/2025' }, ctx)).toThrow(/^tranDate: expected a date/);
    expect(() => mapPurchaseOrder({ ...fixture('purchase-order'), lastModifiedDate: 'yesterday' }, ctx)).toThrow(/^lastModifiedDate:/);
    expect(() => mapPurchaseOrder({ ...fixture('purchase-order'), entity: '1335' }, ctx)).toThrow(/^entity: expected a reference/);
  });

  it('refuses a body read without expandSubResources instead of dropping its lines', () => {
    const raw = { ...fixture('purchase-order'), item: { links: [{ rel: 'self', href: 'https://x/purchaseorder/107/item' }] } };
    expect(() => mapPurchaseOrder(raw, ctx)).toThrow(/item\.items: the sublist was not expanded/);
  });
});

describe('vendor mapper', () => {
  it('maps the documented body: address book, contact points, inactive flag, custom fields', () => {
    const mapped = mapVendor(fixture('vendor'), ctx);
    expectValid('vendor', mapped);
    expect(mapped).toMatchObject({
      remote_id: '1335',
      display_value: 'Acme Bearings 4',
      code: 'V00004',
      name: 'Acme Bearings 4',
      legal_name: 'Acme Bearings 4 LLC',
      status: 'active',
      category: 'Spare Parts',
      tax_id: '39-1234567',
      currency: 'GBP',
      payment_terms: 'Net 30',
      website: 'https://acme-bearings.example.com',
      subsidiary: 'Honeycomb Mfg.',
      notes: 'Preferred supplier for spare parts.',
      remote_created_at: '2023-04-02T09:12:00.000Z',
      emails: [{ type: 'work', address: 'ap@acme-bearings.example.com', is_primary: true }],
      phones: [{ type: 'work', number: '+1 414 555 0100', is_primary: true }, { type: 'fax', number: '+1 414 555 0199', is_primary: false }],
      custom_fields: { custentity_mr_supplier_tier: 'Gold', custentity_mr_1099_eligible: 'false' },
    });
    expect(mapped.addresses).toEqual([
      expect.objectContaining({ type: 'billing', line1: '77 Harbor Rd', city: 'Milwaukee', country: 'US', is_primary: true }),
      expect.objectContaining({ type: null, line1: '12 Mill Ln', country: 'CA', is_primary: false }),
    ]);
  });

  it('maps isInactive to the inactive status', () => {
    const mapped = mapVendor({ ...fixture('vendor'), isInactive: true }, ctx);
    expect(mapped).toMatchObject({ status: 'inactive', remote_status: 'isInactive=true' });
  });

  it('names the field of a non-boolean flag', () => {
    expect(() => mapVendor({ ...fixture('vendor'), isInactive: 'F' }, ctx)).toThrow(/^isInactive: expected true or false/);
  });
});

describe('inventory item mapper', () => {
  it('maps the documented body with one stock level per locations row and the preferred vendor', () => {
    const mapped = mapInventoryItem(fixture('inventory-item'), ctx);
    expectValid('inventory_item', mapped);
    expect(mapped).toMatchObject({
      remote_id: '13861',
      code: 'ITM-000042',
      name: 'Ball Bearing 6204-2RS',
      description: 'Ball Bearing 6204-2RS, purchase spec rev 3',
      type: 'inventory',
      remote_type: 'InvtPart',
      status: 'active',
      uom: 'Each',
      unit_cost: '38',
      average_cost: '37.12',
      last_purchase_price: '38',
      currency: 'USD',
      preferred_vendor_id: recordId('conn-ns', 'vendor', '1335'),
      preferred_vendor_remote_id: '1335',
      vendor_part_number: 'AB-6204-2RS',
      manufacturer: 'SKF',
      manufacturer_part_number: '6204-2RSH',
      barcode: '012345678905',
      custom_fields: { custitem_mr_criticality: 'A' },
    });
    expect(mapped.stock_levels).toEqual([
      { location_id: recordId('conn-ns', 'location', '1'), location_remote_id: '1', location_name: 'Main Warehouse', bin: null, on_hand: '90', available: '84', committed: '6', on_order: '10', uom: 'Each', lot: null, updated_at: null },
      { location_id: recordId('conn-ns', 'location', '3'), location_remote_id: '3', location_name: 'Plant 7 Stores', bin: null, on_hand: '0', available: '0', committed: '0', on_order: '0', uom: 'Each', lot: null, updated_at: null },
    ]);
  });

  it('names the locations row whose quantity is not a number', () => {
    const raw = fixture('inventory-item');
    (raw.locations as { items: Record<string, unknown>[] }).items[0]!.quantityOnHand = 'ninety';
    expect(() => mapInventoryItem(raw, ctx)).toThrow(/^locations\.items\[0\]\.quantityOnHand:/);
  });
});
