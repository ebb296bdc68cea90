import { z } from 'zod';
import { secret } from '../sdk/secret.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One connection = one Business Central environment of one Microsoft Entra tenant, reached with
 * one Entra application (client credentials). It covers the companies listed in `companyIds`, or
 * every company the application can see when the list is empty; records of all of them flow into
 * the same streams, told apart by `company_id` and by remote ids `<company id>/<record id>`.
 */
export const bcConfigSchema = z.object({
  tenantId: z.string().trim().min(1).describe('Microsoft Entra tenant id (GUID) or primary domain (contoso.onmicrosoft.com)'),
  environment: z.string().trim().min(1).default('Production').describe('Business Central environment name as in the admin center (Production, Sandbox, …)'),
  clientId: z.string().trim().regex(GUID, 'the Application (client) ID of the Entra app registration, a GUID'),
  clientSecret: secret(z.string().min(1).describe('A client secret value of the Entra app registration (the value, not the secret id)')),
  companyIds: z.array(z.string().regex(GUID, 'company ids are GUIDs (GET …/api/v2.0/companies lists them)').transform((id) => id.toLowerCase())).default([]),
  apiBaseUrl: z.url().default('https://api.businesscentral.dynamics.com').describe('API host; change only for a proxy or a test double'),
  loginBaseUrl: z.url().default('https://login.microsoftonline.com').describe('Microsoft identity platform host (login.microsoftonline.us for US Government clouds)'),
  scope: z.string().default('https://api.businesscentral.dynamics.com/.default'),
  /** Entities per page (`Prefer: odata.maxpagesize`); the service's own cap is 20,000. */
  pageSize: z.number().int().min(1).max(20_000).default(1000),
  /** BC processes 5 OData requests per environment at once and queues the rest: more in flight only waits. */
  maxConcurrency: z.number().int().min(1).max(100).default(5),
  /** 6,000 requests per 5-minute window per user/app = 20 a second on average. */
  requestsPerSecond: z.number().positive().max(20).default(20),
  /** BC aborts a request after 8–10 minutes; large expanded pages can take a while. */
  timeoutMs: z.number().int().min(1000).default(120_000),
});

export type BcConfig = z.infer<typeof bcConfigSchema>;
