import { z } from 'zod';
import { MappingError } from '../../connectors/sdk/errors.js';
import type { ConnectorDefinition, MapContext, StreamDefinition } from '../../connectors/sdk/types.js';
import { pickCustomFields, toDecimal } from '../../schemas/index.js';

/**
 * A connector for the transformer's tests and benchmark: mappers with the habits of real ones
 * (SAP OData v2 `/Date(ms)/` timestamps, decimals from JSON numbers, `YY1_` custom fields,
 * references computed with `idFor`, a soft-delete flag), strict about what they read, so bad
 * records fail the way real ones do. It never reads a source: raw records are written to the raw
 * topics directly (raw-writer.ts).
 */
export interface PlantVendor {
  VendorId: string;
  Name: unknown;
  Currency?: string;
  Created: string;
  Blocked?: boolean;
  Deleted?: boolean;
  [custom: `YY1_${string}`]: unknown;
}

export interface PlantOrderLine {
  Item: number;
  Material?: string;
  Quantity: number;
  Price: number;
}

export interface PlantOrder {
  OrderId: string;
  Supplier: string;
  Status: 'open' | 'done';
  OrderDate: string;
  Currency: string;
  Note?: string;
  Lines: PlantOrderLine[];
  [custom: `YY1_${string}`]: unknown;
}

const SAP_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/** `/Date(1714557605000)/` → ISO 8601; MappingError naming the raw field otherwise. */
export function sapTimestamp(value: unknown, path: string): string {
  const match = typeof value === 'string' ? SAP_DATE.exec(value) : null;
  if (!match) throw new MappingError(path, `expected an OData date like /Date(1714557605000)/, got ${JSON.stringify(value)}`);
  return new Date(Number(match[1])).toISOString();
}

function requiredText(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new MappingError(path, `is required (a non-empty string), got ${JSON.stringify(value)}`);
  return value;
}

const isCustom = (name: string) => name.startsWith('YY1_');

export function mapVendor(raw: PlantVendor) {
  const created = sapTimestamp(raw.Created, 'Created');
  return {
    remote_id: requiredText(raw.VendorId, 'VendorId'),
    display_value: typeof raw.Name === 'string' ? raw.Name : null,
    remote_created_at: created,
    is_deleted: raw.Deleted === true,
    code: raw.VendorId,
    // Passed through unchecked: a wrong type is for validation to name (`name`).
    name: raw.Name as string,
    status: raw.Blocked ? ('blocked' as const) : ('active' as const),
    currency: raw.Currency ?? null,
    custom_fields: pickCustomFields(raw as unknown as Record<string, unknown>, isCustom),
  };
}

export function mapOrder(raw: PlantOrder, ctx: MapContext) {
  const lines = raw.Lines.map((line, index) => {
    if (typeof line.Quantity !== 'number') throw new MappingError(`Lines[${index}].Quantity`, `expected a number, got ${JSON.stringify(line.Quantity)}`);
    return {
      line_number: line.Item,
      item_remote_id: line.Material ?? null,
      item_id: line.Material ? ctx.idFor('inventory_item', line.Material) : null,
      quantity: toDecimal(line.Quantity),
      unit_price: toDecimal(line.Price),
      line_total: toDecimal(line.Quantity * line.Price),
    };
  });
  return {
    remote_id: requiredText(raw.OrderId, 'OrderId'),
    display_value: `PO ${raw.OrderId}`,
    number: raw.OrderId,
    status: raw.Status === 'done' ? ('closed' as const) : ('approved' as const),
    remote_status: raw.Status,
    vendor_id: ctx.idFor('vendor', requiredText(raw.Supplier, 'Supplier')),
    vendor_remote_id: raw.Supplier,
    issue_date: sapTimestamp(raw.OrderDate, 'OrderDate').slice(0, 10),
    currency: raw.Currency,
    total: toDecimal(raw.Lines.reduce((sum, line) => sum + line.Quantity * line.Price, 0)),
    memo: raw.Note ?? null,
    lines,
    custom_fields: pickCustomFields(raw as unknown as Record<string, unknown>, isCustom),
  };
}

function stream<Raw>(name: string, entity: 'vendor' | 'purchase_order', key: string, map: (raw: Raw, ctx: MapContext) => unknown): StreamDefinition<null, Raw, null> {
  return {
    name,
    entity,
    primaryKey: key,
    cursorField: null,
    syncMode: 'full_refresh',
    defaultIntervalSeconds: 3600,
    remoteId: (raw) => String((raw as Record<string, unknown>)[key]),
    // eslint-disable-next-line require-yield
    async *read() {
      throw new Error('the plant test connector has no source; write raw records with raw-writer.ts');
    },
    nextCursor: () => null,
    map: map as StreamDefinition<null, Raw, null>['map'],
  };
}

export const plantConnector: ConnectorDefinition<Record<string, never>, null> = {
  id: 'millrace_plant',
  displayName: 'Millrace plant (transformer tests)',
  authKinds: ['api_key'],
  configSchema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
  connect: () => null,
  testConnection: async () => {},
  streams: [stream<PlantVendor>('vendors', 'vendor', 'VendorId', mapVendor), stream<PlantOrder>('purchase_orders', 'purchase_order', 'OrderId', mapOrder)],
};

export const plantConnectorLookup = (id: string): ConnectorDefinition | undefined => (id === plantConnector.id ? plantConnector : undefined);
