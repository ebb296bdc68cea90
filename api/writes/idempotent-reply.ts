import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../context.js';
import { toApiError } from '../error-mapping.js';
import { ApiError, errorBody, type ApiErrorCode } from '../errors.js';

/** Printable ASCII without spaces, as the IETF Idempotency-Key draft allows; a UUID fits. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Refusals that say something about the request itself: replayed to a retry with the same key
 * (the outcome would not change). Anything else (source down, throttled, credentials) is not
 * stored, so a retry with the same key runs again; the key also reaches connectors whose source
 * deduplicates retried creates (NetSuite).
 */
const STORED_REFUSALS: ReadonlySet<ApiErrorCode> = new Set(['source_validation_failed', 'source_conflict', 'source_not_found', 'write_validation_failed', 'write_not_supported']);

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !KEY_PATTERN.test(value)) {
    throw new ApiError('idempotency_key_invalid', 'The Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces.', {
      issues: [{ path: 'headers.idempotency-key', message: 'must be 1 to 255 printable ASCII characters' }],
    });
  }
  return value;
}

/**
 * Answers `run()`'s result with `status`; with an Idempotency-Key, at most once per key: a
 * retry gets the stored answer (header `idempotent-replayed: true`), a concurrent duplicate 409.
 */
export async function replyIdempotently(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply, owner: string, key: string | undefined, status: number, run: () => Promise<unknown>): Promise<FastifyReply> {
  if (key === undefined) return reply.code(status).send(await run());
  const fingerprint = { method: request.method, path: request.url.split('?')[0], query: request.query, body: request.body };
  const outcome = await ctx.idempotency.begin(owner, key, fingerprint);
  if (outcome.kind === 'replay') return reply.code(outcome.status).header('idempotent-replayed', 'true').type('application/json').send(outcome.body);
  let body: unknown;
  try {
    body = await run();
  } catch (error) {
    const mapped = toApiError(error);
    if (mapped && STORED_REFUSALS.has(mapped.code)) await keep(request, () => outcome.run.complete(mapped.status, errorBody(mapped, request.id)));
    else await keep(request, () => outcome.run.abandon());
    throw error;
  }
  await keep(request, () => outcome.run.complete(status, body));
  return reply.code(status).send(body);
}

/** The write already happened at the source: failing to store its answer must not turn it into an error. */
async function keep(request: FastifyRequest, store: () => Promise<void>): Promise<void> {
  try {
    await store();
  } catch (error) {
    request.log.error({ err: error }, 'storing the Idempotency-Key outcome failed; a retry with this key may run the request again');
  }
}
