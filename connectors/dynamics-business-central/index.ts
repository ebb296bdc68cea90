import { ConnectorError, isConnectorError } from '../sdk/errors.js';
import type { ConnectorDefinition, PassthroughDefinition } from '../sdk/types.js';
import { companyPath, createBcClient, type BcClient } from './client.js';
import { bcConfigSchema, type BcConfig } from './config.js';
import type { BcCompany } from './raw-types.js';
import { itemsStream } from './streams/items.js';
import { purchaseOrdersStream } from './streams/purchase-orders.js';
import { vendorsStream } from './streams/vendors.js';
import { purchaseOrderWrites } from './writes/purchase-order-writes.js';

/**
 * Microsoft Dynamics 365 Business Central (online), standard API v2.0: purchase orders with lines
 * (closed once invoiced), vendors and items with stock; create and update of purchase orders with
 * ETag concurrency. See README.md for set-up, coverage and the documented choices.
 */
async function testConnection(client: BcClient): Promise<void> {
  const companies: BcCompany[] = [];
  for await (const page of client.pages<BcCompany>('companies', {})) companies.push(...page);
  const known = new Set(companies.map((company) => company.id.toLowerCase()));
  const missing = client.config.companyIds.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new ConnectorError('config', `company ${missing.join(', ')} is not in environment "${client.config.environment}"; its companies are ${companies.map((company) => `${company.id} (${company.name})`).join(', ') || 'none the application may see'}`);
  }
  for (const companyId of await client.companyIds()) {
    // Reading one order proves the permission sets cover purchasing, not just the company list.
    await client.http.json({ path: companyPath(companyId, 'purchaseOrders'), query: { $top: 1, $select: 'id' } });
  }
}

const passthrough: PassthroughDefinition<BcClient> = {
  allow: [{ method: 'GET', path: '**' }],
  async request(client, request) {
    try {
      const response = await client.http.request({
        method: request.method,
        path: request.path,
        ...(request.query ? { query: request.query } : {}),
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(request.method === 'GET' ? {} : { retries: 0 }),
      });
      return { status: response.status, headers: response.headers, body: response.body };
    } catch (error) {
      if (!isConnectorError(error) || error.status === undefined) throw error;
      const body = JSON.stringify({ error: { code: error.sourceCode ?? 'Unknown', message: error.sourceMessage ?? error.message } });
      return { status: error.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
    }
  },
};

export const businessCentralConnector: ConnectorDefinition<BcConfig, BcClient> = {
  id: 'dynamics365_business_central',
  displayName: 'Microsoft Dynamics 365 Business Central',
  authKinds: ['oauth2_client_credentials'],
  configSchema: bcConfigSchema,
  connect: (ctx) => createBcClient(ctx.config, ctx.logger),
  close: (client) => client.close(),
  testConnection,
  streams: [purchaseOrdersStream, vendorsStream, itemsStream],
  writes: { purchase_order: purchaseOrderWrites },
  passthrough,
};

export default businessCentralConnector;
