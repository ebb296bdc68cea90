/**
 * zod validators of whole records, derived from the model:
 *  - unifiedRecordSchema(entity): a complete unified record (what unified topics, ClickHouse and
 *    the API carry);
 *  - mappedRecordSchema(entity): what a connector's mapper returns (no transformer envelope);
 *  - writeInputSchema(entity, 'create' | 'update'): what the API accepts for writes.
 * Parsing also canonicalizes (decimals, timestamps, empty addresses), so parse before encoding.
 */
import { z } from 'zod';
import type { EntityName } from '../entities.js';
import type { MappedRecordMap, UnifiedRecordMap, WriteInputMap } from '../generated/types.js';
import { entityModels, TRANSFORMER_FIELDS } from '../model/index.js';
import type { WritableEntityName } from './writable-entities.js';
import { safeParseCompiled } from './record-parser.js';
import { fieldInMode, fieldSchema, type SchemaMode } from './zod-fields.js';

export { WRITABLE_ENTITIES, type WritableEntityName } from './writable-entities.js';

export type UnifiedRecordSchema<E extends EntityName> = z.ZodType<UnifiedRecordMap[E], MappedRecordMap[E] & TransformerEnvelope>;
export type MappedRecordSchema<E extends EntityName> = z.ZodType<Omit<UnifiedRecordMap[E], TransformerField>, MappedRecordMap[E]>;
export type WriteInputSchema<E extends WritableEntityName, K extends 'create' | 'update'> = z.ZodType<WriteInputMap[E][K], WriteInputMap[E][K]>;

export type TransformerField = (typeof TRANSFORMER_FIELDS)[number];
export interface TransformerEnvelope {
  id: string;
  connection_id: string;
  source_system: string;
  remote_data: string;
  synced_at: string;
  version: string;
}

const cache = new Map<string, z.ZodType>();

function cached(key: string, build: () => z.ZodType): z.ZodType {
  let schema = cache.get(key);
  if (!schema) {
    schema = build();
    cache.set(key, schema);
  }
  return schema;
}

function entitySchema(entity: EntityName, mode: SchemaMode, omit: readonly string[] = []): z.ZodObject {
  const model = entityModels[entity];
  const shape: Record<string, z.ZodType> = {};
  for (const field of model.fields) {
    if (omit.includes(field.name) || !fieldInMode(field, mode, false)) continue;
    shape[field.name] = fieldSchema(field, mode);
  }
  return z.strictObject(shape).describe(model.doc);
}

export function unifiedRecordSchema<E extends EntityName>(entity: E): UnifiedRecordSchema<E> {
  return cached(`unified:${entity}`, () => entitySchema(entity, 'record')) as UnifiedRecordSchema<E>;
}

export function mappedRecordSchema<E extends EntityName>(entity: E): MappedRecordSchema<E> {
  return cached(`mapped:${entity}`, () => entitySchema(entity, 'record', TRANSFORMER_FIELDS)) as MappedRecordSchema<E>;
}

export function writeInputSchema<E extends WritableEntityName, K extends 'create' | 'update'>(entity: E, kind: K): WriteInputSchema<E, K> {
  return cached(`${kind}:${entity}`, () => {
    const object = entitySchema(entity, kind);
    const groups = kind === 'create' ? (entityModels[entity].createRequiresOneOf ?? []) : [];
    if (groups.length === 0) return object;
    return object.superRefine((value, ctx) => {
      for (const group of groups) {
        const given = group.some((name) => (value as Record<string, unknown>)[name] != null);
        if (!given) ctx.addIssue({ code: 'custom', path: [group[0]!], message: `one of ${group.join(', ')} is required` });
      }
    });
  }) as WriteInputSchema<E, K>;
}

export interface ValidationIssue {
  /** Dot path of the field, e.g. `lines.2.quantity`; empty for the record itself. */
  path: string;
  message: string;
}

/** zod issues → `{ path: 'lines.2.quantity', message }`, for dead letters and API errors. */
export function validationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Thrown by parseUnifiedRecord / parseMappedRecord; `issues` name every wrong field. */
export class RecordValidationError extends Error {
  readonly code = 'record_invalid';
  constructor(
    readonly entity: EntityName,
    readonly issues: ValidationIssue[],
  ) {
    super(`invalid ${entity}: ${issues.map((issue) => `${issue.path || '(record)'}: ${issue.message}`).join('; ')}`);
    this.name = 'RecordValidationError';
  }
}

/**
 * `unifiedRecordSchema(entity).safeParse(value)`, with the same result, several times faster on
 * records that are valid (record-parser.ts): what the transformer runs on every record.
 */
export function safeParseUnifiedRecord<E extends EntityName>(entity: E, value: unknown): z.ZodSafeParseResult<UnifiedRecordMap[E]> {
  const schema = unifiedRecordSchema(entity);
  return safeParseCompiled(entity, value, (input) => schema.safeParse(input)) as z.ZodSafeParseResult<UnifiedRecordMap[E]>;
}

export function parseUnifiedRecord<E extends EntityName>(entity: E, value: unknown): UnifiedRecordMap[E] {
  const result = safeParseUnifiedRecord(entity, value);
  if (!result.success) throw new RecordValidationError(entity, validationIssues(result.error));
  return result.data;
}

export function parseMappedRecord<E extends EntityName>(entity: E, value: unknown): Omit<UnifiedRecordMap[E], TransformerField> {
  const result = mappedRecordSchema(entity).safeParse(value);
  if (!result.success) throw new RecordValidationError(entity, validationIssues(result.error));
  return result.data;
}

/** JSON Schema (draft 2020-12) of a complete unified record, with every field's meaning. */
export function jsonSchemaFor(entity: EntityName): Record<string, unknown> {
  return z.toJSONSchema(unifiedRecordSchema(entity), { io: 'output', target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** JSON Schema of a write input (create or update) of a purchase order or work order. */
export function writeInputJsonSchema(entity: WritableEntityName, kind: 'create' | 'update'): Record<string, unknown> {
  return z.toJSONSchema(writeInputSchema(entity, kind), { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
