import { v5 as uuidv5, validate as isUuid } from 'uuid';
import { ConnectorError } from '../../sdk/errors.js';
import type { WriteContext, WriteOperations } from '../../sdk/types.js';
import type { NetSuiteClient } from '../client.js';
import { purchaseOrderBody, validatePurchaseOrder } from './purchase-order-body.js';

/**
 * Purchase order writes. A create runs as a NetSuite async job keyed by an idempotency key (the
 * caller's, or a fresh one), so a create retried after a timeout or a crash returns the first
 * create's record instead of making a second order. An update is a PATCH (NetSuite has no ETag):
 * when the caller says which version its change is based on, the record is read first and a
 * newer lastModifiedDate is reported as a conflict.
 */
/** Namespace for turning a caller's non-UUID Idempotency-Key into the UUID NetSuite requires. */
const IDEMPOTENCY_NAMESPACE = '0d0c5f7e-3a5e-5b55-9a0e-6e6574737569';

export function netsuiteIdempotencyKey(key: string): string {
  return isUuid(key) ? key : uuidv5(key, IDEMPOTENCY_NAMESPACE);
}

function rejectInvalid(input: Record<string, unknown>, kind: 'create' | 'update'): void {
  const issues = validatePurchaseOrder(input, kind);
  if (issues.length === 0) return;
  throw new ConnectorError('validation', `the purchase order cannot be ${kind === 'create' ? 'created' : 'updated'} in NetSuite: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`, { fieldErrors: issues });
}

async function currencyIdFor(client: NetSuiteClient, input: Record<string, unknown>): Promise<string | null> {
  if (typeof input.currency !== 'string') return null;
  const id = await client.currencyId(input.currency);
  if (!id) throw new ConnectorError('validation', `NetSuite has no currency with the symbol ${input.currency}; add it under Lists > Accounting > Currencies or choose another`, { fieldErrors: [{ path: 'currency', message: 'unknown currency in this NetSuite account' }] });
  return id;
}

async function checkBaseVersion(client: NetSuiteClient, remoteId: string, ctx: WriteContext): Promise<void> {
  const base = ctx.baseVersion?.remoteUpdatedAt;
  if (!base) return;
  const current = await client.getRecord('purchaseOrder', remoteId);
  if (!current) throw new ConnectorError('not_found', `NetSuite purchase order ${remoteId} does not exist (deleted?)`, { status: 404 });
  const currentAt = Date.parse(String(current.lastModifiedDate ?? ''));
  if (Number.isFinite(currentAt) && currentAt > Date.parse(base)) {
    throw new ConnectorError('conflict', `NetSuite purchase order ${remoteId} changed at ${String(current.lastModifiedDate)}, after the version this change is based on (${base}); read it again and reapply the change`, {
      status: 409,
      details: { your_version_timestamp: base, current_version_timestamp: new Date(currentAt).toISOString() },
    });
  }
}

export const purchaseOrderWrites: WriteOperations<NetSuiteClient, 'purchase_order'> = {
  validate: validatePurchaseOrder,

  async create(client, input, ctx) {
    const fields = input as Record<string, unknown>;
    rejectInvalid(fields, 'create');
    const body = purchaseOrderBody(fields, 'create', await currencyIdFor(client, fields));
    let key: string | undefined;
    if (client.config.asyncCreates) key = netsuiteIdempotencyKey(ctx.idempotencyKey ?? crypto.randomUUID());
    else if (ctx.idempotencyKey) ctx.logger.warn('asyncCreates is off: NetSuite does not dedupe synchronous creates, so the Idempotency-Key cannot be honoured by the source');
    const remoteId = await client.createRecord('purchaseOrder', body, key);
    const raw = await client.getRecord('purchaseOrder', remoteId);
    return { remoteId, ...(raw ? { raw } : {}) };
  },

  async update(client, remoteId, patch, ctx) {
    const fields = patch as Record<string, unknown>;
    rejectInvalid(fields, 'update');
    await checkBaseVersion(client, remoteId, ctx);
    const body = purchaseOrderBody(fields, 'update', await currencyIdFor(client, fields));
    await client.updateRecord('purchaseOrder', remoteId, body);
    const raw = await client.getRecord('purchaseOrder', remoteId);
    return { remoteId, ...(raw ? { raw } : {}) };
  },
};
