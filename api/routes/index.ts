import { ENTITY_NAMES } from '../../schemas/entities.js';
import { WRITABLE_ENTITIES } from '../../schemas/index.js';
import type { ApiContext, ZodApp } from '../context.js';
import { registerApiKeyRoutes } from './api-keys/api-keys.js';
import { registerConnectionControl } from './connections/control.js';
import { registerConnectors } from './connections/connectors.js';
import { registerCreateConnection } from './connections/create.js';
import { registerDeleteConnection } from './connections/delete.js';
import { registerMappings } from './connections/mappings.js';
import { registerPassthrough } from './connections/passthrough.js';
import { registerReadConnections } from './connections/read.js';
import { registerSyncRuns } from './connections/runs.js';
import { registerTestConnection } from './connections/test.js';
import { registerUpdateConnection } from './connections/update.js';
import { registerRecordReads } from './records/read.js';
import { registerRecordWrites } from './records/write.js';
import { registerHealth } from './system/health.js';
import { registerMetrics } from './system/metrics.js';
import { registerOpenApiDocument } from './system/openapi-document.js';
import { registerSchemaRoutes } from './system/schemas.js';
import { registerSql } from './system/sql.js';
import { registerDeliveryRoutes } from './webhooks/deliveries.js';
import { registerSubscriptionRoutes } from './webhooks/subscriptions.js';

/** Every route of the API, one small file per group. */
export async function registerRoutes(app: ZodApp, ctx: ApiContext): Promise<void> {
  registerHealth(app, ctx);
  registerMetrics(app, ctx);
  registerOpenApiDocument(app);
  registerApiKeyRoutes(app, ctx);
  registerConnectors(app, ctx);
  registerCreateConnection(app, ctx);
  registerTestConnection(app, ctx);
  registerReadConnections(app, ctx);
  registerUpdateConnection(app, ctx);
  registerConnectionControl(app, ctx);
  registerDeleteConnection(app, ctx);
  registerSyncRuns(app, ctx);
  registerMappings(app, ctx);
  registerPassthrough(app, ctx);
  for (const entity of ENTITY_NAMES) registerRecordReads(app, ctx, entity);
  for (const entity of WRITABLE_ENTITIES) registerRecordWrites(app, ctx, entity);
  registerSubscriptionRoutes(app, ctx);
  registerDeliveryRoutes(app, ctx);
  registerSchemaRoutes(app, ctx);
  registerSql(app, ctx);
}
