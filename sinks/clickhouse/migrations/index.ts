import { entityTables } from './0001-entity-tables.js';
import { rawRecords } from './0002-raw-records.js';
import { eventsAndSyncRuns } from './0003-events-and-sync-runs.js';
import { deadLetters } from './0004-dead-letters.js';
import { webhookDeliveryLog } from './0005-webhook-delivery-log.js';
import { recordImages } from './0006-record-images.js';
import type { Migration } from './migration.js';

/** Every migration, in version order. A new one is a new file and one line here; none is ever edited. */
export const MIGRATIONS: readonly Migration[] = [entityTables, rawRecords, eventsAndSyncRuns, deadLetters, webhookDeliveryLog, recordImages];

export type { Migration } from './migration.js';
export { viewStatements, latestViewName } from './views.js';
export { reconcileEntityColumns, type ColumnChanges } from './entity-columns.js';
