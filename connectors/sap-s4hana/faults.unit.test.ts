import { afterEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../sdk/errors.js';
import { sapS4hanaConnector } from './index.js';
import { runSync, startHarness, type Harness } from './sandbox/test-harness.js';
import { SANDBOX_CREDENTIALS } from './sandbox/index.js';
import { purchaseOrdersStream } from './streams/purchase-orders.js';
import { connectorFailure } from '../sdk/testing/connector-failure.js';

/** Each fault switch of the sandbox, and what the connector makes of it. */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const oauth = { authKind: 'oauth2_client_credentials' as const, username: undefined, password: undefined, clientId: SANDBOX_CREDENTIALS.clientId, clientSecret: SANDBOX_CREDENTIALS.clientSecret };

describe('faults', () => {
  it('revoked credentials → auth, for Basic and for OAuth client credentials; nothing is read', async () => {
    harness = await startHarness({ size: 5 });
    harness.sandbox.control.revokeCredentials();
    const basic = await connectorFailure(runSync(purchaseOrdersStream, harness.connect(), null));
    expect(basic).toMatchObject({ kind: 'auth', status: 401, retriable: false });
    const viaToken = await connectorFailure(runSync(purchaseOrdersStream, harness.connect(oauth), null));
    expect(viaToken).toMatchObject({ kind: 'auth', sourceCode: 'invalid_client' });
    harness.sandbox.control.restoreCredentials();
    expect((await runSync(purchaseOrdersStream, harness.connect(), null)).records).toHaveLength(5);
  });

  it('an expired OAuth token is refreshed once and the request replayed', async () => {
    harness = await startHarness({ size: 5 });
    const client = harness.connect(oauth);
    await runSync(purchaseOrdersStream, client, null);
    harness.sandbox.control.expireTokens();
    const again = await runSync(purchaseOrdersStream, client, null);
    expect(again.records).toHaveLength(5);
    expect(harness.sandbox.state.security.tokenRequests).toBe(2);
    const token = harness.sandbox.state.requestLog.find((entry) => entry.url.startsWith('/sap/bc/sec/oauth2/token'));
    expect(token?.method).toBe('POST');
  });

  it('503 → unavailable after the retries, with SAP ICM’s HTML page; the next sync works', async () => {
    harness = await startHarness({ size: 5 });
    harness.sandbox.control.setFaults({ down: 503 });
    const error = await connectorFailure(runSync(purchaseOrdersStream, harness.connect({}, { retries: 1, minDelayMs: 5, maxDelayMs: 10, maxRetryAfterSeconds: 1 }), null));
    expect(error).toMatchObject({ kind: 'unavailable', status: 503, retriable: true });
    expect(harness.sandbox.state.requestLog.filter((entry) => entry.status === 503)).toHaveLength(2);
    harness.sandbox.control.setFaults({ down: false });
    expect((await runSync(purchaseOrdersStream, harness.connect(), null)).records).toHaveLength(5);
  });

  it('connection refused → unavailable', async () => {
    harness = await startHarness({ size: 5 });
    await harness.sandbox.goDown();
    const error = await connectorFailure(runSync(purchaseOrdersStream, harness.connect({}, { retries: 1, minDelayMs: 5, maxDelayMs: 10 }), null));
    expect(error).toMatchObject({ kind: 'unavailable', details: { network_code: 'ECONNREFUSED' } });
    await harness.sandbox.comeUp();
    expect((await runSync(purchaseOrdersStream, harness.connect(), null)).records).toHaveLength(5);
  });

  it('429 with Retry-After is waited for, and the sync completes', async () => {
    harness = await startHarness({ size: 12 });
    harness.sandbox.control.setFaults({ rateLimit: { limit: 2, windowMs: 1000, retryAfterSeconds: 1 } });
    const started = Date.now();
    const result = await runSync(purchaseOrdersStream, harness.connect({ pageSize: 3 }, { retries: 4, minDelayMs: 5, maxDelayMs: 10, maxRetryAfterSeconds: 2 }), null);
    expect(result.records).toHaveLength(12);
    expect(harness.sandbox.state.requestLog.some((entry) => entry.status === 429)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a malformed page → invalid_response, nothing of it is yielded; the next read works', async () => {
    harness = await startHarness({ size: 9 });
    const client = harness.connect({ pageSize: 3 });
    const yielded: unknown[] = [];
    harness.sandbox.control.setFaults({ malformedPages: 1 });
    const error = await connectorFailure(
      (async () => {
        for await (const page of purchaseOrdersStream.read(client, null, { signal: new AbortController().signal, logger: client.logger, startedAt: new Date() })) yielded.push(page);
      })(),
    );
    expect(error).toMatchObject({ kind: 'invalid_response', retriable: false });
    expect(error.message).toMatch(/not valid JSON/);
    expect(yielded).toHaveLength(0);
    expect((await runSync(purchaseOrdersStream, client, null)).records).toHaveLength(9);
  });

  it('a slow system beyond the timeout → unavailable', async () => {
    harness = await startHarness({ size: 3 });
    harness.sandbox.control.setFaults({ slowMs: 1500 });
    const error = await connectorFailure(runSync(purchaseOrdersStream, harness.connect({ timeoutMs: 1000 }, { retries: 0 }), null));
    expect(error).toMatchObject({ kind: 'unavailable' });
  });
});

describe('testConnection', () => {
  it('passes on a healthy tenant and says which part is wrong otherwise', async () => {
    harness = await startHarness({ size: 3 });
    await sapS4hanaConnector.testConnection(harness.connect());
    harness.sandbox.control.denyService('API_MATERIAL_STOCK_SRV');
    const permission = await connectorFailure(sapS4hanaConnector.testConnection(harness.connect()));
    expect(permission).toMatchObject({ kind: 'permission', sourceCode: '/IWFND/CM_CONSUMER/101', details: { service: 'API_MATERIAL_STOCK_SRV' } });
    expect(permission.message).toMatch(/communication arrangement/);
    const wrongPassword = await connectorFailure(sapS4hanaConnector.testConnection(harness.connect({ password: 'wrong' })));
    expect(wrongPassword).toMatchObject({ kind: 'auth' });
    await harness.sandbox.goDown();
    const down = await connectorFailure(sapS4hanaConnector.testConnection(harness.connect({}, { retries: 0 })));
    expect(down).toMatchObject({ kind: 'unavailable' });
    await harness.sandbox.comeUp();
  });

  it('never puts the password in an error', async () => {
    harness = await startHarness({ size: 3 });
    const error = await connectorFailure(sapS4hanaConnector.testConnection(harness.connect({ password: 'Very-Secret-Pass-9' })));
    expect(JSON.stringify(error.toJSON())).not.toContain('Very-Secret-Pass-9');
    expect(error.message).not.toContain(Buffer.from(`${SANDBOX_CREDENTIALS.username}:Very-Secret-Pass-9`).toString('base64'));
  });
});
