import { z } from 'zod';
import { connectionMappingSchema, mappableFields } from '../../../transformers/field-mapping-config.js';
import { ENTITY_NAMES } from '../../../schemas/entities.js';
import { caller } from '../../auth/authenticate.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { ApiError } from '../../errors.js';
import { connectionIdParams, errorResponses } from '../../schemas/common.js';
import { ownedConnection } from './connection-views.js';

const mappingAnswer = z.object({
  connection_id: z.string(),
  mapping: z.record(z.string(), z.unknown()).describe('Per entity: `fields` (unified field ← raw path) and `custom_fields` (include, exclude, from_raw).'),
  mappable_fields: z.record(z.string(), z.array(z.string())).describe('The fields each entity may map (the ones Millrace sets are locked).'),
});

const putBody = z.strictObject({ mapping: z.record(z.string(), z.unknown()) });

/**
 * Field mappings and custom-field selection per connection (the transformer applies them to
 * records transformed afterwards; a full resync applies them to every record). The format is
 * the transformer's (transformers/field-mapping-config.ts, docs/transformers.md).
 */
export function registerMappings(app: ZodApp, ctx: ApiContext): void {
  const mappable = Object.fromEntries(ENTITY_NAMES.map((entity) => [entity, mappableFields(entity)]));

  app.get(
    '/v1/connections/:id/mappings',
    { config: { access: 'read' }, schema: { tags: ['connections'], summary: 'Field mappings of a connection', params: connectionIdParams, response: { 200: mappingAnswer, ...errorResponses(404) } } },
    async (request) => {
      const connection = ownedConnection(ctx, request, request.params.id);
      return { connection_id: connection.id, mapping: ctx.connections.mapping(connection.id) ?? {}, mappable_fields: mappable };
    },
  );

  app.put(
    '/v1/connections/:id/mappings',
    {
      config: { access: 'write' },
      schema: { tags: ['connections'], summary: 'Replace the field mappings of a connection', params: connectionIdParams, body: putBody, response: { 200: mappingAnswer, ...errorResponses(404) } },
    },
    async (request) => {
      const connection = ownedConnection(ctx, request, request.params.id);
      const parsed = connectionMappingSchema.safeParse(request.body.mapping);
      if (!parsed.success) {
        throw new ApiError('mapping_invalid', 'The mapping is invalid.', {
          issues: parsed.error.issues.flatMap((issue) =>
            issue.code === 'unrecognized_keys'
              ? issue.keys.map((key) => ({ path: ['body', 'mapping', ...issue.path.map(String), key].join('.'), message: 'unknown field' }))
              : [{ path: ['body', 'mapping', ...issue.path.map(String)].join('.'), message: issue.message }],
          ),
        });
      }
      const mapping = Object.keys(parsed.data).length > 0 ? (parsed.data as Record<string, unknown>) : null;
      await ctx.connections.updateMapping(connection.id, mapping, { owner: caller(request).owner });
      return { connection_id: connection.id, mapping: mapping ?? {}, mappable_fields: mappable };
    },
  );
}
