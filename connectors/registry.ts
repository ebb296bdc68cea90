import { businessCentralConnector } from './dynamics-business-central/index.js';
import { netsuiteConnector } from './netsuite/index.js';
import { sapS4hanaConnector } from './sap-s4hana/index.js';
import type { ConnectorDefinition } from './sdk/types.js';

/**
 * Every connector Millrace ships, by id. Adding a system: one import and one line here.
 * Explicit on purpose: no loading by naming convention, where a failed load drops a connector silently.
 */
export const connectors: readonly ConnectorDefinition[] = [
  businessCentralConnector,
  netsuiteConnector,
  sapS4hanaConnector,
];

export function connectorById(id: string): ConnectorDefinition | undefined {
  return connectors.find((connector) => connector.id === id);
}
