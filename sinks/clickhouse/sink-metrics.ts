import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The sink's counters, kept in memory for `snapshot()` (tests, benchmarks, the dashboard of a
 * one-process install) and exported through prom-client on the given registry (/metrics).
 * Counts start at zero with each process; ClickHouse itself is the durable record.
 */
export interface SinkSnapshot {
  rows_by_table: Record<string, number>;
  batches: number;
  /** Batches re-formed from a pending marker after a restart or rebalance. */
  replayed_batches: number;
  dead_letters_written: number;
  refused_rows: number;
  insert_retries: number;
  /** Rows read from Kafka and not yet acknowledged by ClickHouse. */
  buffered_rows: number;
}

export class SinkMetrics {
  readonly registry: Registry;
  private readonly rowsCounter: Counter<'table'>;
  private readonly batchesCounter: Counter;
  private readonly retriesCounter: Counter;
  private readonly refusedCounter: Counter<'table'>;
  private readonly insertSeconds: Histogram<'table'>;
  private readonly bufferedGauge: Gauge;
  private readonly totals: SinkSnapshot = { rows_by_table: {}, batches: 0, replayed_batches: 0, dead_letters_written: 0, refused_rows: 0, insert_retries: 0, buffered_rows: 0 };

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    this.rowsCounter = new Counter({ name: 'millrace_clickhouse_sink_rows_total', help: 'Rows inserted into ClickHouse, by table.', labelNames: ['table'], registers: [registry] });
    this.batchesCounter = new Counter({ name: 'millrace_clickhouse_sink_batches_total', help: 'Batches written (one insert per table of the batch).', registers: [registry] });
    this.retriesCounter = new Counter({ name: 'millrace_clickhouse_sink_insert_retries_total', help: 'Inserts or commits retried after a failure (same token).', registers: [registry] });
    this.refusedCounter = new Counter({ name: 'millrace_clickhouse_sink_refused_rows_total', help: 'Rows ClickHouse refused, written to dead_letters instead, by table.', labelNames: ['table'], registers: [registry] });
    this.insertSeconds = new Histogram({ name: 'millrace_clickhouse_sink_insert_seconds', help: 'Duration of one table insert.', labelNames: ['table'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
    this.bufferedGauge = new Gauge({ name: 'millrace_clickhouse_sink_buffered_rows', help: 'Rows read from Kafka and not yet in ClickHouse.', registers: [registry] });
  }

  inserted(table: string, rows: number, seconds: number): void {
    this.rowsCounter.inc({ table }, rows);
    this.insertSeconds.observe({ table }, seconds);
    this.totals.rows_by_table[table] = (this.totals.rows_by_table[table] ?? 0) + rows;
  }

  batchWritten(replayed: boolean): void {
    this.batchesCounter.inc();
    this.totals.batches += 1;
    if (replayed) this.totals.replayed_batches += 1;
  }

  refused(table: string, rows: number): void {
    this.refusedCounter.inc({ table }, rows);
    this.totals.refused_rows += rows;
  }

  deadLettersWritten(rows: number): void {
    this.totals.dead_letters_written += rows;
  }

  retried(): void {
    this.retriesCounter.inc();
    this.totals.insert_retries += 1;
  }

  setBuffered(rows: number): void {
    this.bufferedGauge.set(rows);
    this.totals.buffered_rows = rows;
  }

  snapshot(): SinkSnapshot {
    return { ...this.totals, rows_by_table: { ...this.totals.rows_by_table } };
  }
}
