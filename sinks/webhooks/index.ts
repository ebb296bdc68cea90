/**
 * The webhook sink's public surface: what the API mounts, what `millrace start` runs, and what
 * the shared ClickHouse migration runner executes. Everything else in this folder is internal.
 */
export { SubscriptionService, type SubscriptionServiceOptions, type ReplayResult } from './subscription-service.js';
export {
  subscriptionCreateSchema,
  subscriptionUpdateSchema,
  connectionWebhookSchema,
  rotateSecretSchema,
  replayRangeSchema,
  listSubscriptionsSchema,
  subscriptionSchema,
  type Subscription,
  type SubscriptionCreateInput,
  type SubscriptionUpdateInput,
  type ConnectionWebhookInput,
} from './subscription-schema.js';
export { deliveryQuerySchema, type DeliveryQuery } from './delivery-queries.js';
export type { DeliveryAttemptRow, AttemptOutcome, DeliveryTrigger } from './delivery-log.js';
export { WebhookError, WEBHOOK_ERRORS, isWebhookError, type WebhookErrorCode } from './errors.js';
export { startWebhookSink, type WebhookSink, type WebhookSinkOptions, type EndpointBacklog } from './delivery-worker.js';
export { webhookSinkSettings } from './webhook-config.js';
export { registerWebhookMetrics } from './webhook-metrics.js';
export { SubscriptionStore } from './subscription-store.js';
export { WEBHOOK_DDL, ensureWebhookTables } from './ddl.js';
export type { EndpointDisabledData } from './endpoint-disabler.js';
