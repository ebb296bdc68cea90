/** The OData V2 services the connector uses, with the entity set each stream reads. */
export const SERVICES = {
  purchaseOrder: 'API_PURCHASEORDER_PROCESS_SRV',
  maintenanceOrder: 'API_MAINTENANCEORDER',
  equipment: 'API_EQUIPMENT',
  businessPartner: 'API_BUSINESS_PARTNER',
  product: 'API_PRODUCT_SRV',
  materialStock: 'API_MATERIAL_STOCK_SRV',
} as const;

/** A cheap read per service (first key only), used by testConnection. */
export const PROBES: readonly { service: string; entitySet: string; key: string }[] = [
  { service: SERVICES.purchaseOrder, entitySet: 'A_PurchaseOrder', key: 'PurchaseOrder' },
  { service: SERVICES.maintenanceOrder, entitySet: 'MaintenanceOrder', key: 'MaintenanceOrder' },
  { service: SERVICES.equipment, entitySet: 'Equipment', key: 'Equipment' },
  { service: SERVICES.businessPartner, entitySet: 'A_Supplier', key: 'Supplier' },
  { service: SERVICES.product, entitySet: 'A_Product', key: 'Product' },
  { service: SERVICES.materialStock, entitySet: 'A_MatlStkInAcctMod', key: 'Material' },
];
