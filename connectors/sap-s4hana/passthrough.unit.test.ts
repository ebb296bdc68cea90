import { afterEach, describe, expect, it } from 'vitest';
import { sapS4hanaConnector } from './index.js';
import { startHarness, type Harness } from './sandbox/test-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('passthrough', () => {
  it('allows reads of the six services and writes of purchase and maintenance orders only', () => {
    const allow = sapS4hanaConnector.passthrough!.allow;
    expect(allow.filter((rule) => rule.method === 'GET').map((rule) => rule.path)).toHaveLength(6);
    expect(allow.filter((rule) => rule.method !== 'GET').map((rule) => rule.path.split('/')[0])).toEqual([
      'API_PURCHASEORDER_PROCESS_SRV',
      'API_PURCHASEORDER_PROCESS_SRV',
      'API_MAINTENANCEORDER',
      'API_MAINTENANCEORDER',
    ]);
  });

  it('reads with the connection credentials and writes through the CSRF session', async () => {
    harness = await startHarness({ size: 3 });
    const passthrough = sapS4hanaConnector.passthrough!;
    const read = await passthrough.request(harness.client, { method: 'GET', path: "API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder('4500000001')", query: { $select: 'PurchaseOrder,PaymentTerms' } });
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body.toString()).d).toMatchObject({ PurchaseOrder: '4500000001' });
    const write = await passthrough.request(harness.client, { method: 'PATCH', path: "API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder('4500000001')", body: { PaymentTerms: '0004' } });
    expect(write.status).toBe(204);
    expect(harness.sandbox.control.purchaseOrder('4500000001')!.PaymentTerms).toBe('0004');
    expect(harness.sandbox.state.security.csrfFetches).toBe(1);
  });
});
