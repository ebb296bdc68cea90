import type { Logger } from '../logger.js';
import type { ConnectionService } from '../../producers/connection-service.js';
import type { PublicConnection } from '../../producers/connection-public.js';
import type { DemoSource } from './demo-sources.js';

export const DEMO_OWNER = 'demo';

/**
 * One connection per demo source, owned by `demo`. Created on the first start; on later starts
 * the existing connection is kept (its cursors and records too) and only pointed at the
 * sandbox's current address when it moved (free ports, MILLRACE_DEMO_PORT=0).
 */
export async function ensureDemoConnections(service: ConnectionService, sources: DemoSource[], logger: Logger): Promise<PublicConnection[]> {
  const existing = service.list({ owner: DEMO_OWNER });
  const connections: PublicConnection[] = [];
  for (const source of sources) {
    const found = existing.find((connection) => connection.system === source.system && connection.name === source.name);
    if (!found) {
      connections.push(await service.create({ system: source.system, name: source.name, config: source.config, owner: DEMO_OWNER }));
      logger.info({ system: source.system }, 'demo connection created');
      continue;
    }
    const address = urlFields(source.config);
    const moved = Object.entries(address).some(([field, value]) => found.config[field] !== value);
    connections.push(moved ? await service.updateConfig(found.id, { config: address }, { owner: DEMO_OWNER }) : found);
  }
  return connections;
}

/** The config fields that hold the sandbox's address (baseUrl, apiBaseUrl, loginBaseUrl). */
function urlFields(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([field, value]) => /url$/i.test(field) && typeof value === 'string'));
}
