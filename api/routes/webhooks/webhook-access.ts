import type { FastifyRequest } from 'fastify';
import type { Subscription } from '../../../sinks/webhooks/index.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext } from '../../context.js';
import { ApiError } from '../../errors.js';

/** The caller's subscription, or not found (another owner's subscription is not found either). */
export function ownedSubscription(ctx: ApiContext, request: FastifyRequest, id: string): Subscription {
  const owner = caller(request).owner;
  const notFound = new ApiError('webhook_subscription_not_found', `No webhook subscription ${id} for this owner.`);
  let subscription: Subscription;
  try {
    subscription = ctx.subscriptions.get(id);
  } catch {
    throw notFound;
  }
  if (subscription.owner !== owner) throw notFound;
  return subscription;
}

/** A subscription may only filter on the caller's own connections. */
export function assertOwnedConnections(ctx: ApiContext, request: FastifyRequest, connectionIds: string[] | null | undefined): void {
  const owner = caller(request).owner;
  for (const [index, id] of (connectionIds ?? []).entries()) {
    try {
      ctx.connections.get(id, { owner });
    } catch {
      throw new ApiError('connection_not_found', `No connection ${id} for this owner.`, { issues: [{ path: `body.connection_ids.${index}`, message: 'no such connection' }] });
    }
  }
}
