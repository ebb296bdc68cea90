import { z } from 'zod';
import { secret } from '../sdk/secret.js';

/**
 * A connection to one SAP S/4HANA system (Cloud or on-premise) through its OData V2 APIs.
 * `baseUrl` is the API host (`https://my123456-api.s4hana.cloud.sap`, or an on-premise
 * `https://s4.example.com:44300`, or an API Management proxy in front of either); the services
 * live under `<baseUrl>/sap/opu/odata/sap/`. A pasted service URL is cut back to the host part.
 */
const ODATA_ROOT = '/sap/opu/odata/sap';

export const sapConfigSchema = z
  .object({
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'must be the http(s) URL of the SAP API host, e.g. https://my123456-api.s4hana.cloud.sap' })
      .transform((value) => {
        const url = new URL(value);
        const at = url.pathname.indexOf(ODATA_ROOT);
        const path = (at >= 0 ? url.pathname.slice(0, at) : url.pathname).replace(/\/+$/, '');
        return `${url.origin}${path}`;
      }),
    /** SAP client (mandant) for on-premise systems, sent as `sap-client`; Cloud tenants need none. */
    sapClient: z.string().regex(/^\d{3}$/, 'must be the three-digit SAP client, e.g. 100').optional(),
    authKind: z.enum(['basic', 'oauth2_client_credentials']).default('basic'),
    /** Communication user (Basic). */
    username: z.string().min(1).optional(),
    password: secret(z.string().min(1)).optional(),
    /** OAuth 2.0 client of the communication arrangement (client credentials). */
    clientId: z.string().min(1).optional(),
    clientSecret: secret(z.string().min(1)).optional(),
    /** Default: `<baseUrl host>/sap/bc/sec/oauth2/token`. */
    tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
    scope: z.string().min(1).optional(),
    /** Language of texts (product descriptions). */
    language: z.string().regex(/^[A-Z]{2}$/).default('EN'),
    /** Records per request ($top). SAP caps a page at 5000 (RAP) whatever is asked. */
    pageSize: z.number().int().min(1).max(5000).default(500),
    /**
     * Each incremental poll re-reads changes this far back, for changes SAP committed after their
     * change time was stamped (the update task runs after the dialog step). Re-read records that
     * did not change produce no unified update.
     */
    changeOverlapSeconds: z.number().int().min(0).max(86_400).default(60),
    /** Longest request URL to build when batching keys into a $filter (SAP's ICM limits the request line). */
    maxUrlLength: z.number().int().min(1000).max(32_000).default(4000),
    /** Document type of purchase orders created through Millrace (SAP's standard PO is NB). */
    purchaseOrderType: z.string().regex(/^[A-Z0-9]{1,4}$/).default('NB'),
    /**
     * Maintenance order type for each unified work type when Millrace creates an order. The
     * defaults are SAP's standard types; S/4HANA Cloud Best Practices use YBA1 (reactive) and
     * YBA2 (proactive). A type without an entry cannot be created.
     */
    workOrderTypes: z
      .partialRecord(z.enum(['corrective', 'preventive', 'inspection', 'emergency', 'project', 'other']), z.string().regex(/^[A-Z0-9]{1,4}$/))
      .default({ corrective: 'PM01', preventive: 'PM02', emergency: 'PM01' }),
    requestsPerSecond: z.number().positive().max(1000).default(10),
    maxConcurrency: z.number().int().min(1).max(32).default(4),
    timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  })
  .superRefine((config, context) => {
    const need = config.authKind === 'basic' ? (['username', 'password'] as const) : (['clientId', 'clientSecret'] as const);
    for (const field of need) {
      if (!config[field]) {
        context.addIssue({ code: 'custom', path: [field], message: `${field} is required when authKind is ${config.authKind}` });
      }
    }
  });

export type SapConfig = z.output<typeof sapConfigSchema>;
export type SapConfigInput = z.input<typeof sapConfigSchema>;

export function servicesRoot(config: Pick<SapConfig, 'baseUrl'>): string {
  return `${config.baseUrl}${ODATA_ROOT}/`;
}

export function defaultTokenUrl(config: Pick<SapConfig, 'baseUrl' | 'sapClient'>): string {
  const origin = new URL(config.baseUrl).origin;
  return `${origin}/sap/bc/sec/oauth2/token${config.sapClient ? `?sap-client=${config.sapClient}` : ''}`;
}
