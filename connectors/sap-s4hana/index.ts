import { ConnectorError, isConnectorError } from '../sdk/errors.js';
import type { ConnectorDefinition, PassthroughDefinition, PassthroughResponse } from '../sdk/types.js';
import { createSapClient, SapClient } from './client.js';
import { sapConfigSchema, type SapConfig } from './config.js';
import { PROBES, SERVICES } from './services.js';
import { assetsStream } from './streams/assets.js';
import { inventoryItemsStream } from './streams/inventory-items.js';
import { purchaseOrdersStream } from './streams/purchase-orders.js';
import { vendorsStream } from './streams/vendors.js';
import { workOrdersStream } from './streams/work-orders.js';
import { purchaseOrderWrites } from './writes/purchase-order-writes.js';
import { workOrderWrites } from './writes/work-order-writes.js';

/**
 * SAP S/4HANA (Cloud and on-premise) through its OData V2 APIs: purchase orders, maintenance
 * orders, equipment, suppliers and products with stock. See README.md for set-up and mappings.
 */

/** One cheap read per service; the first failure says which service and what to fix. */
async function testConnection(client: SapClient): Promise<void> {
  for (const probe of PROBES) {
    try {
      await client.collection(probe.service, probe.entitySet, { $top: 1, $select: probe.key });
    } catch (error) {
      if (!isConnectorError(error)) throw error;
      if (error.kind === 'auth' || error.kind === 'unavailable' || error.kind === 'config') throw error;
      const fix =
        error.kind === 'permission'
          ? `the communication arrangement of this user does not include ${probe.service}; add the communication scenario that contains it`
          : error.kind === 'not_found'
            ? `${probe.service} is not active on this system; activate the service (on-premise: /IWFND/MAINT_SERVICE) or check the base URL`
            : `reading ${probe.service}/${probe.entitySet} failed`;
      throw new ConnectorError(error.kind, `${fix} (${error.message})`, {
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.sourceCode ? { sourceCode: error.sourceCode } : {}),
        ...(error.sourceMessage ? { sourceMessage: error.sourceMessage } : {}),
        details: { service: probe.service },
        cause: error,
      });
    }
  }
}

const READ_SERVICES = Object.values(SERVICES);

const passthrough: PassthroughDefinition<SapClient> = {
  allow: [
    ...READ_SERVICES.map((service) => ({ method: 'GET' as const, path: `${service}/**` })),
    { method: 'POST', path: `${SERVICES.purchaseOrder}/**` },
    { method: 'PATCH', path: `${SERVICES.purchaseOrder}/**` },
    { method: 'POST', path: `${SERVICES.maintenanceOrder}/**` },
    { method: 'PATCH', path: `${SERVICES.maintenanceOrder}/**` },
  ],
  async request(client, request): Promise<PassthroughResponse> {
    const service = request.path.split('/')[0] ?? '';
    const response =
      request.method === 'GET'
        ? await client.http.request({ path: request.path, query: { ...client.clientQuery(), ...request.query } })
        : await client.csrf.write(`${service}/`, {
            method: request.method,
            path: request.path,
            ...(request.query ? { query: request.query } : {}),
            body: request.body,
            headers: { 'content-type': 'application/json' },
          });
    return { status: response.status, headers: response.headers, body: response.body };
  },
};

export const sapS4hanaConnector: ConnectorDefinition<SapConfig, SapClient> = {
  id: 'sap_s4hana',
  displayName: 'SAP S/4HANA',
  authKinds: ['basic', 'oauth2_client_credentials'],
  configSchema: sapConfigSchema,
  connect: (ctx) => createSapClient(ctx),
  close: (client) => client.close(),
  testConnection,
  streams: [purchaseOrdersStream, workOrdersStream, inventoryItemsStream, vendorsStream, assetsStream],
  writes: { purchase_order: purchaseOrderWrites, work_order: workOrderWrites },
  passthrough,
};

export default sapS4hanaConnector;
