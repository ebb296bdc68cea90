import type { ConnectorDefinition, StreamDefinition } from '../../connectors/sdk/types.js';
import type { ClickHouse } from '../../platform/clickhouse.js';
import { createLogger } from '../../platform/logger.js';
import type { EntityName } from '../../schemas/entities.js';
import { parseUnifiedRecord, recordId } from '../../schemas/index.js';
import { insertRecords } from './record-rows.js';

/**
 * A source record as Millrace would have stored it after a sync, for write tests: read from the
 * running sandbox through the connector's own client and stream (`fetchOne`), mapped by the
 * connector's mapper, given the transformer's envelope (remote_data = the raw record) and
 * inserted into ClickHouse the way the sink writes it. Only Kafka is skipped, so an update's
 * base version is exactly the one a real sync would have left.
 */
export interface StoredImage {
  record: Record<string, unknown>;
  raw: unknown;
}

export async function storeSourceImage(
  clickhouse: ClickHouse,
  connector: ConnectorDefinition,
  config: Record<string, unknown>,
  connectionId: string,
  entity: EntityName,
  remoteId: string,
): Promise<StoredImage> {
  const logger = createLogger({ level: 'silent' });
  const client = await connector.connect({ connectionId, config: connector.configSchema.parse(config), logger, saveCredentials: async () => undefined });
  try {
    const stream = connector.streams.find((candidate) => candidate.entity === entity && candidate.fetchOne) as StreamDefinition<unknown, unknown, unknown> | undefined;
    if (!stream) throw new Error(`the ${connector.id} connector cannot read one ${entity}`);
    const raw = await stream.fetchOne!(client, remoteId);
    if (!raw) throw new Error(`${connector.id} has no ${entity} ${remoteId}`);
    const mapped = stream.map(raw, { connectionId, sourceSystem: connector.id, idFor: (target, remote) => recordId(connectionId, target, remote) }) as unknown as Record<string, unknown>;
    const record = parseUnifiedRecord(entity, {
      ...mapped,
      id: recordId(connectionId, entity, String(mapped.remote_id)),
      connection_id: connectionId,
      source_system: connector.id,
      remote_data: JSON.stringify(raw),
      synced_at: new Date().toISOString(),
      version: String(Date.now() * 1000),
    }) as unknown as Record<string, unknown>;
    await insertRecords(clickhouse, entity, [record]);
    return { record, raw };
  } finally {
    await connector.close?.(client);
  }
}
