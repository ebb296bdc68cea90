import type { ClickHouse } from '../../platform/clickhouse.js';
import { insertBody } from '../../platform/clickhouse-insert.js';
import { clickhouseErrorText, isRowDataError } from './clickhouse-errors.js';
import { compactLayoutOfTable } from './converters/compact-entity-row.js';
import type { RowBuffer } from './row-buffer.js';
import { SinkError } from './errors.js';
import { EVENTS_TABLE } from './tables.js';

/**
 * One table's rows of a batch → one INSERT carrying the batch's insert_deduplication_token. The
 * token sits in the statement's own SETTINGS clause (insertBody), not in client settings: on chdb
 * those become session-wide SETs and would stamp other writers' inserts with this batch's token.
 *
 * When ClickHouse refuses the rows themselves (a value it cannot parse), the batch is split in
 * halves, each with a token derived from the batch's and its row range, until the refused rows
 * are alone: the rest is inserted and the refused rows are returned for the dead-letter table.
 * The split is deterministic, so a replay after a crash inserts nothing twice. When more rows
 * are refused than an isolated bad record would explain, splitting stops: that is a schema
 * problem, and the batch is retried until it is fixed instead of dead-lettering everything.
 */
export interface RefusedRow {
  line: string;
  offset: number;
  reason: string;
}

const MAX_REFUSED_SHARE = 0.1;
const MIN_REFUSED_ALLOWED = 10;

export class InsertWriter {
  constructor(private readonly clickhouse: ClickHouse) {}

  async insert(table: string, rows: RowBuffer, token: string): Promise<RefusedRow[]> {
    try {
      await this.send(table, rows.body(), token);
      return [];
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      const lines = rows.lines();
      const limit = Math.max(MIN_REFUSED_ALLOWED, Math.floor(lines.length * MAX_REFUSED_SHARE));
      const refused: RefusedRow[] = [];
      await this.split(table, lines, rows.offsets, 0, lines.length, token, error, refused, limit);
      return refused;
    }
  }

  /** Inserts [from, to), known to hold at least one refused row, in two halves. */
  private async split(table: string, lines: string[], offsets: number[], from: number, to: number, token: string, error: unknown, refused: RefusedRow[], limit: number): Promise<void> {
    if (to - from === 1) {
      refused.push({ line: lines[from]!, offset: offsets[from]!, reason: clickhouseErrorText(error) });
      if (refused.length > limit) {
        throw new SinkError('insert_failed', `ClickHouse refused more than ${limit} rows of one ${table} batch (${token}); this looks like a table that does not match the data, not bad records. Last error: ${clickhouseErrorText(error)}`);
      }
      return;
    }
    const middle = (from + to) >> 1;
    for (const [start, end] of [[from, middle], [middle, to]] as const) {
      try {
        await this.send(table, [Buffer.from(`${lines.slice(start, end).join('\n')}\n`)], `${token}/rows-${start}-${end - 1}`);
      } catch (halfError) {
        if (!isRowDataError(halfError)) throw halfError;
        await this.split(table, lines, offsets, start, end, token, halfError, refused, limit);
      }
    }
  }

  private async send(table: string, body: Buffer[], token: string): Promise<void> {
    const compact = compactLayoutOfTable(table);
    await insertBody(this.clickhouse, {
      table,
      columns: compact?.columns,
      format: compact ? 'JSONCompactEachRow' : 'JSONEachRow',
      settings: {
        insert_deduplication_token: token,
        insert_deduplicate: 1,
        // Deduplication by token needs the synchronous insert path.
        async_insert: 0,
        date_time_input_format: 'best_effort',
        // events keep `data` as JSON text and may gain fields; record tables must match exactly.
        input_format_json_read_objects_as_strings: 1,
        input_format_skip_unknown_fields: table === EVENTS_TABLE ? 1 : 0,
        // Entity rows are positional (compact-entity-row.ts): their nested records are arrays.
        ...(compact ? { input_format_json_named_tuples_as_objects: 0 } : {}),
      },
      body,
    });
  }
}
