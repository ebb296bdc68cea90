import { z } from 'zod';
import type { PassthroughDefinition, PassthroughResponse } from '../../../connectors/sdk/types.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { ApiError } from '../../errors.js';
import { isAllowed, normalizePassthroughPath } from '../../passthrough/allowlist.js';
import { connectionIdParams, errorResponses } from '../../schemas/common.js';
import { ownedConnection } from './connection-views.js';

/** Request headers a caller may pass on; credentials and hop-by-hop headers never are. */
const FORWARDED_HEADERS = ['accept', 'accept-language', 'content-type', 'if-match', 'if-none-match', 'prefer'] as const;

const body = z.strictObject({
  method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
  path: z.string().min(1).max(2000).describe('Relative to the connection\'s API base URL, e.g. services/rest/record/v1/vendor/100.'),
  query: z.record(z.string(), z.string()).optional(),
  headers: z.partialRecord(z.enum(FORWARDED_HEADERS), z.string().max(1000)).optional().describe(`Only ${FORWARDED_HEADERS.join(', ')}; the connection adds its own authentication.`),
  body: z.unknown().optional().describe('JSON body for POST, PATCH and PUT.'),
});

/** Answer headers passed back; the rest (cookies, the source's session headers) stay behind. */
const RETURNED_HEADERS = ['content-type', 'etag', 'last-modified', 'location', 'retry-after'];

/**
 * POST /v1/connections/{id}/passthrough: a request to the source system through the connection's
 * authentication, when the connector allows that method and path. The source's answer is
 * returned as it came: its status, content type and body bytes (a 4xx/5xx of the source is its
 * answer, not an error of this API; only an unreachable source is `source_unavailable`).
 */
export function registerPassthrough(app: ZodApp, ctx: ApiContext): void {
  app.post(
    '/v1/connections/:id/passthrough',
    {
      config: { access: 'write' },
      schema: {
        tags: ['passthrough'],
        summary: 'Call the source system through the connection',
        params: connectionIdParams,
        body,
        response: { 200: z.unknown().describe('The source\'s answer, as-is (any status and content type).'), ...errorResponses(404, 405, 502) },
      },
    },
    async (request, reply) => {
      const connection = ownedConnection(ctx, request, request.params.id);
      const passthrough = ctx.connector(connection.system)?.passthrough as PassthroughDefinition<unknown> | undefined;
      if (!passthrough) throw new ApiError('passthrough_not_supported', `The ${connection.system} connector has no passthrough.`);
      const segments = normalizePassthroughPath(request.body.path);
      if (!isAllowed(passthrough.allow, request.body.method, segments)) {
        throw new ApiError('passthrough_not_allowed', `${request.body.method} ${segments.join('/')} is outside the ${connection.system} passthrough allowlist.`, {
          details: { allowed: passthrough.allow.map((rule) => `${rule.method} ${rule.path}`) },
        });
      }
      const answer = await ctx.connections.withClient(
        connection.id,
        (client) =>
          passthrough.request(client, {
            method: request.body.method,
            path: segments.join('/'),
            ...(request.body.query ? { query: request.body.query } : {}),
            ...(request.body.headers ? { headers: request.body.headers as Record<string, string> } : {}),
            ...(request.body.body !== undefined ? { body: request.body.body } : {}),
          }),
        { owner: caller(request).owner },
      );
      return sendAsIs(reply, answer);
    },
  );
}

function sendAsIs(reply: import('fastify').FastifyReply, answer: PassthroughResponse) {
  for (const name of RETURNED_HEADERS) {
    const value = answer.headers[name];
    if (value) reply.header(name, value);
  }
  if (!answer.headers['content-type']) reply.header('content-type', 'application/octet-stream');
  // A Buffer goes out untouched: fastify neither serializes nor validates it against the schema.
  return reply.code(answer.status).send(answer.body);
}
