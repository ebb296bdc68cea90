import { z } from 'zod';
import { ENTITY_NAMES, entityModels, TRANSFORMER_FIELDS, type EntityName } from '../schemas/index.js';

/**
 * Per-connection field mappings and custom-field selection: the `mapping` object of a
 * connection record (connections topic), per entity:
 *
 * ```json
 * { "purchase_order": {
 *     "fields": { "memo": "YY1_InternalNote_PDH", "buyer": "PurchasingGroup" },
 *     "custom_fields": { "include": ["YY1_*"], "exclude": ["YY1_Internal*"], "from_raw": { "plant": "Plant" } } } }
 * ```
 *
 * - `fields`: unified field ← dot path in the raw record (`to_Item.results[0].Plant`). The raw
 *   value replaces what the connector's mapper set, converted to the field's type where that is
 *   unambiguous (numbers to decimals, `/Date(ms)/` to timestamps); a path the record lacks gives
 *   null. The identity and what the transformer fills (id, remote_id, version …) cannot be mapped.
 * - `custom_fields.include` / `exclude`: names or `*` patterns of the custom fields the mapper
 *   found that are kept (all when `include` is absent) and dropped.
 * - `custom_fields.from_raw`: extra custom fields taken from raw paths (values as customFieldValue).
 *
 * The API validates a mapping with `connectionMappingSchema` before storing it.
 */
const LOCKED_FIELDS: ReadonlySet<string> = new Set([...TRANSFORMER_FIELDS, 'remote_id', 'custom_fields']);

const rawPath = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[^\s.[\]]+(?:\.[^\s.[\]]+|\[\d+\])*$/, 'must be a dot path into the raw record, e.g. Supplier or to_Item.results[0].Plant');

const namePattern = z.string().min(1).max(200).regex(/^[^\s]+$/, 'must be a custom field name or a pattern with *, e.g. YY1_*');

const customFieldsSchema = z.strictObject({
  include: z.array(namePattern).max(200).optional(),
  exclude: z.array(namePattern).max(200).optional(),
  from_raw: z.record(z.string().min(1).max(200), rawPath).optional(),
});

/** The fields a connection may map from raw paths, per entity. */
export function mappableFields(entity: EntityName): string[] {
  return entityModels[entity].fields.map((field) => field.name).filter((name) => !LOCKED_FIELDS.has(name));
}

function entityMappingSchema(entity: EntityName) {
  const fields = mappableFields(entity);
  return z.strictObject({
    fields: z
      .record(z.string(), rawPath)
      .superRefine((value, ctx) => {
        for (const name of Object.keys(value)) {
          if (!fields.includes(name)) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: LOCKED_FIELDS.has(name)
                ? `${name} cannot be mapped: Millrace sets it`
                : `${entity} has no field ${name}; mappable fields: ${fields.join(', ')}`,
            });
          }
        }
      })
      .optional(),
    custom_fields: customFieldsSchema.optional(),
  });
}

export const connectionMappingSchema = z.strictObject(
  Object.fromEntries(ENTITY_NAMES.map((entity) => [entity, entityMappingSchema(entity).optional()])) as {
    [E in EntityName]: z.ZodOptional<ReturnType<typeof entityMappingSchema>>;
  },
);

export type ConnectionMapping = z.infer<typeof connectionMappingSchema>;
export type EntityMapping = NonNullable<ConnectionMapping[EntityName]>;
