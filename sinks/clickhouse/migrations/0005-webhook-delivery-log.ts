import { WEBHOOK_DDL } from '../../webhooks/ddl.js';
import type { Migration } from './migration.js';

/** The webhook sink's delivery log (webhook_deliveries, webhook_messages), as it defines them. */
export const webhookDeliveryLog: Migration = {
  version: 5,
  name: 'webhook delivery log',
  statements: WEBHOOK_DDL,
};
