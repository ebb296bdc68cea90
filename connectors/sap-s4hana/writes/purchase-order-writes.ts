import type { MappedRecord } from '../../../schemas/index.js';
import { ConnectorError } from '../../sdk/errors.js';
import type { WriteContext, WriteOperations, WriteResult } from '../../sdk/types.js';
import type { SapClient } from '../client.js';
import { expanded, readEntity, type ODataRecord } from '../odata/page.js';
import { keyPredicate } from '../odata/values.js';
import { SERVICES } from '../services.js';
import { purchaseOrdersStream } from '../streams/purchase-orders.js';
import { baseVersionOf, conflictError, ifMatch, isStale, versionOf, type SapVersion } from './base-version.js';
import { PURCHASE_ORDER_PATHS, withUnifiedPaths } from './error-paths.js';
import { purchaseOrderCreateBody, purchaseOrderHeaderPatch, purchaseOrderItemPatch, validatePurchaseOrder } from './purchase-order-payload.js';

/**
 * Purchase order writes through API_PURCHASEORDER_PROCESS_SRV, with SAP's CSRF token and cookies
 * (csrf.ts). Create is one deep insert (header + items + schedule lines). Update PATCHes the
 * header, then each changed item (matched by line_number). The order is read first: when its
 * LastChangeDateTime (or ETag, where SAP gives one) differs from the version the change is based
 * on (WriteContext.baseVersion), nothing is written and the `conflict` carries both versions
 * (base-version.ts). SAP's refusals come back as `validation` with
 * SAP's code and message and the field paths in unified terms. Writes are never retried: a
 * second POST would create a second order.
 */
type Input = Record<string, any>;

function refuseInvalid(input: Input, kind: 'create' | 'update'): void {
  const issues = validatePurchaseOrder(input, kind);
  if (issues.length > 0) {
    throw new ConnectorError('validation', `the purchase order cannot be ${kind === 'create' ? 'created' : 'changed'} in SAP: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, {
      fieldErrors: issues,
    });
  }
}

async function reread(client: SapClient, number: string): Promise<WriteResult> {
  const raw = await purchaseOrdersStream.fetchOne!(client, number);
  return raw ? { remoteId: number, raw } : { remoteId: number };
}

async function create(client: SapClient, input: Partial<MappedRecord<'purchase_order'>>, ctx: WriteContext): Promise<WriteResult> {
  refuseInvalid(input, 'create');
  const lines = (input.lines ?? []) as Input[];
  const body = purchaseOrderCreateBody(input, client.config.purchaseOrderType);
  let response;
  try {
    response = await client.write(SERVICES.purchaseOrder, 'POST', 'A_PurchaseOrder', body);
  } catch (error) {
    throw withUnifiedPaths(error, PURCHASE_ORDER_PATHS, lines.map((line, index) => line.line_number ?? (index + 1) * 10));
  }
  const created = readEntity(response.json(), `${response.method} ${response.url}`);
  const number = String(created.PurchaseOrder ?? '');
  if (!number) throw new ConnectorError('invalid_response', `${response.method} ${response.url} answered ${response.status} without a PurchaseOrder number`);
  ctx.logger.info({ purchase_order: number }, 'created SAP purchase order');
  return reread(client, number);
}

async function readCurrent(client: SapClient, number: string): Promise<ODataRecord> {
  const current = await purchaseOrdersStream.fetchOne!(client, number);
  if (!current) throw new ConnectorError('not_found', `purchase order ${number} does not exist in SAP`, { status: 404 });
  return current;
}

/** SAP's 412 on an `If-Match` write: the order changed between the read and the write. */
async function versionConflict(client: SapClient, number: string, base: SapVersion, error: unknown): Promise<never> {
  const current = await purchaseOrdersStream.fetchOne!(client, number);
  throw conflictError(`purchase order ${number}`, base, current ? versionOf(current) : null, error);
}

const isPreconditionFailed = (error: unknown) => error instanceof ConnectorError && error.kind === 'conflict' && error.status === 412;

async function update(client: SapClient, remoteId: string, patch: Partial<MappedRecord<'purchase_order'>>, ctx: WriteContext): Promise<WriteResult> {
  refuseInvalid(patch, 'update');
  let current = await readCurrent(client, remoteId);
  const currentVersion = versionOf(current);
  const base = baseVersionOf(ctx) ?? currentVersion;
  if (isStale(base, currentVersion)) throw conflictError(`purchase order ${remoteId}`, base, currentVersion);
  const currency = (current.DocumentCurrency as string | undefined) ?? patch.currency ?? null;
  const header = purchaseOrderHeaderPatch(patch);
  const order = `A_PurchaseOrder${keyPredicate({ PurchaseOrder: remoteId })}`;
  if (Object.keys(header).length > 0) {
    try {
      await client.write(SERVICES.purchaseOrder, 'PATCH', order, header, ifMatch(currentVersion));
    } catch (error) {
      if (isPreconditionFailed(error)) return versionConflict(client, remoteId, base, error);
      throw withUnifiedPaths(error, PURCHASE_ORDER_PATHS);
    }
    // Items with their own ETag need the one the header change left them with.
    if (expanded(current, 'to_PurchaseOrderItem').some((item) => versionOf(item).etag)) current = await readCurrent(client, remoteId);
  }
  const lines = (patch.lines ?? []) as Input[];
  for (const [index, line] of lines.entries()) {
    const body = purchaseOrderItemPatch(line, currency);
    if (Object.keys(body).length === 0) continue;
    const item = `A_PurchaseOrderItem${keyPredicate({ PurchaseOrder: remoteId, PurchaseOrderItem: String(line.line_number) })}`;
    const itemVersion = expanded(current, 'to_PurchaseOrderItem').find((candidate) => String(candidate.PurchaseOrderItem).replace(/^0+(?=\d)/, '') === String(line.line_number));
    try {
      await client.write(SERVICES.purchaseOrder, 'PATCH', item, body, itemVersion ? ifMatch(versionOf(itemVersion)) : {});
    } catch (error) {
      if (isPreconditionFailed(error)) return versionConflict(client, remoteId, base, error);
      const table = { header: Object.fromEntries(Object.entries(PURCHASE_ORDER_PATHS.child!.fields).map(([property, field]) => [property, `lines[${index}].${field}`])) };
      const translated = withUnifiedPaths(error, table);
      if (translated instanceof ConnectorError && translated.fieldErrors) {
        const fixed = translated.fieldErrors.map((field) => ({ ...field, path: field.path.startsWith('custom_fields.') ? `lines[${index}].${field.path}` : field.path || `lines[${index}]` }));
        throw new ConnectorError(translated.kind, `${translated.message} (item ${line.line_number}; the header and ${index} earlier item(s) were already changed)`, {
          ...(translated.status !== undefined ? { status: translated.status } : {}),
          ...(translated.sourceCode ? { sourceCode: translated.sourceCode } : {}),
          ...(translated.sourceMessage ? { sourceMessage: translated.sourceMessage } : {}),
          fieldErrors: fixed,
          details: { applied_items: lines.slice(0, index).map((applied) => applied.line_number) },
        });
      }
      throw translated;
    }
  }
  ctx.logger.info({ purchase_order: remoteId, items: lines.length }, 'changed SAP purchase order');
  return reread(client, remoteId);
}

export const purchaseOrderWrites: WriteOperations<SapClient, 'purchase_order'> = {
  validate: (input, kind) => validatePurchaseOrder(input, kind),
  create,
  update,
};

