// Public surface of the unified model: the entity definitions and everything derived from them.
export { ENTITY_NAMES, ENTITY_PLURALS, isEntityName, type EntityName } from './entities.js';
export { entityModels, ENUMS, TRANSFORMER_FIELDS } from './model/index.js';
export type { EntityModel, EnumDef, FieldDef, FieldType, RecordDef, ReferenceTarget, WriteAccess } from './model/index.js';
export type * from './types.js';
export { recordId, MILLRACE_ID_NAMESPACE, UuidV5Namespace } from './ids.js';
export { toDecimal, canonicalDecimal, DECIMAL_PRECISION, DECIMAL_SCALE } from './values/decimal.js';
export { customFieldValue, pickCustomFields } from './values/custom-fields.js';
export {
  unifiedRecordSchema,
  mappedRecordSchema,
  writeInputSchema,
  parseUnifiedRecord,
  safeParseUnifiedRecord,
  parseMappedRecord,
  validationIssues,
  jsonSchemaFor,
  writeInputJsonSchema,
  RecordValidationError,
  WRITABLE_ENTITIES,
  type WritableEntityName,
  type ValidationIssue,
  type TransformerEnvelope,
  type TransformerField,
} from './validation/record-schemas.js';
export { avroSchemaFor, avroRecordName, AVRO_NAMESPACE, type AvroRecordSchema } from './avro/avro-schema.js';
export { parseAvroType } from './avro/logical-types.js';
export {
  createUnifiedCodec,
  unifiedTopic,
  unifiedSubject,
  UnifiedCodecError,
  type UnifiedCodec,
  type UnifiedCodecOptions,
  type DecodedRecord,
} from './avro/unified-codec.js';
export { SchemaRegistryClient, SchemaRegistryRequestError } from './avro/registry-client.js';
export { clickhouseColumns, columnType, type ClickHouseColumn } from './clickhouse/columns.js';
export { clickhouseTableDdl, clickhouseTableName, DEDUPLICATION_WINDOW, type TableDdlOptions } from './clickhouse/ddl.js';
export { toClickHouseRow, fromClickHouseRow, CLICKHOUSE_READ_SETTINGS } from './clickhouse/rows.js';
export { exampleRecord, EXAMPLE_CONNECTION } from './examples/index.js';
export { startSchemaRegistry, type SchemaRegistry, type SchemaRegistryOptions } from './registry/server.js';
