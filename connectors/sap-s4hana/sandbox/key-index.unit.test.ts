import { describe, expect, it } from 'vitest';
import {
  businessPartnerNumber, equipmentNumber, maintenanceOrderNumber, partnerIndexOfSupplier, productNumber, purchaseOrderNumber, supplierCount, supplierIndexOf,
} from './data/catalog.js';
import { stockKey, stockRowIndexOf, stockRowKeyAt } from './data/products.js';
import type { SandboxRecord } from './model.js';
import type { OrderedCollection } from './ordered-collection.js';
import { SapTenant } from './tenant.js';

const SIZE = 1_000_000;

function tenant(): SapTenant {
  return new SapTenant({ seed: 1, baseMs: Date.UTC(2024, 0, 1), sizes: { purchaseOrders: SIZE, maintenanceOrders: SIZE, equipment: SIZE, businessPartners: SIZE, products: SIZE }, itemsPerOrder: 2 });
}

interface EntitySet {
  collection: OrderedCollection;
  count: number;
  keyAt(index: number): string;
  keyOf(record: SandboxRecord): string;
}

function entitySets(sap: SapTenant): Record<string, EntitySet> {
  return {
    purchaseOrders: { collection: sap.purchaseOrders, count: SIZE, keyAt: purchaseOrderNumber, keyOf: (record) => String(record.PurchaseOrder) },
    maintenanceOrders: { collection: sap.maintenanceOrders, count: SIZE, keyAt: maintenanceOrderNumber, keyOf: (record) => String(record.MaintenanceOrder) },
    equipment: { collection: sap.equipment, count: SIZE, keyAt: equipmentNumber, keyOf: (record) => String(record.Equipment) },
    businessPartners: { collection: sap.businessPartners, count: SIZE, keyAt: businessPartnerNumber, keyOf: (record) => String(record.BusinessPartner) },
    suppliers: { collection: sap.suppliers, count: supplierCount(SIZE), keyAt: (s) => businessPartnerNumber(partnerIndexOfSupplier(s)), keyOf: (record) => String(record.Supplier) },
    products: { collection: sap.products, count: SIZE, keyAt: productNumber, keyOf: (record) => String(record.Product) },
    stock: { collection: sap.stock, count: SIZE * 3, keyAt: stockRowKeyAt, keyOf: stockKey },
  };
}

describe('SAP sandbox lookups by key', () => {
  it('find generated records anywhere in a 1,000,000-record tenant at once, without a key → index map', () => {
    const sap = tenant();
    const started = performance.now();
    for (const [name, set] of Object.entries(entitySets(sap))) {
      for (const index of [0, 1, 2, 3, 4, 7, Math.floor(set.count / 2), set.count - 1]) {
        const key = set.keyAt(index);
        const record = set.collection.get(key);
        expect(record, `${name} ${key}`).toBeDefined();
        expect(set.keyOf(record!), name).toBe(key);
      }
    }
    // A key → index map of one 1,000,000-record set alone takes seconds to build.
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('find nothing for keys no generated record has, and still find created and changed records', () => {
    const sap = tenant();
    for (const key of ['', '4499999999', '04500000001', '4500000001.0', '4501000000', 'abc', '-1']) expect(sap.purchaseOrders.get(key), key).toBeUndefined();
    // Every fourth business partner is a customer only: its number is no supplier's.
    expect(supplierIndexOf(businessPartnerNumber(3))).toBeUndefined();
    expect(sap.suppliers.get(businessPartnerNumber(3))).toBeUndefined();
    expect(sap.businessPartners.get(businessPartnerNumber(3))).toBeDefined();
    expect(stockRowIndexOf(`${productNumber(5)}|9999|171A|||01`)).toBe(15);
    expect(sap.stock.get(`${productNumber(5)}|9999|171A|||01`)).toBeUndefined(); // wrong plant: checked against keyAt
    const created = { ...sap.purchaseOrders.get(purchaseOrderNumber(0))!, PurchaseOrder: purchaseOrderNumber(SIZE) };
    sap.purchaseOrders.put(created);
    expect(sap.purchaseOrders.get(purchaseOrderNumber(SIZE))).toEqual(created);
    const changed = { ...sap.purchaseOrders.get(purchaseOrderNumber(7))!, PurchasingGroup: 'ZZZ' };
    sap.purchaseOrders.put(changed);
    expect(sap.purchaseOrders.get(purchaseOrderNumber(7))).toMatchObject({ PurchasingGroup: 'ZZZ' });
    expect(sap.purchaseOrders.delete(purchaseOrderNumber(8))).toBe(true);
    expect(sap.purchaseOrders.get(purchaseOrderNumber(8))).toBeUndefined();
  });

  it('inverts every key function over a range of indexes', () => {
    for (let supplier = 0; supplier < 2_000; supplier++) expect(supplierIndexOf(businessPartnerNumber(partnerIndexOfSupplier(supplier)))).toBe(supplier);
    for (let row = 0; row < 3_000; row++) expect(stockRowIndexOf(stockRowKeyAt(row))).toBe(row);
  });
});
