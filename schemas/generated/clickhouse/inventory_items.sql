CREATE TABLE IF NOT EXISTS `inventory_items`
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
    `code` Nullable(String) COMMENT 'Item number or SKU (SAP material number, NetSuite itemId, Business Central number).',
    `name` Nullable(String) COMMENT 'Short name.',
    `description` Nullable(String) COMMENT 'Longer description.',
    `type` LowCardinality(Nullable(String)) COMMENT 'Canonical item type.',
    `remote_type` LowCardinality(Nullable(String)) COMMENT 'The item type as the source states it (SAP product type ERSA, NetSuite InvtPart).',
    `status` LowCardinality(Nullable(String)) COMMENT 'Canonical status.',
    `remote_status` LowCardinality(Nullable(String)) COMMENT 'The status as the source states it.',
    `uom` LowCardinality(Nullable(String)) COMMENT 'Base unit of measure (EA, KG, M).',
    `unit_cost` Nullable(Decimal(38, 9)) COMMENT 'Standard or current cost of one uom, in currency.',
    `average_cost` Nullable(Decimal(38, 9)) COMMENT 'Moving average cost of one uom, in currency.',
    `last_purchase_price` Nullable(Decimal(38, 9)) COMMENT 'Price of one uom on the last purchase, in currency.',
    `currency` LowCardinality(Nullable(String)) COMMENT 'Currency of the costs and prices (ISO 4217).',
    `preferred_vendor_id` Nullable(UUID) COMMENT 'The vendor usually bought from: its Millrace id (from connection, vendor and its remote id).',
    `preferred_vendor_remote_id` Nullable(String) COMMENT 'The vendor usually bought from: its key in the source system.',
    `vendor_part_number` Nullable(String) COMMENT 'The preferred vendor\'s part number.',
    `manufacturer` Nullable(String) COMMENT 'Manufacturer name.',
    `manufacturer_part_number` Nullable(String) COMMENT 'Manufacturer\'s part number.',
    `barcode` Nullable(String) COMMENT 'Barcode (EAN/UPC/GTIN) as the source stores it.',
    `min_quantity` Nullable(Decimal(38, 9)) COMMENT 'Minimum stock to keep, in uom.',
    `max_quantity` Nullable(Decimal(38, 9)) COMMENT 'Maximum stock to keep, in uom.',
    `reorder_point` Nullable(Decimal(38, 9)) COMMENT 'Stock level at which to reorder, in uom.',
    `category` Nullable(String) COMMENT 'Item group, class or category.',
    `stock_levels` Array(Tuple(`location_id` Nullable(UUID), `location_remote_id` Nullable(String), `location_name` Nullable(String), `bin` Nullable(String), `on_hand` Nullable(Decimal(38, 9)), `available` Nullable(Decimal(38, 9)), `committed` Nullable(Decimal(38, 9)), `on_order` Nullable(Decimal(38, 9)), `uom` LowCardinality(Nullable(String)), `lot` Nullable(String), `updated_at` Nullable(DateTime64(3, 'UTC')))) COMMENT 'Stock per location (and lot).',
    `custom_fields` Map(String, String) COMMENT 'The source\'s custom fields (SAP YY1_*, NetSuite custbody*/custcol*, Dynamics extension fields), name → value. Strings are kept as they are; any other JSON value (number, boolean, null, object, array) is stored as its JSON text, e.g. 42 → "42", true → "true".',
    `remote_data` String COMMENT 'The raw source record, untouched, as JSON text. Always present, so nothing the source sent is ever lost.',
    `synced_at` DateTime64(3, 'UTC') COMMENT 'When Millrace captured this image of the record (UTC).',
    `version` Int64 COMMENT 'Version of this image: the capture time in microseconds since the epoch, a 64-bit integer (a string of digits in JSON). Strictly increasing per record; a replay gives the same version, so every sink is idempotent.',
    `record_json` String DEFAULT '' COMMENT 'The record as GET /v1 serves it (JSON, remote_data left out), written by the sink; empty for rows written before this column existed.' CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree(`version`)
ORDER BY (`connection_id`, `id`)
SETTINGS non_replicated_deduplication_window = 1000
COMMENT 'Something bought, stocked or used: material, part, service item (SAP product/material, NetSuite item, Business Central item, Maximo item, a CMMS part), with its stock per location.';
