import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWebhookError } from './errors.js';
import { createGuardedAgent, forbiddenAddressReason, parseWebhookUrl, validateWebhookUrl, type Resolver } from './ssrf-guard.js';

const fakeDns = (table: Record<string, string[]>): Resolver => async (hostname) => {
  const addresses = table[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (isWebhookError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('forbiddenAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['::7f00:1', 'outside global unicast'],
  ])('refuses %s (%s)', (address, label) => {
    expect(forbiddenAddressReason(address)).toContain(label);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111'])('accepts the public address %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });
});

describe('subscription-time URL validation', () => {
  const policy = { allowlist: [], resolve: fakeDns({ 'hooks.example.com': ['93.184.216.34'], 'internal.example.com': ['10.0.0.5'], 'mixed.example.com': ['93.184.216.34', '127.0.0.1'], 'v6.example.com': ['::1'], 'localhost': ['127.0.0.1'] }) };

  it('accepts an https URL whose host resolves to public addresses', async () => {
    const url = await validateWebhookUrl('https://hooks.example.com/millrace?x=1', policy);
    expect(url.hostname).toBe('hooks.example.com');
  });

  it.each([
    ['decimal', 'https://2130706433/hook', '127.0.0.1'],
    ['octal', 'https://0177.0.0.1/hook', '127.0.0.1'],
    ['hex', 'https://0x7f000001/hook', '127.0.0.1'],
    ['dotted hex', 'https://0x7f.0.0.1/hook', '127.0.0.1'],
    ['short form', 'https://127.1/hook', '127.0.0.1'],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['IPv6 loopback', 'https://[::1]/hook', '::1'],
    ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1'],
    ['IPv4-mapped public', 'https://[::ffff:8.8.8.8]/hook', '::ffff:808:808'],
    ['CGNAT', 'https://100.100.1.1/hook', '100.100.1.1'],
    ['zero', 'https://0/hook', '0.0.0.0'],
  ])('refuses a %s IP literal with a clear error', async (_label, raw, normalized) => {
    const error = await refusal(validateWebhookUrl(raw, policy));
    expect(error.code).toBe('webhook_url_forbidden_address');
    expect(error.message).toContain(normalized);
    expect(error.message).toContain('MILLRACE_WEBHOOK_DEV_ALLOWLIST');
  });

  it.each([
    ['a private address', 'https://internal.example.com/h', '10.0.0.5'],
    ['one private among public ones', 'https://mixed.example.com/h', '127.0.0.1'],
    ['an IPv6 loopback', 'https://v6.example.com/h', '::1'],
    ['loopback (localhost)', 'https://localhost/h', '127.0.0.1'],
  ])('refuses a host that resolves to %s', async (_label, raw, address) => {
    const error = await refusal(validateWebhookUrl(raw, policy));
    expect(error.code).toBe('webhook_url_forbidden_address');
    expect(error.message).toContain(`resolves to ${address}`);
  });

  it('refuses plain http unless the host is allowlisted', async () => {
    const error = await refusal(validateWebhookUrl('http://hooks.example.com/h', policy));
    expect(error.code).toBe('webhook_url_insecure');
    expect(error.message).toContain('MILLRACE_WEBHOOK_DEV_ALLOWLIST');
    const url = await validateWebhookUrl('http://127.0.0.1:8080/h', { ...policy, allowlist: ['127.0.0.1'] });
    expect(url.port).toBe('8080');
  });

  it('lets the allowlist match the normalized host', async () => {
    await expect(validateWebhookUrl('http://[::1]:9/h', { ...policy, allowlist: ['::1'] })).resolves.toBeInstanceOf(URL);
    await expect(validateWebhookUrl('http://LOCALHOST./h', { ...policy, allowlist: ['localhost'] })).resolves.toBeInstanceOf(URL);
  });

  it('refuses other schemes, relative URLs, credentials and unresolvable hosts', async () => {
    expect((await refusal(validateWebhookUrl('ftp://hooks.example.com/', policy))).code).toBe('webhook_url_invalid');
    expect((await refusal(validateWebhookUrl('file:///etc/passwd', policy))).code).toBe('webhook_url_invalid');
    expect((await refusal(validateWebhookUrl('/just/a/path', policy))).code).toBe('webhook_url_invalid');
    const credentials = await refusal(validateWebhookUrl('https://user:hunter2@hooks.example.com/', policy));
    expect(credentials.code).toBe('webhook_url_invalid');
    expect(credentials.message).not.toContain('hunter2');
    expect((await refusal(validateWebhookUrl('https://nowhere.example.com/', policy))).code).toBe('webhook_url_unresolvable');
  });

  it('does the static checks without DNS', () => {
    expect(() => parseWebhookUrl('https://10.0.0.1/', [])).toThrow(/private address/);
    expect(parseWebhookUrl('https://10.0.0.1/', ['10.0.0.1']).hostname).toBe('10.0.0.1');
  });
});

describe('delivery-time guard (the agent)', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
        return;
      }
      res.writeHead(200).end('ok');
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a name that re-resolves to loopback at connect time (DNS rebinding) and never connects', async () => {
    let calls = 0;
    const rebinding: Resolver = async () => [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    const policy = { allowlist: [], resolve: rebinding };
    await validateWebhookUrl(`https://rebind.example.com:${port}/`, policy);
    const agent = createGuardedAgent(policy);
    const before = connections;
    const error = await request(`http://rebind.example.com:${port}/`, { dispatcher: agent, method: 'POST', body: '{}' }).catch((caught: unknown) => caught);
    expect(isWebhookError(error, 'webhook_url_forbidden_address') || isWebhookError((error as Error).cause, 'webhook_url_forbidden_address')).toBe(true);
    expect(String((error as Error).message)).toContain('127.0.0.1');
    expect(connections).toBe(before);
    await agent.close();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.8', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.9', 'carrier-grade NAT'],
    ['224.0.0.251', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
  ])('refuses at connect time a name that resolves to %s (%s), without connecting', async (address, label) => {
    const agent = createGuardedAgent({ allowlist: [], resolve: async () => [{ address, family: address.includes(':') ? 6 : 4 }] });
    const before = connections;
    const error = await request(`http://victim.example.com:${port}/`, { dispatcher: agent, method: 'POST', body: '{}' }).catch((caught: unknown) => caught);
    const guard = [error, (error as Error).cause].find((candidate) => isWebhookError(candidate, 'webhook_url_forbidden_address')) as Error | undefined;
    expect(guard?.message).toContain(`victim.example.com resolves to ${address}`);
    expect(guard?.message).toContain(label);
    expect(connections).toBe(before);
    await agent.close();
  });

  it('refuses an IP-literal URL, which skips DNS, before connecting', async () => {
    const agent = createGuardedAgent({ allowlist: [] });
    const before = connections;
    const error = await request(`http://127.0.0.1:${port}/`, { dispatcher: agent, method: 'POST', body: '{}' }).catch((caught: unknown) => caught);
    expect((error as { code?: string }).code).toBe('webhook_url_forbidden_address');
    expect(connections).toBe(before);
    await agent.close();
  });

  it('connects to allowlisted hosts and does not follow redirects', async () => {
    const agent = createGuardedAgent({ allowlist: ['127.0.0.1'] });
    const response = await request(`http://127.0.0.1:${port}/redirect`, { dispatcher: agent, method: 'POST', body: '{}' });
    await response.body.dump();
    expect(response.statusCode).toBe(302);
    await agent.close();
  });
});
