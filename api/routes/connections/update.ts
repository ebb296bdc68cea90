import { z } from 'zod';
import { secretKeys } from '../../../connectors/sdk/secret.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { ApiError } from '../../errors.js';
import { connectionSchema } from '../../schemas/connection.js';
import { connectionIdParams, errorResponses } from '../../schemas/common.js';
import { connectionView, ownedConnection } from './connection-views.js';

const patchBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    config: z.record(z.string(), z.unknown()).optional().describe('Fields to change; the others keep their values.'),
    schedule: z.record(z.string(), z.number().int()).optional().describe('The whole schedule: poll interval in seconds per stream.'),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of name, config, schedule');

const credentialsBody = z.strictObject({
  credentials: z.record(z.string(), z.unknown()).describe('New values of the connector\'s secret fields (GET /v1/connectors names them).'),
});

/**
 * PATCH /v1/connections/{id} (name, config, schedule) and PUT /v1/connections/{id}/credentials.
 * New credentials clear auth_required: polling resumes at once with them.
 */
export function registerUpdateConnection(app: ZodApp, ctx: ApiContext): void {
  app.patch(
    '/v1/connections/:id',
    {
      config: { access: 'write' },
      schema: { tags: ['connections'], summary: 'Update name, config or schedule', params: connectionIdParams, body: patchBody, response: { 200: connectionSchema, ...errorResponses(404) } },
    },
    async (request) => {
      const scope = { owner: caller(request).owner };
      await ctx.connections.updateConfig(request.params.id, request.body, scope);
      return connectionView(ctx, ctx.connections.get(request.params.id, scope));
    },
  );

  app.put(
    '/v1/connections/:id/credentials',
    {
      config: { access: 'write' },
      schema: { tags: ['connections'], summary: 'Replace credentials (clears auth_required)', params: connectionIdParams, body: credentialsBody, response: { 200: connectionSchema, ...errorResponses(404) } },
    },
    async (request) => {
      const connection = ownedConnection(ctx, request, request.params.id);
      const connector = ctx.connector(connection.system);
      const secretFields = connector ? secretKeys(connector.configSchema) : [];
      const unknown = Object.keys(request.body.credentials).filter((field) => !secretFields.includes(field));
      if (unknown.length > 0) {
        throw new ApiError('request_invalid', `Only secret fields can be set here (${secretFields.join(', ') || 'none'}); change other fields with PATCH.`, {
          issues: unknown.map((field) => ({ path: `body.credentials.${field}`, message: 'not a secret field of this connector' })),
        });
      }
      await ctx.connections.updateCredentials(connection.id, request.body.credentials, { owner: caller(request).owner });
      return connectionView(ctx, ctx.connections.get(connection.id));
    },
  );
}
