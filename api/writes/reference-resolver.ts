import { ENTITY_PLURALS, type EntityName } from '../../schemas/entities.js';
import type { WritableEntityName } from '../../schemas/index.js';
import { expandableRelations, type Relation } from '../reads/expand.js';
import type { RecordStore } from '../reads/record-store.js';
import { ApiError, type ErrorIssue } from '../errors.js';

/**
 * Millrace ids in a write's input (`vendor_id`, `lines[2].item_id`, `asset_id`) → the source's
 * keys the connector needs (`vendor_remote_id`, `lines[2].item_remote_id`, `asset_remote_id`).
 *
 * Connectors speak only their source's keys, and a Millrace id cannot be turned back into one
 * (it is a UUID v5 hash of connection, entity and remote id), so each id is looked up in
 * ClickHouse among the records of the write's own connection. An id that is unknown, belongs to
 * another connection or has not been synced yet is refused with its field path before anything
 * reaches the source. The references come from the model (every id field whose target is a synced
 * entity, the same relations `expand` uses); ids of things Millrace does not sync (locations,
 * users) are left to the connector's rules, which ask for the remote id.
 */
type Row = Record<string, unknown>;

interface Reference {
  relation: Relation;
  holder: Row;
  /** Dot path in the input: `vendor_id`, `lines.2.item_id`. */
  path: string;
  id: string;
}

const remoteField = (relation: Relation) => `${relation.key}_remote_id`;

function referencesIn(entity: EntityName, input: Row): Reference[] {
  const found: Reference[] = [];
  for (const relation of expandableRelations(entity)) {
    const holders: [Row, string][] = relation.parent
      ? (Array.isArray(input[relation.parent]) ? (input[relation.parent] as Row[]) : []).map((row, index) => [row, `${relation.parent}.${index}.`])
      : [[input, '']];
    for (const [holder, prefix] of holders) {
      const id = holder?.[relation.idField];
      if (typeof id === 'string' && id !== '') found.push({ relation, holder, path: `${prefix}${relation.idField}`, id });
    }
  }
  return found;
}

/** A copy of the input whose list rows can be changed without touching the caller's object. */
function copyOf(input: Row): Row {
  return Object.fromEntries(Object.entries(input).map(([name, value]) => [name, Array.isArray(value) ? value.map((row) => (row && typeof row === 'object' ? { ...(row as Row) } : row)) : value]));
}

/**
 * The input with every Millrace id's remote id filled in beside it (the id itself stays). Throws
 * `reference_not_found` (422) naming each field path that does not resolve, or whose remote id
 * given beside it names another record.
 */
export async function resolveReferences(store: RecordStore, entity: WritableEntityName, connectionId: string, input: Row): Promise<Row> {
  const resolved = copyOf(input);
  const references = referencesIn(entity, resolved);
  if (references.length === 0) return resolved;
  const byTarget = new Map<EntityName, Map<string, Row>>();
  await Promise.all(
    [...new Set(references.map((reference) => reference.relation.target))].map(async (target) => {
      const ids = [...new Set(references.filter((reference) => reference.relation.target === target).map((reference) => reference.id))];
      const rows = await store.byIds(target, [connectionId], ids);
      byTarget.set(target, new Map(rows.map((row) => [String(row.id), row])));
    }),
  );
  const issues: ErrorIssue[] = [];
  for (const reference of references) {
    const { relation, holder, path, id } = reference;
    const row = byTarget.get(relation.target)?.get(id);
    if (!row) {
      issues.push({
        path: `body.${path}`,
        message: `no ${relation.target} ${id} in connection ${connectionId}: the id is unknown, belongs to another connection, or its record has not been synced yet (GET /v1/${ENTITY_PLURALS[relation.target].replace(/_/g, '-')}?connection_id=${connectionId} lists them); or give ${remoteField(relation)}, the source's own key`,
      });
      continue;
    }
    const remoteId = String(row.remote_id);
    const given = holder[remoteField(relation)];
    if (given !== undefined && given !== null && given !== remoteId) {
      issues.push({ path: `body.${path}`, message: `names ${relation.target} ${remoteId} in the source, but ${remoteField(relation)} says ${String(given)}; give one of them` });
      continue;
    }
    holder[remoteField(relation)] = remoteId;
  }
  if (issues.length > 0) {
    throw new ApiError('reference_not_found', `The write refers to records that do not resolve in connection ${connectionId}: ${issues.map((issue) => issue.path).join(', ')}.`, { issues });
  }
  return resolved;
}
