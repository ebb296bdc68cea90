/**
 * The envelope: the fields every entity carries, before and after its own fields. The mapper of a
 * connector fills the `mapper` ones; the transformer fills the `transformer` ones around it, so a
 * mapper can never forge an id, a version or the raw record.
 */
import type { EntityName } from '../entities.js';
import { f, fields, type FieldDef } from './field.js';

export const leadingEnvelope: FieldDef[] = fields({
  id: {
    ...f.id('Millrace\'s id of the record: a UUID v5 computed from connection_id, the entity and remote_id, so the same source record always gets the same id.'),
    nullable: false,
    envelope: 'transformer',
  },
  connection_id: {
    ...f.code('The connection (one connected source system account) the record came from.'),
    nullable: false,
    envelope: 'transformer',
  },
  source_system: {
    ...f.code('The kind of source system, e.g. sap_s4hana, netsuite, dynamics365_business_central.'),
    nullable: false,
    envelope: 'transformer',
  },
  remote_id: {
    ...f.text('The record\'s own key in the source system (4500000197, a NetSuite internal id, a GUID). Compound keys are joined with "/".'),
    nullable: false,
    envelope: 'mapper',
  },
  display_value: { ...f.text('What a person would call the record, e.g. "PO 4500000197" or "Pump P-101".'), envelope: 'mapper' },
  remote_created_at: { ...f.timestamp('When the source created the record (UTC).'), envelope: 'mapper' },
  remote_updated_at: { ...f.timestamp('When the source last changed the record (UTC).'), envelope: 'mapper' },
  remote_deleted_at: {
    ...f.timestamp('When the record was deleted in the source, or when Millrace found it gone after a complete full pass (UTC); null while it exists.'),
    envelope: 'mapper',
  },
  is_deleted: {
    ...f.flag('True when the source flags the record as deleted (or for deletion), or after a complete full pass no longer returned it. Deleted records stay, flagged.'),
    envelope: 'mapper',
  },
});

export const trailingEnvelope: FieldDef[] = fields({
  custom_fields: {
    ...f.stringMap('The source\'s custom fields (SAP YY1_*, NetSuite custbody*/custcol*, Dynamics extension fields), name → value. Strings are kept as they are; any other JSON value (number, boolean, null, object, array) is stored as its JSON text, e.g. 42 → "42", true → "true".', {
      write: 'create_update',
    }),
    envelope: 'mapper',
  },
  remote_data: {
    ...f.json('The raw source record, untouched, as JSON text. Always present, so nothing the source sent is ever lost.'),
    nullable: false,
    envelope: 'transformer',
  },
  synced_at: {
    ...f.timestamp('When Millrace captured this image of the record (UTC).'),
    nullable: false,
    envelope: 'transformer',
  },
  version: {
    ...f.long('Version of this image: the capture time in microseconds since the epoch, a 64-bit integer (a string of digits in JSON). Strictly increasing per record; a replay gives the same version, so every sink is idempotent.'),
    nullable: false,
    envelope: 'transformer',
  },
});

/** Fields the transformer fills; everything else comes from the connector's mapper. */
export const TRANSFORMER_FIELDS = [...leadingEnvelope, ...trailingEnvelope]
  .filter((field) => field.envelope === 'transformer')
  .map((field) => field.name) as ['id', 'connection_id', 'source_system', 'remote_data', 'synced_at', 'version'];

export interface EntityModel {
  entity: EntityName;
  /** PascalCase name: Avro record name and TypeScript type. */
  name: string;
  /** Plural label for people ("purchase orders"). */
  label: string;
  doc: string;
  /** Every field in order: leading envelope, the entity's own fields, trailing envelope. */
  fields: FieldDef[];
  /** Writes: at least one field of each group must be given on create. */
  createRequiresOneOf?: string[][];
}

export function entityModel(
  definition: Omit<EntityModel, 'fields'> & { own: FieldDef[] },
): EntityModel {
  const { own, ...rest } = definition;
  return { ...rest, fields: [...leadingEnvelope, ...own, ...trailingEnvelope] };
}
