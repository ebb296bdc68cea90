import { z } from 'zod';
import { EVENT_TYPES, eventTypeMatches } from '../../platform/events.js';
import { ENTITY_NAMES } from '../../schemas/entities.js';
import type { SealedSecret } from './secret-cipher.js';

/**
 * Webhook subscriptions: the zod input schemas the API mounts, the public view it returns, and
 * the record stored in the compacted `webhook-subscriptions` topic. Field names are snake_case
 * like the rest of the API and the event payloads.
 */

/** An event type or a wildcard (`*`, `record.*`) that matches at least one known type. */
export const eventTypePatternSchema = z
  .string()
  .min(1)
  .refine((pattern) => EVENT_TYPES.some((type) => eventTypeMatches(pattern, type)), {
    error: (issue) => `${JSON.stringify(issue.input)} matches no event type; use one of ${EVENT_TYPES.join(', ')}, a prefix wildcard such as record.*, or *`,
  });

const fields = {
  url: z.string().trim().min(1).max(2048),
  event_types: z.array(eventTypePatternSchema).min(1).max(50),
  /** null: every connection (and system events); otherwise only events of these connections. */
  connection_ids: z.array(z.string().min(1).max(200)).min(1).max(1000).nullable(),
  /** null: every entity; otherwise record.* events of these entities only (other event types pass). */
  entities: z.array(z.enum(ENTITY_NAMES as [string, ...string[]])).min(1).nullable(),
  /** Record events carry the whole unified record (still capped at 20 KB) instead of id, entity, changed fields and link. */
  include_record: z.boolean(),
  enabled: z.boolean(),
  description: z.string().max(1000),
  /** Deliveries per second to this endpoint, per worker; null: no limit beyond max_concurrency. */
  rate_limit_per_second: z.number().int().min(1).max(10_000).nullable(),
  /** Requests in flight to this endpoint at once, per worker. */
  max_concurrency: z.number().int().min(1).max(100),
};

export const subscriptionCreateSchema = z
  .object({
    url: fields.url,
    event_types: fields.event_types,
    connection_ids: fields.connection_ids.default(null),
    entities: fields.entities.default(null),
    include_record: fields.include_record.default(false),
    enabled: fields.enabled.default(true),
    description: fields.description.default(''),
    rate_limit_per_second: fields.rate_limit_per_second.default(null),
    max_concurrency: fields.max_concurrency.default(10),
    /** Who the subscription belongs to (API key or project id), for listing and endpoint.disabled routing. */
    owner: z.string().min(1).max(200).nullable().default(null),
  })
  .strict();
export type SubscriptionCreateInput = z.input<typeof subscriptionCreateSchema>;

/** What the connect flow passes when a connection is created: the same, minus the connection filter. */
export const connectionWebhookSchema = subscriptionCreateSchema.omit({ connection_ids: true });
export type ConnectionWebhookInput = z.input<typeof connectionWebhookSchema>;

/** Every field optional and without defaults: only what is sent changes. */
export const subscriptionUpdateSchema = z.object(fields).partial().strict();
export type SubscriptionUpdateInput = z.input<typeof subscriptionUpdateSchema>;

export const rotateSecretSchema = z
  .object({
    /** How long the previous secret keeps signing beside the new one; 0 retires it at once. */
    graceSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(24 * 3600),
  })
  .strict();

export const replayRangeSchema = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .strict()
  .refine((range) => Date.parse(range.from) < Date.parse(range.to), { error: '`from` must be before `to`', path: ['to'] });

export const listSubscriptionsSchema = z
  .object({ owner: z.string().min(1).optional(), connectionId: z.string().min(1).optional() })
  .strict();

export type DisabledReason = 'gone' | 'failing' | 'manual';

/** The public view: everything but the secrets, of which only the dates are shown. */
export const subscriptionSchema = z.object({
  id: z.string(),
  owner: z.string().nullable(),
  url: z.string(),
  event_types: z.array(z.string()),
  connection_ids: z.array(z.string()).nullable(),
  entities: z.array(z.string()).nullable(),
  include_record: z.boolean(),
  enabled: z.boolean(),
  description: z.string(),
  rate_limit_per_second: z.number().nullable(),
  max_concurrency: z.number(),
  disabled_reason: z.enum(['gone', 'failing', 'manual']).nullable(),
  disabled_at: z.string().nullable(),
  signing_secrets: z.array(z.object({ created_at: z.string(), expires_at: z.string().nullable() })),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export interface StoredSecret {
  sealed: SealedSecret;
  created_at: string;
  /** null: the current secret; a date: a rotated-out secret that still signs until then. */
  expires_at: string | null;
}

/** The value under key `<id>` in the webhook-subscriptions topic. */
export interface StoredSubscription extends Omit<Subscription, 'signing_secrets'> {
  kind: 'subscription';
  secrets: StoredSecret[];
  /** When the endpoint was last created or re-enabled: failures before it do not count towards disabling. */
  enabled_at: string;
  /** Grows by one on every write; a reader never goes back to a lower revision. */
  revision: number;
}

/** The value under key `health:<id>`: kept apart so health writes never race with API edits. */
export interface StoredHealth {
  kind: 'health';
  subscription_id: string;
  /** First failure since the last success; null while the endpoint is healthy. */
  failing_since: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
}

export function publicView(stored: StoredSubscription): Subscription {
  const { kind: _kind, secrets, enabled_at: _enabledAt, revision: _revision, ...rest } = stored;
  return { ...rest, signing_secrets: secrets.map((secret) => ({ created_at: secret.created_at, expires_at: secret.expires_at })) };
}

export function healthKey(subscriptionId: string): string {
  return `health:${subscriptionId}`;
}
