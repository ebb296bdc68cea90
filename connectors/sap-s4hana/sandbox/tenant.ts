import {
  businessPartnerIndex,
  businessPartnerNumber,
  equipmentIndex,
  maintenanceOrderIndex,
  maintenanceOrderNumber,
  partnerIndexOfSupplier,
  productIndex,
  purchaseOrderIndex,
  purchaseOrderNumber,
  supplierCount,
  supplierIndexOf,
  type GeneratorContext,
} from './data/catalog.js';
import { generateBusinessPartner } from './data/business-partners.js';
import { generateEquipment } from './data/equipment.js';
import { generateMaintenanceOrder } from './data/maintenance-orders.js';
import { generateProduct, generateStockRow, stockKey, stockRowIndexOf, stockRowKeyAt, STOCK_ROWS_PER_PRODUCT } from './data/products.js';
import { generatePurchaseOrder } from './data/purchase-orders.js';
import { equipmentNumber, productNumber } from './data/catalog.js';
import type { SandboxRecord } from './model.js';
import { OrderedCollection } from './ordered-collection.js';
import { maintenanceOrderType } from './types/maintenance-order-types.js';
import { businessPartnerType, equipmentType, supplierType } from './types/master-data-types.js';
import { materialStockType, productType } from './types/product-types.js';
import { purchaseOrderType } from './types/purchase-order-types.js';

/**
 * One simulated S/4HANA tenant: every entity set the connector reads, generated lazily from the
 * seed, with the indexes a database would use for the connector's queries, and the number
 * ranges and clock used when records are created or changed.
 */
export class SapTenant {
  readonly purchaseOrders: OrderedCollection;
  readonly maintenanceOrders: OrderedCollection;
  readonly equipment: OrderedCollection;
  readonly businessPartners: OrderedCollection;
  readonly suppliers: OrderedCollection;
  readonly products: OrderedCollection;
  readonly stock: OrderedCollection;
  private nextPurchaseOrder: number;
  private nextMaintenanceOrder: number;
  private lastMicros = 0;

  constructor(readonly context: GeneratorContext) {
    const { sizes } = context;
    this.purchaseOrders = new OrderedCollection({
      entityType: purchaseOrderType,
      count: sizes.purchaseOrders,
      generate: (i) => generatePurchaseOrder(context, i),
      keyAt: purchaseOrderNumber,
      indexOf: purchaseOrderIndex,
      keyOf: (record) => record.PurchaseOrder as string,
      indexes: [
        { name: 'key', fields: ['PurchaseOrder'], generatedInOrder: true },
        { name: 'changed', fields: ['LastChangeDateTime', 'PurchaseOrder'], generatedInOrder: true },
      ],
    });
    this.maintenanceOrders = new OrderedCollection({
      entityType: maintenanceOrderType,
      count: sizes.maintenanceOrders,
      generate: (i) => generateMaintenanceOrder(context, i),
      keyAt: maintenanceOrderNumber,
      indexOf: maintenanceOrderIndex,
      keyOf: (record) => record.MaintenanceOrder as string,
      indexes: [
        { name: 'key', fields: ['MaintenanceOrder'], generatedInOrder: true },
        // Orders without a change time sort first, so generation order is not index order.
        { name: 'changed', fields: ['LastChangeDateTime', 'MaintenanceOrder'], generatedInOrder: false },
      ],
    });
    this.equipment = new OrderedCollection({
      entityType: equipmentType,
      count: sizes.equipment,
      generate: (i) => generateEquipment(context, i),
      keyAt: equipmentNumber,
      indexOf: equipmentIndex,
      keyOf: (record) => record.Equipment as string,
      indexes: [
        { name: 'key', fields: ['Equipment', 'ValidityEndDate'], generatedInOrder: true },
        { name: 'changed', fields: ['LastChangeDateTime', 'Equipment'], generatedInOrder: true },
      ],
    });
    this.businessPartners = new OrderedCollection({
      entityType: businessPartnerType,
      count: sizes.businessPartners,
      generate: (i) => generateBusinessPartner(context, i),
      keyAt: businessPartnerNumber,
      indexOf: businessPartnerIndex,
      keyOf: (record) => record.BusinessPartner as string,
      indexes: [
        { name: 'key', fields: ['BusinessPartner'], generatedInOrder: true },
        { name: 'created', fields: ['CreationDate', 'CreationTime', 'BusinessPartner'], generatedInOrder: true },
        { name: 'changed', fields: ['LastChangeDate', 'LastChangeTime', 'BusinessPartner'], generatedInOrder: false },
      ],
    });
    this.suppliers = new OrderedCollection({
      entityType: supplierType,
      count: supplierCount(sizes.businessPartners),
      generate: (s) => generateBusinessPartner(context, partnerIndexOfSupplier(s)).supplierRole as SandboxRecord,
      keyAt: (s) => businessPartnerNumber(partnerIndexOfSupplier(s)),
      indexOf: supplierIndexOf,
      keyOf: (record) => record.Supplier as string,
      indexes: [{ name: 'key', fields: ['Supplier'], generatedInOrder: true }],
    });
    this.products = new OrderedCollection({
      entityType: productType,
      count: sizes.products,
      generate: (i) => generateProduct(context, i),
      keyAt: productNumber,
      indexOf: productIndex,
      keyOf: (record) => record.Product as string,
      indexes: [
        { name: 'key', fields: ['Product'], generatedInOrder: true },
        { name: 'changed', fields: ['LastChangeDateTime', 'Product'], generatedInOrder: true },
      ],
    });
    this.stock = new OrderedCollection({
      entityType: materialStockType,
      count: sizes.products * STOCK_ROWS_PER_PRODUCT,
      generate: (i) => generateStockRow(context, i),
      keyAt: stockRowKeyAt,
      indexOf: stockRowIndexOf,
      keyOf: stockKey,
      indexes: [{ name: 'key', fields: materialStockType.keys, generatedInOrder: true }],
    });
    this.nextPurchaseOrder = sizes.purchaseOrders;
    this.nextMaintenanceOrder = sizes.maintenanceOrders;
  }

  /** Entity sets by service and name, as the URL addresses them. */
  collection(service: string, entitySet: string): OrderedCollection | undefined {
    const all = [this.purchaseOrders, this.maintenanceOrders, this.equipment, this.businessPartners, this.suppliers, this.products, this.stock];
    return all.find((candidate) => candidate.entityType.service === service && candidate.entityType.entitySet === entitySet);
  }

  newPurchaseOrderNumber(): string {
    return purchaseOrderNumber(this.nextPurchaseOrder++);
  }

  newMaintenanceOrderNumber(): string {
    return maintenanceOrderNumber(this.nextMaintenanceOrder++);
  }

  /** Strictly increasing microseconds: SAP's long time stamps are finer than a millisecond. */
  nowMicros(): number {
    const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    this.lastMicros = Math.max(now, this.lastMicros + 1);
    return this.lastMicros;
  }
}
