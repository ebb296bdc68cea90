import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { runSandbox } from '../../sandbox-kit/server.js';
import { isConnectorError, type ConnectorError } from '../../sdk/errors.js';
import { SapClient } from '../client.js';
import { sapConfigSchema } from '../config.js';
import { keyPredicate } from '../odata/values.js';
import { createSapSandbox, SANDBOX_CREDENTIALS, type SapSandbox } from '../sandbox/index.js';
import { SERVICES } from '../services.js';
import { purchaseOrdersStream } from '../streams/purchase-orders.js';
import { workOrdersStream } from '../streams/work-orders.js';
import { purchaseOrderWrites } from './purchase-order-writes.js';
import { workOrderWrites } from './work-order-writes.js';
import { connectorFailure } from '../../sdk/testing/connector-failure.js';

/**
 * Entity types with a concurrency token (the sandbox's `concurrencyTokens`): SAP serves an ETag
 * and refuses changes without `If-Match` (428) or with a stale one (412). The connector sends the
 * ETag of the version it checked, and a change that lands between its read and its write is
 * reported as the same conflict as a stale base.
 */
const logger = createLogger({ level: 'silent' });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(onSend?: (sandbox: SapSandbox, method: string, url: string) => void): Promise<{ sandbox: SapSandbox; client: SapClient }> {
  const sandbox = createSapSandbox({ size: 8, concurrencyTokens: ['A_PurchaseOrder', 'MaintenanceOrder'] });
  // onSend: the answer is already serialized, and the change is made before the client can act on it.
  if (onSend) {
    sandbox.app.addHook('onSend', async (request, _reply, payload) => {
      onSend(sandbox, request.method, request.url);
      return payload;
    });
  }
  const running = await runSandbox(sandbox.app, {});
  const client = new SapClient(sapConfigSchema.parse({ baseUrl: running.url, username: SANDBOX_CREDENTIALS.username, password: SANDBOX_CREDENTIALS.password }), logger, { retry: { retries: 0 } });
  closers.push(async () => {
    await client.close();
    await running.close();
  });
  return { sandbox, client };
}

const etag = (record: unknown) => (record as { __metadata: { etag: string } }).__metadata.etag;

describe('SAP updates of entities with an ETag', () => {
  it('SAP refuses a change without If-Match (428); the connector sends the ETag and the change is made', async () => {
    const { sandbox, client } = await start();
    const order = `A_PurchaseOrder${keyPredicate({ PurchaseOrder: '4500000002' })}`;
    const bare = await connectorFailure(client.write(SERVICES.purchaseOrder, 'PATCH', order, { PaymentTerms: '0004' }));
    expect(bare).toMatchObject({ kind: 'conflict', status: 428 });
    const seen = (await purchaseOrdersStream.fetchOne!(client, '4500000002'))!;
    expect(etag(seen)).toMatch(/^W\/"/);
    await purchaseOrderWrites.update!(client, '4500000002', { payment_terms: '0004' }, { logger, baseVersion: { remoteData: seen, remoteUpdatedAt: null } });
    expect(sandbox.control.purchaseOrder('4500000002')!.PaymentTerms).toBe('0004');
    const after = (await purchaseOrdersStream.fetchOne!(client, '4500000002'))!;
    expect(etag(after)).not.toBe(etag(seen));
  });

  it('refuses a base whose ETag is not the current one, naming both, without writing', async () => {
    const { sandbox, client } = await start();
    const seen = (await workOrdersStream.fetchOne!(client, '4000002'))!;
    sandbox.control.updateMaintenanceOrder('4000002', { MaintenanceOrderDesc: 'Changed in SAP' });
    const current = (await workOrdersStream.fetchOne!(client, '4000002'))!;
    const patches = () => sandbox.state.requestLog.filter((entry) => entry.method === 'PATCH').length;
    const error = await connectorFailure(workOrderWrites.update!(client, '4000002', { title: 'Mine' } as never, { logger, baseVersion: { remoteData: seen, remoteUpdatedAt: null } }));
    expect(error).toMatchObject({ kind: 'conflict', status: 409, details: { your_etag: etag(seen), current_etag: etag(current) } });
    expect(patches()).toBe(0);
    expect(sandbox.state.tenant.maintenanceOrders.get('4000002')).toMatchObject({ MaintenanceOrderDesc: 'Changed in SAP' });
  });

  it('a change landing between the check and the PATCH is SAP\'s 412, reported as a conflict with the new version', async () => {
    let changed = false;
    const { sandbox, client } = await start((box, method, url) => {
      // Another user saves the order right after the connector has read it.
      if (!changed && method === 'GET' && url.includes("A_PurchaseOrder('4500000003')")) {
        changed = true;
        box.control.updatePurchaseOrder('4500000003', { PaymentTerms: '0001' });
      }
    });
    const seen = structuredClone(sandbox.control.purchaseOrder('4500000003')!);
    const base = { LastChangeDateTime: `/Date(${Math.floor(Number(seen.LastChangeDateTime) / 1000)}+0000)/`, __metadata: { etag: `W/"'${String(seen.LastChangeDateTime)}'"` } };
    const error = await connectorFailure(purchaseOrderWrites.update!(client, '4500000003', { payment_terms: '0004' }, { logger, baseVersion: { remoteData: base, remoteUpdatedAt: null } }));
    const now = sandbox.control.purchaseOrder('4500000003')!;
    expect(error).toMatchObject({ kind: 'conflict', status: 409, details: { current_version_timestamp: new Date(Math.floor(Number(now.LastChangeDateTime) / 1000)).toISOString() } });
    expect(isConnectorError(error.cause) && error.cause.status).toBe(412);
    expect(now.PaymentTerms).toBe('0001');
  });
});
