import { v7 as uuidv7 } from 'uuid';
import type { ClickHouse } from '../../platform/clickhouse.js';
import { insertJsonRows } from '../../platform/clickhouse-insert.js';
import type { Logger } from '../../platform/logger.js';
import { WEBHOOK_DELIVERIES_TABLE, WEBHOOK_MESSAGES_TABLE } from './ddl.js';
import type { Delivery } from './delivery.js';

/**
 * Writes the delivery log to ClickHouse in batches: one row per attempt (`webhook_deliveries`)
 * and one per delivery body (`webhook_messages`). Rows are buffered and inserted every
 * `flushIntervalMs`, and the delivery worker flushes before it commits Kafka offsets, so a row
 * is in ClickHouse before the work it describes is committed.
 *
 * A failed insert keeps its batch and retries it with the same insert_deduplication_token, so a
 * retry of an insert that did land adds nothing. The token rides in the statement's SETTINGS
 * clause (insertJsonRows), never in client settings, which chdb turns into session-wide SETs.
 * While ClickHouse is unreachable the buffer is capped (`maxBufferedRows`); beyond it the oldest
 * rows are dropped and counted in an error log, because delivering webhooks matters more than
 * logging them.
 */
export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'endpoint_disabled' | 'skipped';
export type DeliveryTrigger = 'event' | 'manual' | 'replay' | 'test';

export interface DeliveryAttemptRow {
  attempt_id: string;
  delivery_id: string;
  event_id: string;
  event_type: string;
  subscription_id: string;
  connection_id: string | null;
  attempt: number;
  trigger: DeliveryTrigger;
  url: string;
  status_code: number;
  duration_ms: number;
  response_body: string;
  error: string;
  attempted_at: string;
  next_attempt_at: string | null;
  outcome: AttemptOutcome;
  worker_id: string;
}

export interface DeliveryMessageRow {
  delivery_id: string;
  event_id: string;
  event_type: string;
  subscription_id: string;
  connection_id: string | null;
  trigger: DeliveryTrigger;
  retry_of: string;
  body: string;
  created_at: string;
}

/** The message row of a delivery: what was sent, kept once however many attempts it takes. */
export function deliveryMessageRow(delivery: Delivery, createdAt: string): DeliveryMessageRow {
  return {
    delivery_id: delivery.delivery_id,
    event_id: delivery.event_id,
    event_type: delivery.event_type,
    subscription_id: delivery.subscription_id,
    connection_id: delivery.connection_id,
    trigger: delivery.trigger,
    retry_of: delivery.retry_of ?? '',
    body: delivery.body,
    created_at: createdAt,
  };
}

interface Batch {
  token: string;
  table: string;
  rows: object[];
}

export interface DeliveryLogOptions {
  flushIntervalMs?: number;
  maxBufferedRows?: number;
}

export class DeliveryLog {
  private attempts: DeliveryAttemptRow[] = [];
  private messages: DeliveryMessageRow[] = [];
  private failed: Batch[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private readonly maxBufferedRows: number;

  constructor(
    private readonly clickhouse: ClickHouse,
    private readonly logger: Logger,
    private readonly options: DeliveryLogOptions = {},
  ) {
    this.maxBufferedRows = options.maxBufferedRows ?? 100_000;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => {}), this.options.flushIntervalMs ?? 500);
    this.timer.unref();
  }

  recordAttempt(row: DeliveryAttemptRow): void {
    this.attempts.push(row);
    this.enforceCap();
  }

  recordMessage(row: DeliveryMessageRow): void {
    this.messages.push(row);
    this.enforceCap();
  }

  /** Inserts everything buffered so far; resolves when it is in ClickHouse, rejects if an insert failed. */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.flushOnce());
    this.flushing = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush().catch((error) => this.logger.error({ err: error }, 'delivery log: final flush failed'));
  }

  private async flushOnce(): Promise<void> {
    if (this.attempts.length > 0) this.failed.push({ token: uuidv7(), table: WEBHOOK_DELIVERIES_TABLE, rows: this.attempts.splice(0) });
    if (this.messages.length > 0) this.failed.push({ token: uuidv7(), table: WEBHOOK_MESSAGES_TABLE, rows: this.messages.splice(0) });
    while (this.failed.length > 0) {
      const batch = this.failed[0]!;
      try {
        await insertJsonRows(this.clickhouse, batch.table, batch.rows, { insert_deduplication_token: batch.token, date_time_input_format: 'best_effort' });
      } catch (error) {
        this.logger.error({ err: error, table: batch.table, rows: batch.rows.length }, 'delivery log: insert failed, will retry');
        throw error;
      }
      this.failed.shift();
    }
  }

  private enforceCap(): void {
    const buffered = this.attempts.length + this.messages.length + this.failed.reduce((sum, batch) => sum + batch.rows.length, 0);
    if (buffered <= this.maxBufferedRows) return;
    const oldest = this.failed.shift();
    const lost = oldest ? oldest.rows.length : (this.attempts.shift(), 1);
    this.dropped += lost;
    this.logger.error({ dropped: lost, dropped_total: this.dropped }, 'delivery log: ClickHouse unreachable and buffer full, oldest rows dropped');
  }
}
