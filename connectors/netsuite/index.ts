import { ConnectorError, isConnectorError } from '../sdk/errors.js';
import type { ConnectorDefinition, PassthroughDefinition } from '../sdk/types.js';
import { NetSuiteClient } from './client.js';
import { netsuiteConfigSchema, type NetSuiteConfig } from './config.js';
import { inventoryItemsStream } from './streams/inventory-items.js';
import { purchaseOrdersStream } from './streams/purchase-orders.js';
import { vendorsStream } from './streams/vendors.js';
import { purchaseOrderWrites } from './writes/purchase-orders.js';

/**
 * Oracle NetSuite over SuiteTalk REST web services: purchase orders (with item lines), vendors
 * and inventory items (with stock per location), discovered through SuiteQL and read through the
 * record service; deletions from the deleted-record log; purchase order create (idempotent) and
 * update. Token-based authentication or OAuth 2.0 client credentials. See README.md.
 */
async function testConnection(client: NetSuiteClient): Promise<void> {
  try {
    // The record service and SuiteQL are separate permissions of the role; a sync needs both.
    await client.http.json({ path: 'record/v1/purchaseOrder', query: { limit: 1 } });
    await client.suiteql("SELECT id FROM transaction WHERE type = 'PurchOrd'", { limit: 1, offset: 0 });
  } catch (error) {
    if (isConnectorError(error) && error.kind === 'not_found') {
      throw new ConnectorError('config', `NetSuite answered 404 at ${client.baseUrl}: check the account id (${client.config.accountId}) and that REST web services are enabled (Setup > Company > Enable Features > SuiteCloud)`, { cause: error });
    }
    throw error;
  }
}

/** Read-only access to the record service and SuiteQL for what the unified model does not cover. */
const passthrough: PassthroughDefinition<NetSuiteClient> = {
  allow: [
    { method: 'GET', path: 'services/rest/record/v1/**' },
    { method: 'POST', path: 'services/rest/query/v1/suiteql' },
  ],
  async request(client, request) {
    const path = request.path.replace(/^\/?services\/rest\//, '');
    try {
      const response = await client.http.request({
        method: request.method,
        path,
        ...(request.query ? { query: request.query } : {}),
        // SuiteQL requires Prefer: transient; nothing else from the caller is forwarded.
        ...(path.startsWith('query/') ? { headers: { prefer: 'transient' } } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      return { status: response.status, headers: response.headers, body: response.body };
    } catch (error) {
      if (!isConnectorError(error) || error.status === undefined) throw error;
      const body = {
        title: error.kind,
        status: error.status,
        'o:errorDetails': [{ detail: error.sourceMessage ?? error.message, 'o:errorCode': error.sourceCode ?? 'UNKNOWN' }],
      };
      return { status: error.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
    }
  },
};

export const netsuiteConnector: ConnectorDefinition<NetSuiteConfig, NetSuiteClient> = {
  id: 'netsuite',
  displayName: 'Oracle NetSuite',
  authKinds: ['oauth1_tba', 'oauth2_jwt_bearer'],
  configSchema: netsuiteConfigSchema,
  connect: (ctx) => new NetSuiteClient(ctx.config, ctx.logger),
  close: (client) => client.close(),
  testConnection,
  streams: [purchaseOrdersStream, vendorsStream, inventoryItemsStream],
  writes: { purchase_order: purchaseOrderWrites },
  passthrough,
};

export default netsuiteConnector;
