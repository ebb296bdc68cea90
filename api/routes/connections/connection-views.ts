import type { PublicConnection } from '../../../producers/connection-public.js';
import type { EntityName } from '../../../schemas/entities.js';
import type { FastifyRequest } from 'fastify';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext } from '../../context.js';
import type { ConnectionView } from '../../schemas/connection.js';

/**
 * What the API answers for connections: the service's public view, plus the facts a dashboard
 * wants at a glance (last sync, next run, lag, records per entity in ClickHouse).
 */
export async function connectionViews(ctx: ApiContext, connections: PublicConnection[]): Promise<ConnectionView[]> {
  const entities = [...new Set(connections.flatMap((connection) => connection.streams.map((stream) => stream.entity as EntityName)))];
  const counts = await ctx.counts.forConnections(connections.map((connection) => connection.id), entities);
  const now = Date.now();
  return connections.map((connection) => {
    const streams = connection.streams.map((stream) => ({
      ...stream,
      lag_seconds: stream.last_success_at ? Math.max(0, Math.round((now - Date.parse(stream.last_success_at)) / 1000)) : null,
    }));
    const successes = streams.map((stream) => stream.last_success_at).filter((value): value is string => value !== null);
    const nextRuns = streams.map((stream) => stream.next_run_at).filter((value): value is string => value !== null);
    const own = counts.get(connection.id) ?? {};
    const records = Object.fromEntries(connection.streams.map((stream) => [stream.entity, own[stream.entity as EntityName] ?? 0]));
    return {
      ...connection,
      streams,
      last_sync_at: successes.length > 0 ? successes.reduce((a, b) => (a > b ? a : b)) : null,
      next_run_at: nextRuns.length > 0 ? nextRuns.reduce((a, b) => (a < b ? a : b)) : null,
      lag_seconds: successes.length === streams.length && streams.length > 0 ? Math.max(...streams.map((stream) => stream.lag_seconds ?? 0)) : null,
      records,
    };
  });
}

export async function connectionView(ctx: ApiContext, connection: PublicConnection): Promise<ConnectionView> {
  const [view] = await connectionViews(ctx, [connection]);
  return view!;
}

/** The caller's connection, or connection_not_found (another owner's connection is not found either). */
export function ownedConnection(ctx: ApiContext, request: FastifyRequest, id: string): PublicConnection {
  return ctx.connections.get(id, { owner: caller(request).owner });
}
