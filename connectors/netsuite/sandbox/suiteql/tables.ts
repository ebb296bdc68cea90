import { poTotals } from '../render.js';
import { CURRENCIES, type InventoryItem, type PurchaseOrder, type RecordType, type Vendor } from '../records.js';
import type { DeletedRecordEntry } from '../store.js';

/**
 * The SuiteQL tables the sandbox serves and their columns. Column values are typed here and
 * turned into SuiteQL's strings by the engine: numbers as strings, booleans as 'T'/'F', dates and
 * datetimes in the account date format unless TO_CHAR formats them.
 */
export type ColumnType = 'integer' | 'float' | 'text' | 'boolean' | 'timestamp' | 'date';

export interface ColumnDef<R> {
  type: ColumnType;
  get(row: R): string | number | boolean | null;
}

export interface TableDef<R> {
  name: string;
  /** Record type behind the table; absent for the deleted-record log. */
  recordType?: RecordType;
  columns: Record<string, ColumnDef<R>>;
  /** Columns with one value for every row of the table (`type = 'PurchOrd'`), so a filter on them selects all or nothing. */
  constants: Record<string, string>;
}

const col = <R>(type: ColumnType, get: (row: R) => string | number | boolean | null | undefined): ColumnDef<R> => ({
  type,
  get: (row) => get(row) ?? null,
});

const refId = (ref: { id: string } | null | undefined): number | null => (ref ? Number(ref.id) : null);

export const transactionTable: TableDef<PurchaseOrder> = {
  name: 'transaction',
  recordType: 'purchaseorder',
  constants: { type: 'PurchOrd' },
  columns: {
    id: col('integer', (po) => Number(po.id)),
    tranid: col('text', (po) => po.tranId),
    type: col('text', () => 'PurchOrd'),
    status: col('text', (po) => po.orderStatus),
    entity: col('integer', (po) => refId(po.entity)),
    trandate: col('date', (po) => po.tranDate),
    duedate: col('date', (po) => po.dueDate),
    createddate: col('timestamp', (po) => po.createdMs),
    lastmodifieddate: col('timestamp', (po) => po.modifiedMs),
    memo: col('text', (po) => po.memo),
    currency: col('integer', (po) => refId(po.currency)),
    exchangerate: col('float', (po) => po.exchangeRate),
    foreigntotal: col('float', (po) => poTotals(po).total),
    approvalstatus: col('integer', (po) => refId(po.approvalStatus)),
    employee: col('integer', (po) => refId(po.employee)),
    externalid: col('text', (po) => po.externalId),
    otherrefnum: col('text', (po) => po.otherRefNum),
    custbody_mr_project_code: col('text', (po) => po.custom.custbody_mr_project_code as string | null),
    custbody_mr_rush_order: col('boolean', (po) => po.custom.custbody_mr_rush_order as boolean | null),
    custbody_mr_work_order_ref: col('text', (po) => po.custom.custbody_mr_work_order_ref as string | null),
  },
};

export const vendorTable: TableDef<Vendor> = {
  name: 'vendor',
  recordType: 'vendor',
  constants: {},
  columns: {
    id: col('integer', (v) => Number(v.id)),
    entityid: col('text', (v) => v.entityId),
    companyname: col('text', (v) => v.companyName),
    legalname: col('text', (v) => v.legalName),
    isinactive: col('boolean', (v) => v.isInactive),
    isperson: col('boolean', (v) => v.isPerson),
    email: col('text', (v) => v.email),
    phone: col('text', (v) => v.phone),
    url: col('text', (v) => v.url),
    accountnumber: col('text', (v) => v.accountNumber),
    currency: col('integer', (v) => refId(v.currency)),
    subsidiary: col('integer', (v) => refId(v.subsidiary)),
    terms: col('integer', (v) => refId(v.terms)),
    category: col('integer', (v) => refId(v.category)),
    datecreated: col('timestamp', (v) => v.createdMs),
    lastmodifieddate: col('timestamp', (v) => v.modifiedMs),
    externalid: col('text', (v) => v.externalId),
  },
};

export const itemTable: TableDef<InventoryItem> = {
  name: 'item',
  recordType: 'inventoryitem',
  constants: { itemtype: 'InvtPart' },
  columns: {
    id: col('integer', (i) => Number(i.id)),
    itemid: col('text', (i) => i.itemId),
    displayname: col('text', (i) => i.displayName),
    itemtype: col('text', () => 'InvtPart'),
    isinactive: col('boolean', (i) => i.isInactive),
    upccode: col('text', (i) => i.upcCode),
    cost: col('float', (i) => i.cost),
    averagecost: col('float', (i) => i.averageCost),
    lastpurchaseprice: col('float', (i) => i.lastPurchasePrice),
    purchasedescription: col('text', (i) => i.purchaseDescription),
    createddate: col('timestamp', (i) => i.createdMs),
    lastmodifieddate: col('timestamp', (i) => i.modifiedMs),
    externalid: col('text', (i) => i.externalId),
  },
};

export const deletedRecordTable: TableDef<DeletedRecordEntry> = {
  name: 'deletedrecord',
  constants: {},
  columns: {
    recordid: col('integer', (d) => Number(d.recordId)),
    type: col('text', (d) => d.type),
    name: col('text', (d) => d.name),
    deleteddate: col('timestamp', (d) => d.deletedMs),
    context: col('text', () => 'Web Services'),
    iscustomrecord: col('boolean', () => false),
    iscustomlist: col('boolean', () => false),
  },
};

type CurrencyRow = (typeof CURRENCIES)[number];

export const currencyTable: TableDef<CurrencyRow> = {
  name: 'currency',
  constants: {},
  columns: {
    id: col('integer', (c) => Number(c.id)),
    name: col('text', (c) => c.refName),
    symbol: col('text', (c) => c.symbol),
    isinactive: col('boolean', () => false),
  },
};

export const TABLES: Record<string, TableDef<never>> = {
  currency: currencyTable as unknown as TableDef<never>,
  transaction: transactionTable as unknown as TableDef<never>,
  vendor: vendorTable as unknown as TableDef<never>,
  item: itemTable as unknown as TableDef<never>,
  deletedrecord: deletedRecordTable as unknown as TableDef<never>,
};
