import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/wait-for.js';
import { ConnectorError } from '../sdk/errors.js';
import { businessCentralConnector } from './index.js';
import { startHarness, type Harness } from './sandbox/test-harness.js';
import { purchaseOrdersStream } from './streams/purchase-orders.js';
import { vendorsStream } from './streams/vendors.js';
import { connectorFailure } from '../sdk/testing/connector-failure.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Business Central connector faults', () => {
  it('passes testConnection against a healthy environment', async () => {
    harness = await startHarness({ size: 3 });
    await expect(businessCentralConnector.testConnection(harness.client)).resolves.toBeUndefined();
  });

  it('fetches a new token when the old one expired (401 → refresh → replay)', async () => {
    harness = await startHarness({ size: 3 });
    await harness.read(vendorsStream);
    const issued = harness.sandbox.state.auth.tokensIssued;
    harness.sandbox.control.expireTokens();
    const { records } = await harness.read(vendorsStream);
    expect(records).toHaveLength(3);
    expect(harness.sandbox.state.auth.tokensIssued).toBe(issued + 1);
    expect(harness.sandbox.state.requestLog.some((entry) => entry.status === 401)).toBe(true);
  });

  it('refreshes a short-lived token before it expires, without a 401', async () => {
    harness = await startHarness({ size: 3, tokenTtlSeconds: 2 });
    await harness.read(vendorsStream);
    const issued = harness.sandbox.state.auth.tokensIssued;
    // The client renews once half the lifetime has passed; wait for that point in time.
    const renewAt = Date.now() + 1100;
    await waitFor(() => Date.now() >= renewAt, { intervalMs: 50, description: 'half the token lifetime' });
    await harness.read(vendorsStream);
    expect(harness.sandbox.state.auth.tokensIssued).toBe(issued + 1);
    expect(harness.sandbox.state.requestLog.some((entry) => entry.status === 401)).toBe(false);
  });

  it('reports revoked credentials as auth once the token endpoint refuses the secret too', async () => {
    harness = await startHarness({ size: 3 });
    await harness.read(vendorsStream);
    harness.sandbox.control.revokeCredentials();
    const error = await connectorFailure(harness.read(vendorsStream));
    expect(error.kind).toBe('auth');
    expect(error.sourceCode).toBe('invalid_client');
    expect(error.retriable).toBe(false);
    expect(harness.sandbox.state.requestLog.at(-1)?.status).toBe(401);
    expect(error.message).not.toContain(harness.config.clientSecret);
  });

  it('reports a wrong client secret as auth from the token endpoint', async () => {
    harness = await startHarness({ size: 3, config: { clientSecret: 'wrong-secret' } });
    const error = await connectorFailure(businessCentralConnector.testConnection(harness.client));
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain('wrong-secret');
  });

  it('reports 503 as unavailable after retrying', async () => {
    harness = await startHarness({ size: 3, retry: { retries: 1, minDelayMs: 10, maxDelayMs: 20, maxRetryAfterSeconds: 1 } });
    harness.sandbox.faults.down = 503;
    const error = await connectorFailure(harness.read(vendorsStream));
    expect(error.kind).toBe('unavailable');
    expect(error.sourceCode).toBe('Internal_TenantUnavailable');
    expect(harness.sandbox.state.requestLog.filter((entry) => entry.status === 503).length).toBe(2);
  });

  it('reports a refused connection as unavailable, and works again once the host is back', async () => {
    harness = await startHarness({ size: 3, retry: { retries: 0 } });
    await harness.read(vendorsStream);
    await harness.sandbox.server.goDown();
    expect((await connectorFailure(harness.read(vendorsStream))).kind).toBe('unavailable');
    await harness.sandbox.server.comeUp();
    expect((await harness.read(vendorsStream)).records).toHaveLength(3);
  });

  it('waits out 429 Too Many Requests with Retry-After and completes the sync', async () => {
    harness = await startHarness({ size: 10, config: { pageSize: 2 }, limits: { requestsPerWindow: 4, windowMs: 1000 } });
    const { records } = await harness.read(vendorsStream);
    expect(records).toHaveLength(10);
    const throttled = harness.sandbox.state.requestLog.filter((entry) => entry.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(harness.sandbox.state.limits.throttled).toBe(throttled.length);
  });

  it('keeps to 5 requests at once per environment', async () => {
    harness = await startHarness({ size: 3, config: { maxConcurrency: 5 } });
    harness.sandbox.faults.processingMs = 400; // longer than 5 request starts at 20 a second
    await Promise.all(Array.from({ length: 12 }, () => harness!.client.http.json({ path: `companies(${harness!.companyId})/vendors`, query: { $top: 1 } })));
    expect(harness.sandbox.state.limits.peakActive).toBe(5);
    expect(harness.sandbox.state.limits.throttled).toBe(0);
  });

  it('reports a malformed page as invalid_response and commits nothing past the last good page', async () => {
    harness = await startHarness({ size: 10, config: { pageSize: 4 } });
    const pages: unknown[] = [];
    harness.sandbox.faults.malformedPages = 1;
    let failed: unknown;
    try {
      for await (const page of purchaseOrdersStream.read(harness.client, null, { signal: new AbortController().signal, logger: undefined as never, startedAt: new Date() })) pages.push(page);
    } catch (error) {
      failed = error;
    }
    expect(failed).toBeInstanceOf(ConnectorError);
    expect((failed as ConnectorError).kind).toBe('invalid_response');
    expect(pages).toHaveLength(0);
    // The next sync, from the same (uncommitted) position, gets everything.
    const { records } = await harness.read(purchaseOrdersStream);
    expect(new Set(records.map((record) => record.id)).size).toBe(12);
  });

  it('gives up on an answer slower than the timeout as unavailable', async () => {
    harness = await startHarness({ size: 3, config: { timeoutMs: 1000 }, retry: { retries: 0 } });
    await harness.read(vendorsStream);
    harness.sandbox.faults.slowMs = 1500;
    const error = await connectorFailure(harness.read(vendorsStream));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('1000 ms');
    harness.sandbox.faults.slowMs = 0;
  });

  it('names a wrong environment or company as a configuration problem', async () => {
    harness = await startHarness({ size: 3, config: { environment: 'Sandbx' } });
    const environment = await connectorFailure(businessCentralConnector.testConnection(harness.client));
    expect(environment.kind).toBe('config');
    expect(environment.sourceCode).toBe('BadRequest_NotFound');
    await harness.close();
    harness = await startHarness({ size: 3, config: { companyIds: ['11111111-2222-3333-4444-555555555555'] } });
    const company = await connectorFailure(businessCentralConnector.testConnection(harness.client));
    expect(company.kind).toBe('config');
    expect(company.message).toContain(harness.sandbox.companyIds[0]);
  });
});
