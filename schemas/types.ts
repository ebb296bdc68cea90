/**
 * The TypeScript face of the model. The interfaces themselves are generated from schemas/model/
 * into generated/types.ts (with every field's meaning); these aliases select them by entity.
 */
import type { EntityName } from './entities.js';
import type { MappedRecordMap, UnifiedRecordMap, WriteInputMap } from './generated/types.js';
import type { WritableEntityName } from './validation/writable-entities.js';

/** A complete unified record of entity E, as unified topics, ClickHouse and the API carry it. */
export type UnifiedRecord<E extends EntityName> = UnifiedRecordMap[E];

/** What a connector's mapper returns for entity E: every unified field except the envelope the
 *  transformer fills (id, connection_id, source_system, version, synced_at, remote_data).
 *  Nullable fields may be left out (they become null; lists and maps empty; flags false). */
export type MappedRecord<E extends EntityName> = MappedRecordMap[E];

/** What the API accepts to create or update a record of E through a connector. */
export type WriteInput<E extends WritableEntityName, K extends 'create' | 'update'> = WriteInputMap[E][K];

export type * from './generated/types.js';
