import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../sdk/errors.js';
import { netsuiteConnector } from './index.js';
import { startHarness, type Harness } from './sandbox/harness.js';
import { purchaseOrdersStream } from './streams/purchase-orders.js';
import { vendorsStream } from './streams/vendors.js';
import { connectorFailure } from '../sdk/testing/connector-failure.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('NetSuite connector under faults', () => {
  it.each(['tba', 'oauth2_m2m'] as const)('reports revoked credentials as auth (%s) with NetSuite INVALID_LOGIN', async (auth) => {
    harness = await startHarness({ size: 10, auth });
    await netsuiteConnector.testConnection(harness.client);
    harness.sandbox.control.revokeCredentials();
    const error = await connectorFailure(harness.sync(vendorsStream, null));
    expect(error.kind).toBe('auth');
    expect(error.retriable).toBe(false);
    expect(error.message).not.toContain(harness.config.consumerSecret ?? harness.config.privateKeyPem!.slice(30, 60));
    if (auth === 'tba') expect(error.sourceCode).toBe('INVALID_LOGIN');
  });

  it('gets a new OAuth 2.0 access token when the old one expires mid-sync', async () => {
    harness = await startHarness({ size: 10, auth: 'oauth2_m2m', config: { pageSize: 3 } });
    await harness.sync(vendorsStream, null);
    harness.sandbox.control.expireAccessTokens(); // the client still holds the token it cached
    const outcome = await harness.sync(purchaseOrdersStream, null);
    expect(outcome.records).toHaveLength(10);
    expect(harness.sandbox.loginAudit.filter((entry) => entry.reason === 'unknown, expired or revoked access token').length).toBeGreaterThan(0);
  });

  it('reports 503 and a refused connection as unavailable, and recovers when the service is back', async () => {
    // No retries here: a retried 503 would wait its Retry-After (1 s); retries are tested with 429.
    harness = await startHarness({ size: 10, retry: { retries: 0 } });
    harness.sandbox.faults.down = 503;
    const down = await connectorFailure(harness.sync(vendorsStream, null));
    expect(down).toMatchObject({ kind: 'unavailable', status: 503, sourceCode: 'SERVICE_UNAVAILABLE' });
    harness.sandbox.faults.down = false;
    await harness.running.goDown();
    const refused = await connectorFailure(harness.sync(vendorsStream, null));
    expect(refused.kind).toBe('unavailable');
    expect(refused.message).toMatch(/connection refused/);
    await harness.running.comeUp();
    expect((await harness.sync(vendorsStream, null)).records).toHaveLength(3);
  });

  it('waits out 429 (rate limit with Retry-After) and finishes the sync', async () => {
    harness = await startHarness({ size: 10, retry: { retries: 4, minDelayMs: 10, maxDelayMs: 50 } });
    harness.sandbox.faults.rateLimit = { limit: 4, windowMs: 1000, retryAfterSeconds: 1 };
    const outcome = await harness.sync(vendorsStream, null);
    expect(outcome.records).toHaveLength(3);
    expect(harness.sandbox.requestLog.some((entry) => entry.status === 429)).toBe(true);
  });

  it('keeps below the account concurrency limit; beyond it, 429s are retried until the sync finishes', async () => {
    harness = await startHarness({ size: 40, concurrencyLimit: 5, config: { maxConcurrency: 4, pageSize: 40 } });
    harness.sandbox.faults.slowMs = 15;
    const capped = await harness.sync(purchaseOrdersStream, null);
    expect(capped.records).toHaveLength(40);
    expect(harness.sandbox.peakConcurrency()).toBeLessThanOrEqual(4);
    expect(harness.sandbox.requestLog.filter((entry) => entry.status === 429)).toEqual([]);
    await harness.close();

    // Another integration uses most of the account's slots: only 2 left for this connection's 4.
    harness = await startHarness({ size: 20, concurrencyLimit: 2, config: { maxConcurrency: 4, pageSize: 20 }, retry: { retries: 8, minDelayMs: 10, maxDelayMs: 100 } });
    harness.sandbox.faults.slowMs = 15;
    const squeezed = await harness.sync(purchaseOrdersStream, null);
    expect(squeezed.records).toHaveLength(20);
    const refused = harness.sandbox.requestLog.filter((entry) => entry.status === 429);
    expect(refused.length).toBeGreaterThan(0);
  });

  it('reports a malformed page as invalid_response and commits nothing from it', async () => {
    harness = await startHarness({ size: 10 });
    harness.sandbox.faults.malformedPages = 1;
    const pages: unknown[] = [];
    const error = await connectorFailure((async () => {
      for await (const page of purchaseOrdersStream.read(harness!.client, null, { signal: new AbortController().signal, logger: (await import('./sandbox/harness.js')).quietLogger, startedAt: new Date() })) pages.push(page);
    })());
    expect(error.kind).toBe('invalid_response');
    expect(pages).toEqual([]);
    // The next attempt reads everything.
    expect((await harness.sync(purchaseOrdersStream, null)).records).toHaveLength(10);
  });

  it('reports a missing permission as permission, and a wrong account as auth', async () => {
    harness = await startHarness({ size: 10 });
    harness.sandbox.faults.deniedTypes = ['purchaseorder'];
    const denied = await connectorFailure(netsuiteConnector.testConnection(harness.client));
    expect(denied).toMatchObject({ kind: 'permission', status: 403, sourceCode: 'INSUFFICIENT_PERMISSION' });
    harness.sandbox.faults.deniedTypes = [];
    const { startHarness: start } = await import('./sandbox/harness.js');
    const other = await start({ size: 10, config: { accountId: '7654321' } });
    try {
      const wrongRealm = await connectorFailure(netsuiteConnector.testConnection(other.client));
      expect(wrongRealm).toMatchObject({ kind: 'auth', sourceCode: 'INVALID_LOGIN' });
    } finally {
      await other.close();
    }
  });

  it('survives a slow account within the timeout', async () => {
    harness = await startHarness({ size: 10, timeoutMs: 400, retry: { retries: 1, minDelayMs: 10, maxDelayMs: 20 } });
    harness.sandbox.faults.slowMs = 50;
    expect((await harness.sync(vendorsStream, null)).records).toHaveLength(3);
    harness.sandbox.faults.slowMs = 800;
    const error = await connectorFailure(harness.sync(vendorsStream, null));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/no complete answer within 400 ms/);
    harness.sandbox.faults.slowMs = 0;
  });
});
