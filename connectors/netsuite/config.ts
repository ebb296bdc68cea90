import { z } from 'zod';
import { secret } from '../sdk/secret.js';

/**
 * A NetSuite connection: the account, one of the two ways NetSuite lets an integration log in,
 * and how hard Millrace may lean on the account's shared concurrency limit.
 */
export const netsuiteConfigSchema = z.object({
  /** Account id as on Setup > Company > Company Information: `1234567`, or `1234567_SB1` for a sandbox account. */
  accountId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]+([_-][A-Za-z0-9]+)?$/, 'an account id such as 1234567 or 1234567_SB1'),
  /** Only when NetSuite is reached through another host (a proxy, or a test sandbox); default https://<account>.suitetalk.api.netsuite.com */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * `tba`: token-based authentication (OAuth 1.0a) with the consumer key/secret of the integration
   * record and a token id/secret of an access token. `oauth2_m2m`: OAuth 2.0 client credentials
   * with a certificate (NetSuite's recommended method; no new TBA integrations from 2027.1).
   * Fields are flat so that the runtime encrypts every secret (it looks at top-level fields).
   */
  authType: z.enum(['tba', 'oauth2_m2m']),
  consumerKey: secret(z.string().min(1)).optional(),
  consumerSecret: secret(z.string().min(1)).optional(),
  tokenId: secret(z.string().min(1)).optional(),
  tokenSecret: secret(z.string().min(1)).optional(),
  /** Integration record's Client ID (OAuth 2.0). */
  clientId: z.string().min(1).optional(),
  /** Certificate ID from Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup: the JWT `kid`. */
  certificateId: z.string().min(1).optional(),
  /** Private key of the uploaded certificate, PKCS#8 PEM. */
  privateKeyPem: secret(z.string().min(1)).optional(),
  jwtAlgorithm: z.enum(['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']).default('PS256'),
  /**
   * Requests in flight at once from this connection. Keep it below the account's concurrency limit
   * (15 on service tier 1 plus 10 per SuiteCloud Plus licence), which every integration shares.
   */
  maxConcurrency: z.number().int().min(1).max(50).default(4),
  /** Rows per SuiteQL page: one page of records is fetched and handed over at a time. */
  pageSize: z.number().int().min(1).max(1000).default(200),
  /**
   * Minutes re-read before the last change seen. NetSuite stamps changes to the minute and a long
   * save can commit after a later one; 60+ also covers the repeated hour when the integration
   * user's time zone leaves daylight saving time.
   */
  overlapMinutes: z.number().int().min(1).max(24 * 60).default(10),
  /** Inventory quantities change through transactions without touching the item: re-read every item this often. */
  stockRefreshHours: z.number().min(1).max(24 * 30).default(24),
  /** Create purchase orders as async jobs with an idempotency key (NetSuite dedupes a retried create). */
  asyncCreates: z.boolean().default(true),
}).superRefine((config, ctx) => {
  const needed = config.authType === 'tba' ? (['consumerKey', 'consumerSecret', 'tokenId', 'tokenSecret'] as const) : (['clientId', 'certificateId', 'privateKeyPem'] as const);
  for (const field of needed) {
    if (config[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required when authType is ${config.authType}` });
  }
});

export type NetSuiteConfig = z.infer<typeof netsuiteConfigSchema>;

/** `1234567_SB1` → realm `1234567_SB1`: NetSuite refuses a lower-case `sb` or a hyphen in the realm. */
export function realmOf(accountId: string): string {
  return accountId.toUpperCase().replace(/-/g, '_');
}

/** `1234567_SB1` → `https://1234567-sb1.suitetalk.api.netsuite.com`: the host uses lower case and a hyphen. */
export function defaultBaseUrl(accountId: string): string {
  return `https://${accountId.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com`;
}

export function baseUrlOf(config: Pick<NetSuiteConfig, 'accountId' | 'baseUrl'>): string {
  return (config.baseUrl ?? defaultBaseUrl(config.accountId)).replace(/\/+$/, '');
}

export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
