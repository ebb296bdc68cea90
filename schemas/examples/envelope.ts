import type { EntityName } from '../entities.js';
import { recordId } from '../ids.js';

/** The example connection every example record belongs to. */
export const EXAMPLE_CONNECTION = 'conn_sap_demo';

export function exampleId(entity: Parameters<typeof recordId>[1], remoteId: string): string {
  return recordId(EXAMPLE_CONNECTION, entity, remoteId);
}

/** Envelope of an example record: what the transformer and the mapper put around every entity. */
export function exampleEnvelope(entity: EntityName, remoteId: string, sourceSystem: string, displayValue: string, raw: unknown) {
  return {
    id: exampleId(entity, remoteId),
    connection_id: EXAMPLE_CONNECTION,
    source_system: sourceSystem,
    remote_id: remoteId,
    display_value: displayValue,
    remote_created_at: '2024-03-04T08:15:30.000Z',
    remote_updated_at: '2024-05-01T10:00:00.123Z',
    remote_deleted_at: null,
    is_deleted: false,
    remote_data: JSON.stringify(raw),
    synced_at: '2024-05-01T10:00:05.000Z',
    version: '1714557605000123',
  };
}
