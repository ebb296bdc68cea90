import type { MappedRecord } from '../../../schemas/index.js';
import { ConnectorError, isConnectorError } from '../../sdk/errors.js';
import type { WriteContext, WriteOperations, WriteResult } from '../../sdk/types.js';
import { companyPath, type BcClient } from '../client.js';
import { parseRemoteId, remoteIdOf } from '../mappers/values.js';
import type { BcPurchaseOrder, BcPurchaseOrderLine } from '../raw-types.js';
import { purchaseOrdersStream } from '../streams/purchase-orders.js';
import { headerBody, lineBody, splitRemoteId, validatePurchaseOrder } from './purchase-order-payload.js';
import { withFieldErrors } from './source-errors.js';

/**
 * Create (one deep insert: header and lines in one POST, all or nothing) and update (PATCH with
 * `If-Match`) of purchase orders. Writes are never retried: a POST that timed out may have
 * created the order. An update is based on the version the caller saw (WriteContext.baseVersion);
 * when Business Central answers 409 Request_EntityChanged, the order is read again and the
 * conflict reported with both versions' timestamps, never overwritten.
 */
type Input = Record<string, unknown>;

function refuse(issues: { path: string; message: string }[]): never {
  throw new ConnectorError('validation', `the purchase order cannot be written to Business Central: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, {
    status: 422,
    fieldErrors: issues,
  });
}

async function companyFor(client: BcClient, input: Input): Promise<string> {
  if (typeof input.company_id === 'string') return input.company_id.toLowerCase();
  const vendor = splitRemoteId(input.vendor_remote_id);
  if (vendor) return vendor.companyId;
  const companies = await client.companyIds();
  if (companies.length === 1) return companies[0]!;
  refuse([{ path: 'company_id', message: 'this connection covers several companies; say which one' }]);
}

async function create(client: BcClient, input: Partial<MappedRecord<'purchase_order'>>, _ctx: WriteContext): Promise<WriteResult> {
  const record = input as Input;
  const issues = validatePurchaseOrder(record, 'create');
  if (issues.length > 0) refuse(issues);
  const companyId = await companyFor(client, record);
  const body = { ...headerBody(record), purchaseOrderLines: (record.lines as Input[]).map(lineBody) };
  try {
    const created = await client.http.json<BcPurchaseOrder>({
      method: 'POST',
      path: companyPath(companyId, 'purchaseOrders'),
      query: { $expand: 'purchaseOrderLines' },
      body,
      retries: 0, // not idempotent: a retried POST could create the order twice
    });
    return { remoteId: remoteIdOf(companyId, created.id), raw: created };
  } catch (error) {
    throw withFieldErrors(error, record);
  }
}

function etagOf(remoteData: unknown): string | undefined {
  const etag = (remoteData as { '@odata.etag'?: unknown } | null | undefined)?.['@odata.etag'];
  return typeof etag === 'string' ? etag : undefined;
}

async function readCurrent(client: BcClient, remoteId: string): Promise<BcPurchaseOrder> {
  const current = await purchaseOrdersStream.fetchOne!(client, remoteId);
  if (!current) throw new ConnectorError('not_found', `purchase order ${remoteId} does not exist in Business Central (deleted)`, { status: 404 });
  if ('@millrace.reconstructedFrom' in current) {
    throw new ConnectorError('validation', `purchase order ${current.number} is fully invoiced and closed in Business Central; it can no longer be changed`, { status: 422, fieldErrors: [{ path: 'status', message: 'closed: fully received and invoiced' }] });
  }
  return current;
}

async function conflict(client: BcClient, remoteId: string, yourEtag: string | undefined, yourTimestamp: string | null, cause?: unknown): Promise<never> {
  const current = await purchaseOrdersStream.fetchOne!(client, remoteId);
  const currentTimestamp = current?.lastModifiedDateTime ?? null;
  const currentEtag = current && '@odata.etag' in current ? (current['@odata.etag'] ?? null) : null;
  const source = isConnectorError(cause) ? cause : undefined;
  throw new ConnectorError('conflict', `purchase order ${remoteId} was changed in Business Central (at ${currentTimestamp ?? 'an unknown time'}) after the version this change is based on (${yourTimestamp ?? 'unknown'}); read it again and reapply the change`, {
    status: 409,
    sourceCode: source?.sourceCode ?? 'Request_EntityChanged',
    ...(source?.sourceMessage ? { sourceMessage: source.sourceMessage } : {}),
    details: { your_version_timestamp: yourTimestamp, current_version_timestamp: currentTimestamp, current_etag: currentEtag, your_etag: yourEtag ?? null },
    ...(cause ? { cause } : {}),
  });
}

async function update(client: BcClient, remoteId: string, patch: Partial<MappedRecord<'purchase_order'>>, ctx: WriteContext): Promise<WriteResult> {
  const record = patch as Input;
  const issues = validatePurchaseOrder(record, 'update');
  if (issues.length > 0) refuse(issues);
  const { companyId, id } = parseRemoteId(remoteId);
  const base = ctx.baseVersion;
  let etag = etagOf(base?.remoteData);
  const yourTimestamp = base?.remoteUpdatedAt ?? ((base?.remoteData as { lastModifiedDateTime?: string } | undefined)?.lastModifiedDateTime ?? null);
  let current = await readCurrent(client, remoteId);
  if (!etag) etag = current['@odata.etag']; // no base version given: the current one is the base
  const orderPath = companyPath(companyId, `purchaseOrders(${id})`);
  try {
    const header = headerBody(record);
    if (Object.keys(header).length > 0) {
      await client.http.request({ method: 'PATCH', path: orderPath, body: header, headers: { 'if-match': etag! }, retries: 0 });
      // The lines' own ETags as they are now (the header change may have re-stamped them).
      if (Array.isArray(record.lines) && record.lines.length > 0) current = await readCurrent(client, remoteId);
    } else if (current['@odata.etag'] !== etag) {
      return await conflict(client, remoteId, etag, yourTimestamp);
    }
    for (const line of (record.lines as Input[] | undefined) ?? []) {
      const existing: BcPurchaseOrderLine | undefined = current.purchaseOrderLines?.find((candidate) => candidate.sequence === line.line_number);
      const body = lineBody(line);
      if (existing) {
        const { sequence: _sequence, ...changes } = body;
        await client.http.request({ method: 'PATCH', path: `${orderPath}/purchaseOrderLines(${existing.id})`, body: changes, headers: { 'if-match': existing['@odata.etag'] ?? '*' }, retries: 0 });
      } else {
        await client.http.request({ method: 'POST', path: `${orderPath}/purchaseOrderLines`, body, retries: 0 });
      }
    }
  } catch (error) {
    if (isConnectorError(error) && error.kind === 'conflict') return conflict(client, remoteId, etag, yourTimestamp, error);
    throw withFieldErrors(error, record);
  }
  const raw = await purchaseOrdersStream.fetchOne!(client, remoteId);
  return { remoteId, ...(raw ? { raw } : {}) };
}

export const purchaseOrderWrites: WriteOperations<BcClient, 'purchase_order'> = {
  validate: validatePurchaseOrder,
  create,
  update,
};
