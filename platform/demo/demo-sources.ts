import { startBcSandbox, sandboxConnectionConfig as bcConnectionConfig } from '../../connectors/dynamics-business-central/sandbox/index.js';
import { startNetSuiteSandbox } from '../../connectors/netsuite/sandbox/index.js';
import { startSapSandbox } from '../../connectors/sap-s4hana/sandbox/index.js';

/**
 * The demo's source systems: every connector's sandbox (a faithful simulator of the vendor's
 * API) on loopback, seeded with the same demo data at every start. This file and the rest of
 * platform/demo/ are the only product code allowed to import sandboxes (scripts/lint.ts).
 *
 * Sandboxes keep their data in memory: records written through the API during one run are gone
 * from the source after a restart (Millrace's copy in ClickHouse keeps them).
 */
export interface DemoSource {
  system: string;
  name: string;
  url: string;
  /** The connection config that reaches this sandbox (secrets included). */
  config: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Started in this order on `basePort`, `basePort + 1`, `basePort + 2` (0: free ports). */
export async function startDemoSources(basePort: number): Promise<DemoSource[]> {
  const port = (offset: number) => (basePort === 0 ? 0 : basePort + offset);
  const sources: DemoSource[] = [];
  try {
    const sap = await startSapSandbox({ port: port(0), seed: 7, size: 100, sizes: { maintenanceOrders: 60, equipment: 60, businessPartners: 40, products: 60 } });
    sources.push({
      system: 'sap_s4hana',
      name: 'Demo SAP S/4HANA',
      url: sap.baseUrl,
      config: { baseUrl: sap.baseUrl, username: sap.credentials.username, password: sap.credentials.password },
      stop: () => sap.close(),
    });
    const netsuite = await startNetSuiteSandbox({ port: port(1), seed: 7, size: 100 });
    sources.push({ system: 'netsuite', name: 'Demo NetSuite', url: netsuite.url, config: netsuite.connectionConfig, stop: () => netsuite.running.close() });
    const bc = await startBcSandbox({ port: port(2), seed: 7, size: 100 });
    sources.push({ system: 'dynamics365_business_central', name: 'Demo Business Central', url: bc.apiBaseUrl, config: bcConnectionConfig(bc), stop: () => bc.server.close() });
    return sources;
  } catch (error) {
    await Promise.allSettled(sources.map((source) => source.stop()));
    throw error;
  }
}
