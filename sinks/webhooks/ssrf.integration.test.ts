import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../platform/events.js';
import { waitFor } from '../../test/support/wait-for.js';
import type { Resolver } from './ssrf-guard.js';
import { startHarness, type Harness } from './test-harness.js';

/**
 * DNS rebinding through the whole sink: the endpoint's name resolved to a public address when
 * the subscription was made, and resolves to an internal one when the delivery connects. The
 * attempt is refused before any connection, logged with the reason, and retried later.
 */
describe('SSRF guard at delivery time', () => {
  let harness: Harness;
  let internal: http.Server;
  let port: number;
  let connections = 0;
  const answers = new Map<string, string>();
  const dns: Resolver = async (hostname) => {
    const address = answers.get(hostname);
    if (!address) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };

  beforeAll(async () => {
    // Stands for an internal service the attacker wants to reach; nothing may ever connect to it.
    internal = http.createServer((_req, res) => res.writeHead(200).end('internal'));
    internal.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    port = (internal.address() as AddressInfo).port;
    harness = await startHarness({ serviceOverrides: { resolve: dns } });
    await harness.startSink({ resolve: dns, retrySchedule: [0, 300, 300] });
  });

  afterAll(async () => {
    await harness?.stop();
    await new Promise<void>((resolve) => internal.close(() => resolve()));
  });

  it.each([
    ['loopback', '127.0.0.1', 'a loopback address'],
    ['cloud metadata', '169.254.169.254', 'a link-local address'],
    ['private', '10.1.2.3', 'a private address'],
    ['IPv6 loopback', '::1', 'a loopback address'],
    ['IPv4-mapped IPv6', '::ffff:127.0.0.1', 'an IPv4-mapped IPv6 address'],
  ])('refuses a name rebound to %s, logs why and never connects', async (label, address, reason) => {
    const host = `${label.replace(/\W+/g, '-').toLowerCase()}.rebind.example.com`;
    answers.set(host, '93.184.216.34');
    const { subscription } = await harness.service.create({ url: `https://${host}:${port}/hook`, event_types: ['sync.completed'], connection_ids: [`conn_${host}`] });
    answers.set(host, address);
    await harness.produceEvents([createEvent('sync.completed', `conn_${host}`, {})]);
    const rows = await waitFor(
      async () => {
        const found = await harness.service.deliveries({ subscription_id: subscription.id });
        return found.length >= 3 ? found.sort((a, b) => a.attempt - b.attempt) : false;
      },
      { description: 'three refused attempts' },
    );
    for (const row of rows) {
      expect(row.status_code).toBe(0);
      expect(row.error).toBe(
        `webhook_url_forbidden_address: The webhook host ${host} resolves to ${address}, which is ${reason}; webhooks may only reach public addresses. For local development, add the host to MILLRACE_WEBHOOK_DEV_ALLOWLIST.`,
      );
    }
    expect(rows.map((row) => row.outcome)).toEqual(['retrying', 'retrying', 'failed']);
    expect(connections).toBe(0);
  });
});
