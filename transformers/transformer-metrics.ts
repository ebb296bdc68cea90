import { Counter, Registry } from 'prom-client';
import type { Counter as ChunkCounter, DeadLetterNote } from './chunk-processor.js';

/**
 * The transformer's counters, per connection: records read, images written, unchanged re-reads,
 * stale captures, created/updated/deleted, and dead letters per stage. Kept in memory for
 * `snapshot()` (tests, the dashboard of a one-process install) and exported through prom-client
 * on the given registry (the API's /metrics). Counts start at zero with each worker process;
 * the dead-letters topic itself is the durable record.
 */
export type ConnectionCounts = Record<ChunkCounter, number> & { dead_letters_by_stage: Record<string, number> };

export class TransformerMetrics {
  readonly registry: Registry;
  private readonly records: Counter<'connection_id' | 'outcome'>;
  private readonly deadLetters: Counter<'connection_id' | 'stage'>;
  private readonly totals = new Map<string, ConnectionCounts>();

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    this.records = new Counter({
      name: 'millrace_transformer_records_total',
      help: 'Raw records handled by the transformer, by connection and outcome (records = read; written, unchanged, stale, created, updated, deleted, dead_letters).',
      labelNames: ['connection_id', 'outcome'],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'millrace_transformer_dead_letters_total',
      help: 'Raw records sent to the dead-letter topic, by connection and stage (headers, map, validate, encode).',
      labelNames: ['connection_id', 'stage'],
      registers: [registry],
    });
  }

  /** Adds a committed chunk's counts. */
  add(counts: Map<string, Record<ChunkCounter, number>>, deadLetters: DeadLetterNote[]): void {
    for (const [connectionId, chunk] of counts) {
      const total = this.totalsOf(connectionId);
      for (const [outcome, value] of Object.entries(chunk) as [ChunkCounter, number][]) {
        if (value === 0) continue;
        total[outcome] += value;
        this.records.inc({ connection_id: connectionId, outcome }, value);
      }
    }
    for (const { connectionId, letter } of deadLetters) {
      const id = connectionId ?? 'unknown';
      const byStage = this.totalsOf(id).dead_letters_by_stage;
      byStage[letter.stage] = (byStage[letter.stage] ?? 0) + 1;
      this.deadLetters.inc({ connection_id: id, stage: letter.stage });
    }
  }

  /** Counts per connection id since this worker started. */
  snapshot(): Record<string, ConnectionCounts> {
    return Object.fromEntries([...this.totals].map(([id, counts]) => [id, { ...counts, dead_letters_by_stage: { ...counts.dead_letters_by_stage } }]));
  }

  private totalsOf(connectionId: string): ConnectionCounts {
    let total = this.totals.get(connectionId);
    if (!total) {
      total = { records: 0, written: 0, unchanged: 0, stale: 0, created: 0, updated: 0, deleted: 0, dead_letters: 0, dead_letters_by_stage: {} };
      this.totals.set(connectionId, total);
    }
    return total;
  }
}
