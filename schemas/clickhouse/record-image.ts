/**
 * The API image of a unified record: the JSON text `GET /v1/<entity>` serves for it, kept in the
 * entity table's `record_json` column so a page is one narrow read instead of ~150 column streams
 * (docs/api.md). The image is the record in model field order, without remote_data (asked for
 * separately, large), with the one rule the wide read applies: an address (record field) whose
 * values are all null, false or empty is null, because ClickHouse stores a null address as a
 * tuple of nulls and cannot tell the two apart (rows.ts).
 *
 * Values are the model's canonical spellings (decimals `12.5`, timestamps with milliseconds and
 * `Z`, dates `YYYY-MM-DD`), which are also what ClickHouse prints for its columns, so the image
 * equals the wide read of the same row (record-image.integration.test.ts).
 */
import type { EntityName } from '../entities.js';
import { entityModels, type FieldDef } from '../model/index.js';

/** The column holding each row's image; '' for rows written before it existed. */
export const RECORD_IMAGE_COLUMN = 'record_json';

/** Fields the image leaves out. */
export const IMAGE_EXCLUDED_FIELDS: ReadonlySet<string> = new Set(['remote_data']);

type Row = Record<string, unknown>;

const imageFieldsByEntity = new Map<EntityName, FieldDef[]>();

function imageFieldsOf(entity: EntityName): FieldDef[] {
  let fields = imageFieldsByEntity.get(entity);
  if (!fields) {
    fields = entityModels[entity].fields.filter((field) => !IMAGE_EXCLUDED_FIELDS.has(field.name));
    imageFieldsByEntity.set(entity, fields);
  }
  return fields;
}

/** Nothing in it: every value null, false or an empty list (the API's rule for addresses). */
export function isEmptyRecordValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  return Object.values(value as Row).every((item) => item === null || item === undefined || item === false || (Array.isArray(item) && item.length === 0));
}

/**
 * The image's JSON text of a record (a plain object, or an avsc record decoded by the sink), in
 * model field order whatever the record's own order. The record itself is not changed.
 */
export function recordImageJson(entity: EntityName, record: Row): string {
  const image: Row = {};
  for (const field of imageFieldsOf(entity)) {
    const value = record[field.name];
    image[field.name] = field.type.kind === 'record' && isEmptyRecordValue(value) ? null : (value ?? null);
  }
  return JSON.stringify(image);
}
