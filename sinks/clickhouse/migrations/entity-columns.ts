import type { ClickHouse } from '../../../platform/clickhouse.js';
import type { Logger } from '../../../platform/logger.js';
import { ENTITY_NAMES, clickhouseColumns, clickhouseTableName } from '../../../schemas/index.js';

/**
 * Brings every entity table up to the model on each start: a field added to the model (the only
 * change schemas/ allows) becomes `ALTER TABLE … ADD COLUMN IF NOT EXISTS`, so no migration is
 * written by hand and rows inserted before read the column's default (null). A column whose type
 * differs from the model is reported, never altered: that is a breaking model change the
 * registry refuses too.
 */
export interface ColumnChanges {
  added: { table: string; column: string }[];
  mismatched: { table: string; column: string; table_type: string; model_type: string }[];
}

export async function reconcileEntityColumns(clickhouse: ClickHouse, logger: Logger): Promise<ColumnChanges> {
  const changes: ColumnChanges = { added: [], mismatched: [] };
  const result = await clickhouse.client.query({
    query: 'SELECT table, name, type FROM system.columns WHERE database = currentDatabase() AND table IN {tables:Array(String)}',
    query_params: { tables: ENTITY_NAMES.map(clickhouseTableName) },
    format: 'JSONEachRow',
  });
  const existing = new Map<string, string>();
  for (const row of (await result.json()) as { table: string; name: string; type: string }[]) existing.set(`${row.table}.${row.name}`, row.type);
  const tables = new Set([...existing.keys()].map((key) => key.slice(0, key.indexOf('.'))));
  for (const entity of ENTITY_NAMES) {
    const table = clickhouseTableName(entity);
    // Not created yet (a first start runs this before the migrations too): migration 1 creates it from the model.
    if (!tables.has(table)) continue;
    for (const column of clickhouseColumns(entity)) {
      const current = existing.get(`${table}.${column.name}`);
      if (current === undefined) {
        await clickhouse.client.command({
          query: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS \`${column.name}\` ${column.type} COMMENT ${quoteString(column.comment)}`,
        });
        changes.added.push({ table, column: column.name });
      } else if (normalizeType(current) !== normalizeType(column.type)) {
        changes.mismatched.push({ table, column: column.name, table_type: current, model_type: column.type });
      }
    }
  }
  if (changes.added.length > 0) logger.info({ added: changes.added }, 'entity tables: columns added for new model fields');
  for (const mismatch of changes.mismatched) {
    logger.error(mismatch, 'entity table column type differs from the model; inserts of this column may fail until the table is migrated by hand');
  }
  return changes;
}

function quoteString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** system.columns spells types without backticks and with its own spacing. */
function normalizeType(type: string): string {
  return type.replace(/`/g, '').replace(/\s+/g, '');
}
