import { ENTITY_NAMES, clickhouseTableName, entityModels, type EntityName } from '../../../schemas/index.js';
import { RECORD_IMAGE_COLUMN } from '../../../schemas/clickhouse/record-image.js';
import { DEAD_LETTERS_TABLE, RAW_RECORDS_TABLE, SYNC_RUNS_TABLE } from '../tables.js';

/**
 * The views users query with plain SQL, recreated on every start (CREATE OR REPLACE), so they
 * follow the model: a field added to an entity appears in its views without a migration.
 *
 * - `<plural>_latest`: the current image of every record that is not deleted. FINAL inside the
 *   view folds the versions ReplacingMergeTree has not merged yet; the is_deleted filter runs
 *   after it (ClickHouse does not move filters into PREWHERE under FINAL), so a record whose
 *   newest version is a delete is gone, not shown in an older state.
 * - `purchase_order_lines`, `work_order_tasks`, `stock_levels`: child records one per row with
 *   their parent's keys (ARRAY JOIN over the latest parents; deleted lines are left out).
 * - `sync_runs_latest`: one row per sync run; `dead_letter_counts`: dead letters per connection,
 *   entity and stage; `raw_records_latest`: the newest capture of every raw record.
 */
export function latestViewName(entity: EntityName): string {
  return `${clickhouseTableName(entity)}_latest`;
}

interface FlattenedView {
  view: string;
  entity: EntityName;
  field: string;
  /** Alias of one child inside the view's query, and the prefix of child columns that need one. */
  item: string;
  /** Parent columns, as `column` or `column AS alias`. */
  parent: string[];
}

const FLATTENED: FlattenedView[] = [
  {
    view: 'purchase_order_lines',
    entity: 'purchase_order',
    field: 'lines',
    item: 'line',
    parent: ['connection_id', 'source_system', 'id AS purchase_order_id', 'remote_id AS purchase_order_remote_id', 'number AS purchase_order_number', 'status AS purchase_order_status', 'vendor_id', 'vendor_remote_id', 'company_id', 'currency', 'issue_date'],
  },
  {
    view: 'work_order_tasks',
    entity: 'work_order',
    field: 'tasks',
    item: 'task',
    parent: ['connection_id', 'source_system', 'id AS work_order_id', 'remote_id AS work_order_remote_id', 'number AS work_order_number', 'status AS work_order_status', 'type AS work_order_type', 'asset_id', 'asset_remote_id', 'site'],
  },
  {
    view: 'stock_levels',
    entity: 'inventory_item',
    field: 'stock_levels',
    item: 'stock',
    parent: ['connection_id', 'source_system', 'id AS item_id', 'remote_id AS item_remote_id', 'code AS item_code', 'name AS item_name', 'reorder_point', 'min_quantity', 'max_quantity', 'currency', 'unit_cost'],
  },
];

/** Child columns always prefixed, because the parent's meaning of the name would be assumed. */
const ALWAYS_PREFIXED = new Set(['remote_id', 'custom_fields']);

function outputName(column: string): string {
  const alias = /\sAS\s+(\w+)$/i.exec(column);
  return alias ? alias[1]! : column;
}

function flattenedViewSql(spec: FlattenedView): string {
  const field = entityModels[spec.entity].fields.find((candidate) => candidate.name === spec.field);
  if (!field || field.type.kind !== 'records') throw new Error(`${spec.entity}.${spec.field} is not a list of records in the model`);
  const parentNames = new Set(spec.parent.map(outputName));
  const children = field.type.record.fields
    .filter((child) => child.name !== 'is_deleted')
    .map((child) => {
      const name = ALWAYS_PREFIXED.has(child.name) || parentNames.has(child.name) ? `${spec.item}_${child.name}` : child.name;
      return `${spec.item}.${child.name} AS ${name}`;
    });
  const hasDeletedFlag = field.type.record.fields.some((child) => child.name === 'is_deleted');
  return [
    `CREATE OR REPLACE VIEW ${spec.view} AS`,
    `SELECT ${[...spec.parent, ...children].join(', ')}`,
    `FROM ${latestViewName(spec.entity)}`,
    `ARRAY JOIN ${spec.field} AS ${spec.item}`,
    hasDeletedFlag ? `WHERE NOT ${spec.item}.is_deleted` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function viewStatements(): string[] {
  const latest = ENTITY_NAMES.map(
    // The API's stored image (record_json) is left out: the fields are the view's columns.
    (entity) => `CREATE OR REPLACE VIEW ${latestViewName(entity)} AS\nSELECT * EXCEPT (${RECORD_IMAGE_COLUMN}) FROM ${clickhouseTableName(entity)} FINAL\nWHERE NOT is_deleted`,
  );
  return [
    ...latest,
    ...FLATTENED.map(flattenedViewSql),
    `CREATE OR REPLACE VIEW raw_records_latest AS
SELECT * FROM ${RAW_RECORDS_TABLE} FINAL`,
    `CREATE OR REPLACE VIEW sync_runs_latest AS
SELECT
    sync_run_id,
    any(connection_id) AS connection_id,
    any(entity) AS entity,
    any(stream) AS stream,
    argMax(status, event_at) AS status,
    max(full_pass) AS full_pass,
    min(started_at) AS started_at,
    max(finished_at) AS finished_at,
    max(duration_ms) AS duration_ms,
    max(records) AS records,
    max(deletes) AS deletes,
    argMax(error_code, event_at) AS error_code,
    argMax(error_message, event_at) AS error_message
FROM ${SYNC_RUNS_TABLE}
GROUP BY sync_run_id`,
    `CREATE OR REPLACE VIEW dead_letter_counts AS
SELECT
    connection_id,
    entity,
    stage,
    count() AS dead_letters,
    min(dead_lettered_at) AS first_at,
    max(dead_lettered_at) AS last_at
FROM ${DEAD_LETTERS_TABLE} FINAL
GROUP BY connection_id, entity, stage`,
  ];
}
