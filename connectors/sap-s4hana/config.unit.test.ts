import { describe, expect, it } from 'vitest';
import { secretKeys } from '../sdk/secret.js';
import { defaultTokenUrl, sapConfigSchema, servicesRoot } from './config.js';

describe('SAP connection config', () => {
  it('takes the API host, cutting a pasted service URL back to it', () => {
    const config = sapConfigSchema.parse({
      baseUrl: 'https://my303734-api.s4hana.ondemand.com/sap/opu/odata/sap/API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder',
      username: 'COMM_USER',
      password: 'pw',
    });
    expect(config.baseUrl).toBe('https://my303734-api.s4hana.ondemand.com');
    expect(servicesRoot(config)).toBe('https://my303734-api.s4hana.ondemand.com/sap/opu/odata/sap/');
    expect(config).toMatchObject({ authKind: 'basic', pageSize: 500, changeOverlapSeconds: 60, purchaseOrderType: 'NB' });
    const proxied = sapConfigSchema.parse({ baseUrl: 'https://apim.example.com/s4/', username: 'u', password: 'p', sapClient: '100' });
    expect(servicesRoot(proxied)).toBe('https://apim.example.com/s4/sap/opu/odata/sap/');
    expect(defaultTokenUrl(proxied)).toBe('https://apim.example.com/sap/bc/sec/oauth2/token?sap-client=100');
  });

  it('requires the credentials of the chosen auth kind, naming the field', () => {
    const basic = sapConfigSchema.safeParse({ baseUrl: 'https://host', username: 'u' });
    expect(basic.success).toBe(false);
    expect(basic.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['password']);
    const oauth = sapConfigSchema.safeParse({ baseUrl: 'https://host', authKind: 'oauth2_client_credentials', clientId: 'c' });
    expect(oauth.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['clientSecret']);
    expect(sapConfigSchema.safeParse({ baseUrl: 'ftp://host', username: 'u', password: 'p' }).success).toBe(false);
    expect(sapConfigSchema.safeParse({ baseUrl: 'https://host', username: 'u', password: 'p', sapClient: '1' }).success).toBe(false);
  });

  it('tags the password and client secret as secrets', () => {
    expect(secretKeys(sapConfigSchema).sort()).toEqual(['clientSecret', 'password']);
  });
});
