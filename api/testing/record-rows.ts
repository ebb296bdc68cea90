import type { ClickHouse } from '../../platform/clickhouse.js';
import { RECORD_IMAGE_COLUMN, recordImageJson } from '../../schemas/clickhouse/record-image.js';
import { ENTITY_PLURALS, type EntityName } from '../../schemas/entities.js';
import { exampleRecord, parseUnifiedRecord, recordId, toClickHouseRow } from '../../schemas/index.js';

/**
 * Unified records for read tests, written straight into ClickHouse the way the sink writes them
 * (toClickHouseRow of a parsed record, and its image): the example record of the entity, re-keyed to a
 * connection and remote id, with overrides. References (vendor_id, lines[].item_id) are ids of
 * the same connection, as mappers compute them.
 */
export function unifiedRecord(entity: EntityName, connectionId: string, remoteId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const example = exampleRecord(entity) as unknown as Record<string, unknown>;
  const record: Record<string, unknown> = {
    ...example,
    id: recordId(connectionId, entity, remoteId),
    connection_id: connectionId,
    remote_id: remoteId,
    remote_data: JSON.stringify({ id: remoteId, note: `raw ${remoteId}` }),
    ...overrides,
  };
  if (entity === 'purchase_order') {
    const vendorRemote = (overrides.vendor_remote_id as string | undefined) ?? 'V1';
    record.vendor_remote_id = vendorRemote;
    record.vendor_id = recordId(connectionId, 'vendor', vendorRemote);
    record.lines = ((overrides.lines as Record<string, unknown>[] | undefined) ?? (example.lines as Record<string, unknown>[])).map((line) => ({
      ...line,
      item_id: line.item_remote_id ? recordId(connectionId, 'inventory_item', line.item_remote_id as string) : null,
    }));
  }
  return parseUnifiedRecord(entity, record) as unknown as Record<string, unknown>;
}

/**
 * Rows as the sink writes them, with the record's API image (record_json); `withImage: false`
 * writes them as releases before migration 0006 did, so the API reads their fields.
 */
export async function insertRecords(clickhouse: ClickHouse, entity: EntityName, records: Record<string, unknown>[], options: { withImage?: boolean } = {}): Promise<void> {
  if (records.length === 0) return;
  const withImage = options.withImage ?? true;
  await clickhouse.client.insert({
    table: ENTITY_PLURALS[entity],
    values: records.map((record) => ({ ...toClickHouseRow(entity, record as never), ...(withImage ? { [RECORD_IMAGE_COLUMN]: recordImageJson(entity, record) } : {}) })),
    format: 'JSONEachRow',
  });
}
