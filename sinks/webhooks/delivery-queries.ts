import { z } from 'zod';
import type { ClickHouse } from '../../platform/clickhouse.js';
import { insertJsonRows } from '../../platform/clickhouse-insert.js';
import { WEBHOOK_DELIVERIES_TABLE, WEBHOOK_MESSAGES_TABLE } from './ddl.js';
import type { DeliveryAttemptRow, DeliveryMessageRow } from './delivery-log.js';

/**
 * Reading the delivery log: attempts per endpoint, per event or per delivery, newest first,
 * paged by `before` (the `attempted_at` of the last row of the previous page).
 */
export const deliveryQuerySchema = z
  .object({
    subscription_id: z.string().min(1).optional(),
    event_id: z.string().min(1).optional(),
    delivery_id: z.string().min(1).optional(),
    outcome: z.enum(['succeeded', 'retrying', 'failed', 'endpoint_disabled', 'skipped']).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    before: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type DeliveryQuery = z.input<typeof deliveryQuerySchema>;

const FILTERS: { field: keyof z.infer<typeof deliveryQuerySchema>; sql: string }[] = [
  { field: 'subscription_id', sql: 'subscription_id = {subscription_id:String}' },
  { field: 'event_id', sql: 'event_id = {event_id:String}' },
  { field: 'delivery_id', sql: 'delivery_id = {delivery_id:String}' },
  { field: 'outcome', sql: 'outcome = {outcome:String}' },
  { field: 'from', sql: "attempted_at >= parseDateTime64BestEffort({from:String}, 3, 'UTC')" },
  { field: 'to', sql: "attempted_at < parseDateTime64BestEffort({to:String}, 3, 'UTC')" },
  { field: 'before', sql: "attempted_at < parseDateTime64BestEffort({before:String}, 3, 'UTC')" },
];

export async function queryDeliveries(clickhouse: ClickHouse, query: z.infer<typeof deliveryQuerySchema>): Promise<DeliveryAttemptRow[]> {
  const active = FILTERS.filter((filter) => query[filter.field] !== undefined);
  const where = active.length > 0 ? `WHERE ${active.map((filter) => filter.sql).join(' AND ')}` : '';
  const params = Object.fromEntries(active.map((filter) => [filter.field, query[filter.field]]));
  const result = await clickhouse.client.query({
    query: `SELECT * FROM ${WEBHOOK_DELIVERIES_TABLE} ${where} ORDER BY attempted_at DESC, attempt DESC LIMIT {limit:UInt32}`,
    query_params: { ...params, limit: query.limit },
    format: 'JSONEachRow',
  });
  return (await result.json()) as DeliveryAttemptRow[];
}

export async function findDeliveryMessage(clickhouse: ClickHouse, deliveryId: string): Promise<DeliveryMessageRow | undefined> {
  const result = await clickhouse.client.query({
    query: `SELECT * FROM ${WEBHOOK_MESSAGES_TABLE} FINAL WHERE delivery_id = {delivery_id:String} LIMIT 1`,
    query_params: { delivery_id: deliveryId },
    format: 'JSONEachRow',
  });
  const rows = (await result.json()) as DeliveryMessageRow[];
  return rows[0];
}

/** Writes message rows from the API side (manual retry, replay, test event); the token makes a repeat a no-op. */
export async function insertDeliveryMessages(clickhouse: ClickHouse, rows: DeliveryMessageRow[], token: string): Promise<void> {
  await insertJsonRows(clickhouse, WEBHOOK_MESSAGES_TABLE, rows, { insert_deduplication_token: token, date_time_input_format: 'best_effort' });
}
