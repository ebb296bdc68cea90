import { children, type SandboxRecord } from '../model.js';
import type { SapErrorDetail } from '../sap-errors.js';
import type { SapTenant } from '../tenant.js';

/**
 * The purchase-order checks the sandbox's "MM-PUR" applies on create and change, with messages
 * modelled on the ME message class (codes are illustrative: SAP's texts vary by release and
 * customizing). Item problems target `to_PurchaseOrderItem(PurchaseOrderItem='20')/<Property>`.
 */
export const KNOWN_CURRENCIES = new Set(['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'CNY', 'INR', 'MXN', 'BRL', 'AUD', 'SEK', 'PLN', 'KWD']);

/** Net value above which the release strategy applies: the order waits "In Release" (03). */
export const RELEASE_THRESHOLD = 25_000;

export function itemTarget(item: SandboxRecord, property: string): string {
  return `to_PurchaseOrderItem(PurchaseOrderItem='${String(item.PurchaseOrderItem ?? '')}')/${property}`;
}

function required(record: SandboxRecord, property: string, target: string): SapErrorDetail[] {
  const value = record[property];
  if (value === undefined || value === null || value === '') {
    return [{ code: 'ME/083', message: `Enter a value in field ${property}`, propertyref: property, target }];
  }
  return [];
}

export function supplierProblems(tenant: SapTenant, supplier: unknown): SapErrorDetail[] {
  if (typeof supplier !== 'string' || supplier === '') return [];
  const role = tenant.suppliers.get(supplier);
  if (!role || role.DeletionIndicator === true) {
    return [{ code: 'ME/046', message: `Supplier ${supplier} does not exist`, propertyref: 'Supplier', target: 'Supplier' }];
  }
  if (role.PurchasingIsBlocked === true) {
    return [{ code: 'ME/047', message: `Supplier ${supplier} is blocked for purchasing`, propertyref: 'Supplier', target: 'Supplier' }];
  }
  return [];
}

export function headerProblems(tenant: SapTenant, header: SandboxRecord, mode: 'create' | 'update'): SapErrorDetail[] {
  const problems: SapErrorDetail[] = [];
  if (mode === 'create') {
    for (const property of ['CompanyCode', 'PurchaseOrderType', 'Supplier', 'PurchasingOrganization', 'PurchasingGroup']) {
      problems.push(...required(header, property, property));
    }
  }
  problems.push(...supplierProblems(tenant, header.Supplier));
  const currency = header.DocumentCurrency;
  if (typeof currency === 'string' && currency !== '' && !KNOWN_CURRENCIES.has(currency)) {
    problems.push({ code: 'ME/149', message: `Currency ${currency} is not defined`, propertyref: 'DocumentCurrency', target: 'DocumentCurrency' });
  }
  return problems;
}

export function itemProblems(tenant: SapTenant, item: SandboxRecord, target: (property: string) => string): SapErrorDetail[] {
  const problems: SapErrorDetail[] = [];
  problems.push(...required(item, 'Plant', target('Plant')));
  const quantity = Number(item.OrderQuantity ?? '0');
  if (!(quantity > 0)) {
    problems.push({ code: 'ME/089', message: 'Enter a quantity greater than zero', propertyref: 'OrderQuantity', target: target('OrderQuantity') });
  }
  if (Number(item.NetPriceAmount ?? '0') < 0) {
    problems.push({ code: 'ME/092', message: 'Net price must not be negative', propertyref: 'NetPriceAmount', target: target('NetPriceAmount') });
  }
  if (!(Number(item.NetPriceQuantity ?? '1') > 0)) {
    problems.push({ code: 'ME/093', message: 'Price unit must be greater than zero', propertyref: 'NetPriceQuantity', target: target('NetPriceQuantity') });
  }
  const material = item.Material;
  if (typeof material === 'string' && material !== '') {
    if (!tenant.products.get(material)) {
      problems.push({ code: 'ME/040', message: `Material ${material} does not exist`, propertyref: 'Material', target: target('Material') });
    }
  } else {
    problems.push(...required(item, 'PurchaseOrderItemText', target('PurchaseOrderItemText')));
    problems.push(...required(item, 'MaterialGroup', target('MaterialGroup')));
    problems.push(...required(item, 'PurchaseOrderQuantityUnit', target('PurchaseOrderQuantityUnit')));
  }
  return problems;
}

/** Σ price × quantity / price unit, as a float: only used to decide on the release strategy. */
export function approximateNetValue(order: SandboxRecord): number {
  return children(order, 'to_PurchaseOrderItem')
    .filter((item) => item.PurchasingDocumentDeletionCode !== 'L')
    .reduce((sum, item) => sum + (Number(item.NetPriceAmount) * Number(item.OrderQuantity)) / Number(item.NetPriceQuantity || '1'), 0);
}
