import { isEntityName, type EntityName } from '../../schemas/entities.js';
import { entityModels, type FieldDef } from '../../schemas/index.js';
import type { RecordStore } from './record-store.js';

/**
 * `expand=vendor,lines.item`: related records put beside their id (`vendor_id` → `vendor`,
 * `lines[i].item_id` → `lines[i].item`), resolved with one query per relation for the whole
 * page. The relations come from the model (every id field that references a synced entity), so
 * a new reference is expandable without touching the API. References stay inside one
 * connection; an id whose record is not (yet) synced expands to null.
 */
export interface Relation {
  /** `vendor`, `lines.item`. */
  name: string;
  /** The list field holding the reference, for nested ones (`lines`). */
  parent: string | null;
  /** The id field: `vendor_id`, `item_id`. */
  idField: string;
  /** Where the expanded record goes: `vendor`, `item`. */
  key: string;
  target: EntityName;
}

function referenceOf(field: FieldDef): EntityName | null {
  if (field.type.kind !== 'id' || !field.type.references) return null;
  return isEntityName(field.type.references) ? field.type.references : null;
}

function relationsOf(fields: FieldDef[], parent: string | null): Relation[] {
  return fields.flatMap((field): Relation[] => {
    const target = referenceOf(field);
    if (target && field.name.endsWith('_id')) {
      const key = field.name.slice(0, -'_id'.length);
      return [{ name: parent ? `${parent}.${key}` : key, parent, idField: field.name, key, target }];
    }
    if (parent === null && field.type.kind === 'records') return relationsOf(field.type.record.fields, field.name);
    return [];
  });
}

const cache = new Map<EntityName, Relation[]>();

export function expandableRelations(entity: EntityName): Relation[] {
  let relations = cache.get(entity);
  if (!relations) {
    relations = relationsOf(entityModels[entity].fields, null).filter((relation) => relation.name !== 'id');
    cache.set(entity, relations);
  }
  return relations;
}

type Row = Record<string, unknown>;

/** Adds the requested expansions to `records` in place. */
export async function expandRecords(store: RecordStore, connectionIds: string[], entity: EntityName, records: Row[], names: string[]): Promise<void> {
  const relations = expandableRelations(entity).filter((relation) => names.includes(relation.name));
  await Promise.all(relations.map((relation) => expandRelation(store, connectionIds, records, relation)));
}

async function expandRelation(store: RecordStore, connectionIds: string[], records: Row[], relation: Relation): Promise<void> {
  const holders = records.flatMap((record) => (relation.parent ? ((record[relation.parent] as Row[] | undefined) ?? []) : [record]));
  const ids = [...new Set(holders.map((holder) => holder[relation.idField]).filter((id): id is string => typeof id === 'string'))];
  const found = await store.byIds(relation.target, connectionIds, ids);
  const byId = new Map(found.map((row) => [row.id as string, row]));
  for (const holder of holders) {
    const id = holder[relation.idField];
    holder[relation.key] = typeof id === 'string' ? (byId.get(id) ?? null) : null;
  }
}
