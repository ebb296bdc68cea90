import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netsuiteConnector } from './index.js';
import { startHarness, type Harness } from './sandbox/harness.js';

describe('NetSuite passthrough', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ size: 10 });
  });
  afterAll(async () => harness.close());

  it('forwards record reads and SuiteQL with the connection credentials', async () => {
    const passthrough = netsuiteConnector.passthrough!;
    const record = await passthrough.request(harness.client, { method: 'GET', path: 'services/rest/record/v1/vendor/100', query: { fields: 'companyName' } });
    expect(record.status).toBe(200);
    expect(JSON.parse(record.body.toString())).toMatchObject({ id: '100', companyName: expect.any(String) });
    const query = await passthrough.request(harness.client, { method: 'POST', path: 'services/rest/query/v1/suiteql', query: { limit: '2' }, body: { q: 'SELECT id, symbol FROM currency ORDER BY id' } });
    expect(JSON.parse(query.body.toString())).toMatchObject({ count: 2, items: [{ id: '1', symbol: 'USD' }, { id: '2', symbol: 'GBP' }] });
    expect(passthrough.allow).toEqual([{ method: 'GET', path: 'services/rest/record/v1/**' }, { method: 'POST', path: 'services/rest/query/v1/suiteql' }]);
  });

  it("answers the source's refusal with its status and NetSuite error code", async () => {
    const missing = await netsuiteConnector.passthrough!.request(harness.client, { method: 'GET', path: 'services/rest/record/v1/vendor/999999' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ 'o:errorDetails': [{ 'o:errorCode': 'NONEXISTENT_ID' }] });
  });
});
