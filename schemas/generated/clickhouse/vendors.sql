CREATE TABLE IF NOT EXISTS `vendors`
(
    `id` UUID COMMENT 'Millrace\'s id of the record: a UUID v5 computed from connection_id, the entity and remote_id, so the same source record always gets the same id.',
    `connection_id` LowCardinality(String) COMMENT 'The connection (one connected source system account) the record came from.',
    `source_system` LowCardinality(String) COMMENT 'The kind of source system, e.g. sap_s4hana, netsuite, dynamics365_business_central.',
    `remote_id` String COMMENT 'The record\'s own key in the source system (4500000197, a NetSuite internal id, a GUID). Compound keys are joined with "/".',
    `display_value` Nullable(String) COMMENT 'What a person would call the record, e.g. "PO 4500000197" or "Pump P-101".',
    `remote_created_at` Nullable(DateTime64(3, 'UTC')) COMMENT 'When the source created the record (UTC).',
    `remote_updated_at` Nullable(DateTime64(3, 'UTC')) COMMENT 'When the source last changed the record (UTC).',
    `remote_deleted_at` Nullable(DateTime64(3, 'UTC')) COMMENT 'When the record was deleted in the source, or when Millrace found it gone after a complete full pass (UTC); null while it exists.',
    `is_deleted` Bool COMMENT 'True when the source flags the record as deleted (or for deletion), or after a complete full pass no longer returned it. Deleted records stay, flagged.',
    `code` Nullable(String) COMMENT 'Vendor number people use (SAP supplier 17300001, Business Central V00010).',
    `name` Nullable(String) COMMENT 'Name people use.',
    `legal_name` Nullable(String) COMMENT 'Registered legal name, when the source keeps it apart from name.',
    `status` LowCardinality(Nullable(String)) COMMENT 'Canonical status.',
    `remote_status` LowCardinality(Nullable(String)) COMMENT 'The status or blocking flags as the source states them.',
    `category` Nullable(String) COMMENT 'Vendor group, category or account group.',
    `tax_id` Nullable(String) COMMENT 'Tax or VAT registration number.',
    `currency` LowCardinality(Nullable(String)) COMMENT 'Currency the vendor is usually paid in (ISO 4217).',
    `payment_terms` LowCardinality(Nullable(String)) COMMENT 'Default payment terms code or name.',
    `addresses` Array(Tuple(`type` LowCardinality(Nullable(String)), `name` Nullable(String), `line1` Nullable(String), `line2` Nullable(String), `line3` Nullable(String), `city` Nullable(String), `state` Nullable(String), `postal_code` LowCardinality(Nullable(String)), `country` LowCardinality(Nullable(String)), `full_address` Nullable(String), `is_primary` Bool)) COMMENT 'Postal addresses.',
    `emails` Array(Tuple(`type` LowCardinality(Nullable(String)), `address` Nullable(String), `is_primary` Bool)) COMMENT 'E-mail addresses.',
    `phones` Array(Tuple(`type` LowCardinality(Nullable(String)), `number` Nullable(String), `is_primary` Bool)) COMMENT 'Phone and fax numbers.',
    `website` Nullable(String) COMMENT 'Web site URL.',
    `contact_name` Nullable(String) COMMENT 'Main contact person.',
    `subsidiary` Nullable(String) COMMENT 'NetSuite subsidiary (or the company/organisation the vendor belongs to).',
    `notes` Nullable(String) COMMENT 'Free-text notes.',
    `custom_fields` Map(String, String) COMMENT 'The source\'s custom fields (SAP YY1_*, NetSuite custbody*/custcol*, Dynamics extension fields), name → value. Strings are kept as they are; any other JSON value (number, boolean, null, object, array) is stored as its JSON text, e.g. 42 → "42", true → "true".',
    `remote_data` String COMMENT 'The raw source record, untouched, as JSON text. Always present, so nothing the source sent is ever lost.',
    `synced_at` DateTime64(3, 'UTC') COMMENT 'When Millrace captured this image of the record (UTC).',
    `version` Int64 COMMENT 'Version of this image: the capture time in microseconds since the epoch, a 64-bit integer (a string of digits in JSON). Strictly increasing per record; a replay gives the same version, so every sink is idempotent.',
    `record_json` String DEFAULT '' COMMENT 'The record as GET /v1 serves it (JSON, remote_data left out), written by the sink; empty for rows written before this column existed.' CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(`version`)
ORDER BY (`connection_id`, `id`)
SETTINGS non_replicated_deduplication_window = 1000
COMMENT 'A supplier goods and services are bought from (SAP supplier, NetSuite vendor, Business Central vendor, Maximo company).';
