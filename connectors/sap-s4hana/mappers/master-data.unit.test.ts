import { describe, expect, it } from 'vitest';
import { mappedRecordSchema, recordId } from '../../../schemas/index.js';
import { mapAsset, SUPERIOR_PATH_KEY } from './asset.js';
import { inventoryItemType, mapInventoryItem } from './inventory-item.js';
import { fixture, TEST_CONNECTION, testMapContext } from './test-context.js';
import { mapVendor } from './vendor.js';

const id = (entity: Parameters<typeof recordId>[1], remoteId: string) => recordId(TEST_CONNECTION, entity, remoteId);

describe('asset mapper', () => {
  it('maps Equipment with the superior chain into parent, root and path', () => {
    const raw = { ...fixture('equipment'), [SUPERIOR_PATH_KEY]: ['10000035', '10000040'] };
    const mapped = mapAsset(raw, testMapContext);
    expect(mappedRecordSchema('asset').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      remote_id: '10000045',
      code: '10000045',
      name: 'Feed pump P-101',
      display_value: 'Feed pump P-101 (10000045)',
      status: 'operational',
      remote_status: 'INST',
      category: 'PUMP',
      criticality: 'A',
      serial_number: '9284-119001',
      model: 'CR 64-2',
      manufacturer: 'Grundfos',
      functional_location: '1710-SPA-SAC-PLAR1',
      location_id: id('location', '1710-SPA-SAC-PLAR1'),
      parent_asset_remote_id: '10000040',
      parent_asset_id: id('asset', '10000040'),
      root_asset_remote_id: '10000035',
      root_asset_id: id('asset', '10000035'),
      path: [id('asset', '10000035'), id('asset', '10000040')],
      path_remote_ids: ['10000035', '10000040'],
      purchase_date: '2021-11-17',
      purchase_cost: '48500',
      currency: 'USD',
      in_service_date: '2021-12-01',
      remote_updated_at: '2021-11-10T10:47:56.000Z',
      custom_fields: { YY1_CriticalityScore_EQU: '8' },
    });
  });

  it('maps the deletion flag to decommissioned and is_deleted; refuses a path that contradicts the superior', () => {
    const deleted = mapAsset({ ...fixture('equipment'), EquipmentIsMarkedForDeletion: true }, testMapContext);
    expect(deleted).toMatchObject({ status: 'decommissioned', remote_status: 'INST DLFL', is_deleted: true });
    expect(() => mapAsset({ ...fixture('equipment'), [SUPERIOR_PATH_KEY]: ['10000035'] }, testMapContext)).toThrow(expect.objectContaining({ path: SUPERIOR_PATH_KEY }));
    const top = mapAsset({ ...fixture('equipment'), SuperordinateEquipment: '', [SUPERIOR_PATH_KEY]: [] }, testMapContext);
    expect(top).toMatchObject({ parent_asset_id: null, root_asset_id: null, path: [] });
  });
});

describe('vendor mapper', () => {
  it('maps A_Supplier with its business partner: addresses, contacts, tax, blocks', () => {
    const mapped = mapVendor(fixture('supplier'), testMapContext);
    expect(mappedRecordSchema('vendor').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      remote_id: '17300001',
      code: '17300001',
      name: 'Domestic US Supplier 1',
      legal_name: 'Domestic US Supplier 1 Incorporated',
      status: 'blocked',
      remote_status: 'PurchasingIsBlocked',
      category: 'SUPL',
      tax_id: '94-1234567',
      currency: 'USD',
      payment_terms: '0001',
      remote_created_at: '2016-09-13T14:22:10.000Z',
      remote_updated_at: '2024-05-06T09:30:15.000Z',
      is_deleted: false,
      addresses: [expect.objectContaining({ line1: '3410 Hillview Avenue', city: 'Palo Alto', state: 'CA', postal_code: '94304', country: 'US', is_primary: true })],
      emails: [{ type: null, address: 'orders@domesticsupplier.example', is_primary: true }],
      phones: [{ type: 'work', number: '+16505550134', is_primary: true }],
      custom_fields: { YY1_SupplierRating_PDH: 'A' },
    });
  });

  it('flags a supplier with the deletion indicator as deleted and inactive; a never-changed partner uses its creation time', () => {
    const raw = fixture('supplier');
    raw.DeletionIndicator = true;
    raw.PurchasingIsBlocked = false;
    raw.millrace_business_partner.LastChangeDate = null;
    raw.millrace_business_partner.LastChangeTime = 'PT00H00M00S';
    const mapped = mapVendor(raw, testMapContext);
    expect(mapped).toMatchObject({ status: 'inactive', is_deleted: true, remote_status: 'DeletionIndicator', remote_updated_at: '2016-09-13T14:22:10.000Z' });
  });

  it('names the path inside the business partner for a malformed date', () => {
    const raw = fixture('supplier');
    raw.millrace_business_partner.CreationDate = '/Date(x)/';
    expect(() => mapVendor(raw, testMapContext)).toThrow(expect.objectContaining({ path: 'millrace_business_partner.CreationDate' }));
  });
});

describe('inventory item mapper', () => {
  it('maps A_Product with valuation per price unit and stock per storage location', () => {
    const mapped = mapInventoryItem(fixture('product'), testMapContext);
    expect(mappedRecordSchema('inventory_item').parse(mapped)).toBeTruthy();
    expect(mapped).toMatchObject({
      remote_id: 'SG23',
      code: 'SG23',
      name: 'Mechanical seal 45 mm',
      type: 'spare_part',
      remote_type: 'ERSA',
      status: 'active',
      remote_status: null,
      uom: 'PC',
      unit_cost: '48.2',
      average_cost: '47.965',
      currency: 'USD',
      manufacturer_part_number: 'MS-45-EN12756',
      barcode: '4006381333931',
      category: 'L004',
      remote_updated_at: '2024-05-06T09:30:15.000Z',
      custom_fields: { YY1_StorageBin_PRD: 'BIN-A12' },
    });
    expect(mapped.stock_levels).toEqual([
      expect.objectContaining({ location_remote_id: '1710/171A', location_id: id('location', '1710/171A'), on_hand: '55', available: '42', uom: 'PC', lot: null }),
      expect.objectContaining({ location_remote_id: '1710/171B', on_hand: '7.5', available: '7.5' }),
    ]);
  });

  it('maps deletion and cross-plant blocks to inactive; types by product type', () => {
    const raw = fixture('product');
    raw.IsMarkedForDeletion = true;
    raw.CrossPlantStatus = '01';
    expect(mapInventoryItem(raw, testMapContext)).toMatchObject({ status: 'inactive', remote_status: '01 DLFL', is_deleted: true });
    expect(['ERSA', 'DIEN', 'NLAG', 'ROH', 'ZCUS'].map(inventoryItemType)).toEqual(['spare_part', 'service', 'non_inventory', 'inventory', 'inventory']);
  });

  it('names the stock row field when a quantity is malformed', () => {
    const raw = fixture('product');
    raw.millrace_stock_rows[1].MatlWrhsStkQtyInMatlBaseUnit = 'n/a';
    expect(() => mapInventoryItem(raw, testMapContext)).toThrow(expect.objectContaining({ path: 'millrace_stock_rows[1].MatlWrhsStkQtyInMatlBaseUnit' }));
  });
});
