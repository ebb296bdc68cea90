import { z } from 'zod';
import { secretKeys } from '../../../connectors/sdk/secret.js';
import type { ConnectorDefinition } from '../../../connectors/sdk/types.js';
import type { ApiContext, ZodApp } from '../../context.js';
import { errorResponses } from '../../schemas/common.js';

const connectorSchema = z.object({
  id: z.string().describe('The `system` of a connection.'),
  display_name: z.string(),
  auth_kinds: z.array(z.string()),
  config_schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the connection config.'),
  secret_fields: z.array(z.string()).describe('Config fields that are encrypted at rest and never shown.'),
  streams: z.array(z.object({ name: z.string(), entity: z.string(), sync_mode: z.string(), default_interval_seconds: z.number() })),
  writes: z.array(z.object({ entity: z.string(), create: z.boolean(), update: z.boolean() })),
  passthrough: z.array(z.object({ method: z.string(), path: z.string() })).describe('Methods and paths the passthrough accepts.'),
});

/** GET /v1/connectors: what can be connected, how each connector is configured, and what it reads and writes. */
export function registerConnectors(app: ZodApp, ctx: ApiContext): void {
  app.get(
    '/v1/connectors',
    { config: { access: 'read' }, schema: { tags: ['connections'], summary: 'List connectors', response: { 200: z.object({ data: z.array(connectorSchema) }), ...errorResponses() } } },
    async () => ({ data: ctx.connectorList.map(describeConnector) }),
  );
}

function describeConnector(connector: ConnectorDefinition): z.infer<typeof connectorSchema> {
  return {
    id: connector.id,
    display_name: connector.displayName,
    auth_kinds: [...connector.authKinds],
    config_schema: z.toJSONSchema(connector.configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    secret_fields: secretKeys(connector.configSchema),
    streams: connector.streams.map((stream) => ({ name: stream.name, entity: stream.entity, sync_mode: stream.syncMode, default_interval_seconds: stream.defaultIntervalSeconds })),
    writes: Object.entries(connector.writes ?? {}).map(([entity, operations]) => ({ entity, create: Boolean(operations?.create), update: Boolean(operations?.update) })),
    passthrough: (connector.passthrough?.allow ?? []).map((rule) => ({ method: rule.method, path: rule.path })),
  };
}
