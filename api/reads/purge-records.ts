import type { ClickHouse } from '../../platform/clickhouse.js';
import { ENTITY_NAMES, ENTITY_PLURALS } from '../../schemas/entities.js';
import { isMissingTable } from './clickhouse-errors.js';

/**
 * Removes a deleted connection's rows from every unified table (lightweight DELETE: the rows
 * vanish from reads at once, disk space is freed by later merges). Records still on their way
 * through the pipeline when the connection was deleted may land afterwards; purging again
 * removes them.
 */
export async function purgeConnectionRecords(clickhouse: ClickHouse, connectionId: string): Promise<void> {
  for (const entity of ENTITY_NAMES) {
    try {
      await clickhouse.client.command({ query: `DELETE FROM ${ENTITY_PLURALS[entity]} WHERE connection_id = {connection_id:String}`, query_params: { connection_id: connectionId } });
    } catch (error) {
      if (!isMissingTable(error)) throw error;
    }
  }
}
