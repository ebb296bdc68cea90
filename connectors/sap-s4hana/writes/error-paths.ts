import { ConnectorError } from '../../sdk/errors.js';

/**
 * SAP names a refused field by its own property (`errordetails[].target` / `propertyref`), for an
 * item as `to_PurchaseOrderItem(PurchaseOrderItem='20')/OrderQuantity`. Callers wrote unified
 * fields, so the paths are translated back (`lines[1].quantity`); a property with no unified
 * counterpart keeps SAP's name, so nothing is lost.
 */
export interface PathTable {
  header: Record<string, string>;
  /** Navigation of the child entity (`to_PurchaseOrderItem`), its key property, the unified list. */
  child?: { navigation: string; key: string; list: string; keyField: string; fields: Record<string, string> };
}

export const PURCHASE_ORDER_PATHS: PathTable = {
  header: {
    Supplier: 'vendor_remote_id',
    CompanyCode: 'company_id',
    PurchasingOrganization: 'subsidiary',
    PurchasingGroup: 'buyer',
    DocumentCurrency: 'currency',
    ExchangeRate: 'exchange_rate',
    PurchaseOrderDate: 'issue_date',
    PaymentTerms: 'payment_terms',
    IncotermsClassification: 'incoterms',
    IncotermsLocation1: 'incoterms_location',
    CorrespncExternalReference: 'external_reference',
    to_PurchaseOrderItem: 'lines',
  },
  child: {
    navigation: 'to_PurchaseOrderItem',
    key: 'PurchaseOrderItem',
    list: 'lines',
    keyField: 'line_number',
    fields: {
      Material: 'item_code',
      PurchaseOrderItemText: 'description',
      SupplierMaterialNumber: 'supplier_item_code',
      OrderQuantity: 'quantity',
      PurchaseOrderQuantityUnit: 'uom',
      NetPriceAmount: 'unit_price',
      NetPriceQuantity: 'unit_price',
      Plant: 'location_remote_id',
      StorageLocation: 'location_remote_id',
      IsCompletelyDelivered: 'is_closed',
      ScheduleLineDeliveryDate: 'expected_delivery_date',
    },
  },
};

export const WORK_ORDER_PATHS: PathTable = {
  header: {
    MaintenanceOrderDesc: 'title',
    MaintenanceOrderType: 'type',
    Equipment: 'asset_remote_id',
    FunctionalLocation: 'location_remote_id',
    MaintenancePlanningPlant: 'site',
    MaintenancePlant: 'site',
    MainWorkCenter: 'assigned_to',
    MaintPriority: 'priority',
    MaintOrdBasicStartDateTime: 'scheduled_start',
    MaintOrdBasicEndDateTime: 'scheduled_end',
    LatestAcceptableCompletionDate: 'due_date',
    to_MaintenanceOrderOperation: 'tasks',
  },
};

function unifiedField(property: string, table: Record<string, string>): string {
  if (/^(YY1|ZZ1)_/.test(property)) return `custom_fields.${property}`;
  return table[property] ?? property;
}

export function translatePath(sapPath: string, table: PathTable, childKeys: readonly (number | string | null | undefined)[] = []): string {
  const child = table.child;
  if (child) {
    const match = new RegExp(`^${child.navigation}\\((?:[^)]*?${child.key}=)?'?([^',)]*)'?[^)]*\\)(?:/(\\w+))?$`).exec(sapPath);
    if (match) {
      const key = match[1]!.replace(/^0+(?=\d)/, '');
      const index = childKeys.findIndex((candidate) => String(candidate ?? '') === key);
      const list = index >= 0 ? `${child.list}[${index}]` : `${child.list}[${child.keyField}=${key}]`;
      return match[2] ? `${list}.${unifiedField(match[2], { ...child.fields })}` : list;
    }
  }
  return sapPath === '' ? '' : unifiedField(sapPath.replace(/^\//, ''), table.header);
}

/** The same error with field paths in unified terms (sourceCode and SAP's message kept). */
export function withUnifiedPaths(error: unknown, table: PathTable, childKeys: readonly (number | string | null | undefined)[] = []): unknown {
  if (!(error instanceof ConnectorError) || !error.fieldErrors) return error;
  return new ConnectorError(error.kind, error.message, {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.sourceCode !== undefined ? { sourceCode: error.sourceCode } : {}),
    ...(error.sourceMessage !== undefined ? { sourceMessage: error.sourceMessage } : {}),
    ...(error.details !== undefined ? { details: error.details } : {}),
    fieldErrors: error.fieldErrors.map((field) => ({ ...field, path: translatePath(field.path, table, childKeys) })),
    cause: error,
  });
}
