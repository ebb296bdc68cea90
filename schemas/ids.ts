import { v5 as uuidv5 } from 'uuid';
import type { ReferenceTarget } from './model/field.js';

/**
 * Millrace's record ids are deterministic: UUID v5 in Millrace's namespace over the JSON text of
 * [connection_id, entity, remote_id]. The same source record always gets the same id, on every
 * worker and after every replay, and mappers compute the ids of referenced records (vendor_id,
 * location_id …) without a lookup. The JSON array keeps the three parts unambiguous whatever
 * characters they contain.
 */
export const MILLRACE_ID_NAMESPACE = '6f1d4bb2-5a4e-4c1b-9d57-2b6f0e8f1c3a';

export function recordId(connectionId: string, entity: ReferenceTarget, remoteId: string): string {
  if (!connectionId) throw new Error('recordId: connectionId is empty');
  if (!remoteId) throw new Error(`recordId: remoteId is empty (entity ${entity}, connection ${connectionId})`);
  return uuidv5(JSON.stringify([connectionId, entity, remoteId]), MILLRACE_ID_NAMESPACE);
}
