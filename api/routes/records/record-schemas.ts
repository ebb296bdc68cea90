import { z } from 'zod';
import { ENTITY_PLURALS, type EntityName } from '../../../schemas/entities.js';
import { entityModels, unifiedRecordSchema } from '../../../schemas/index.js';
import { apiSchemas } from '../../openapi.js';
import { expandableRelations } from '../../reads/expand.js';
import { filterableColumns } from '../../reads/record-store.js';
import { queryFlag } from '../../schemas/common.js';

/**
 * Schemas of the unified record routes, derived from the model: the record as the API answers
 * it (remote_data parsed, expansions beside their ids) and the list query with the filters the
 * entity supports. The records themselves are serialized without re-validation (they were
 * validated before they were stored; see reads/row-reader.ts), so these schemas document.
 */

/** `/v1/purchase-orders`: the plural with dashes (the underscore spelling is accepted too). */
export function entityPath(entity: EntityName): string {
  return `/v1/${ENTITY_PLURALS[entity].replace(/_/g, '-')}`;
}

const recordSchemas = new Map<EntityName, z.ZodType>();

export function apiRecordSchema(entity: EntityName): z.ZodType {
  let schema = recordSchemas.get(entity);
  if (schema) return schema;
  const base = unifiedRecordSchema(entity) as unknown as z.ZodObject;
  const expansions = Object.fromEntries(
    expandableRelations(entity)
      .filter((relation) => relation.parent === null)
      .map((relation) => [relation.key, z.lazy(() => apiRecordSchema(relation.target)).nullable().optional().describe(`With expand=${relation.name}: the ${relation.target} ${relation.idField} points to (null when not synced).`)]),
  );
  schema = base
    .extend({
      remote_data: z.unknown().optional().describe('With include_remote_data=true: the source\'s raw record, parsed.'),
      ...expansions,
    })
    .describe(entityModels[entity].doc)
    .register(apiSchemas, { id: entityModels[entity].name });
  recordSchemas.set(entity, schema);
  return schema;
}

export function listResponseSchema(entity: EntityName) {
  return z.object({
    data: z.array(apiRecordSchema(entity)),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  });
}

export function expandParam(entity: EntityName) {
  const names = expandableRelations(entity).map((relation) => relation.name);
  return z
    .string()
    .max(500)
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean))
    .refine((list) => list.every((name) => names.includes(name)), { error: `each expansion must be one of: ${names.join(', ') || '(none for this entity)'}` })
    .optional()
    .describe(`Related records to include, comma separated: ${names.join(', ') || 'none'}.`);
}

function filterSchema(entity: EntityName, column: string): z.ZodType {
  const field = entityModels[entity].fields.find((candidate) => candidate.name === column)!;
  if (field.type.kind === 'enum') return z.enum(field.type.enum.values.map((value) => value.value) as [string, ...string[]]).optional().describe(`Only records with this ${column}.`);
  if (field.type.kind === 'id') return z.uuid().optional().describe(`Only records with this ${column} (a Millrace id).`);
  return z.string().min(1).max(500).optional().describe(`Only records with this ${column}.`);
}

export function listQuerySchema(entity: EntityName) {
  const filters = Object.fromEntries(filterableColumns(entity).map((column) => [column, filterSchema(entity, column)]));
  return z.strictObject({
    limit: z.coerce.number().int().min(1).max(500).default(100).describe('Records per page, 1–500.'),
    cursor: z.string().min(1).max(2000).optional().describe('`next_cursor` of the previous page.'),
    modified_after: z.iso.datetime({ offset: true }).optional().describe('Only records whose image changed in Millrace after this instant (synced_at): for incremental reads.'),
    include_deleted: queryFlag('Include records deleted in the source (is_deleted = true); default false.'),
    include_remote_data: queryFlag('Include the raw source record of each record; default false.'),
    connection_id: z.string().min(1).max(200).optional().describe('Only records of this connection.'),
    expand: expandParam(entity),
    ...filters,
  });
}

export function getQuerySchema(entity: EntityName) {
  return z.strictObject({
    include_remote_data: queryFlag('Include the raw source record; default false.'),
    expand: expandParam(entity),
  });
}
