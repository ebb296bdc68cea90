// Public surface of the unified model. The model issue replaces the placeholder types below with
// types derived from the entity definitions in schemas/model/.
export { ENTITY_NAMES, ENTITY_PLURALS, isEntityName, type EntityName } from './entities.js';
import type { EntityName } from './entities.js';

/** What a connector's mapper returns for entity E: every unified field except the envelope the
 *  transformer fills (id, connection_id, source_system, version, synced_at, remote_data). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export type MappedRecord<E extends EntityName> = { remote_id: string } & Record<string, unknown>;
