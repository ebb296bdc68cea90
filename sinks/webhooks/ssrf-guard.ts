import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';
import { WebhookError } from './errors.js';

/**
 * Keeps webhook deliveries away from the network Millrace runs in (SSRF).
 *
 * At subscription time `validateWebhookUrl` checks the URL and resolves its host once. At
 * delivery time `createGuardedAgent` does the check again inside the connection itself: the host
 * is resolved once per connection, every address is checked, and the socket connects to exactly
 * the checked addresses (the lookup result is the connect target), so a DNS answer that changes
 * between the check and the connect (rebinding) cannot slip through. Redirects are never followed
 * (undici follows none without its redirect interceptor, which is not installed).
 *
 * Numeric host forms (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`) are normalized by the WHATWG
 * URL parser before any check, so they are judged as the address they really are.
 */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export interface SsrfPolicy {
  /** Hosts that may be reached over plain http and on private addresses (MILLRACE_WEBHOOK_DEV_ALLOWLIST). */
  allowlist: readonly string[];
  /** How host names are resolved; the system resolver unless a test injects one. */
  resolve?: Resolver;
}

// Only globally routable unicast space is reachable; everything special is refused.
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

const RANGE_LABELS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (100.64.0.0/10) address',
  private: 'a private address',
  uniqueLocal: 'a unique-local (private) IPv6 address',
  reserved: 'a reserved address',
  ipv4Mapped: 'an IPv4-mapped IPv6 address',
};

/** Why `address` may not be reached, or null when it is a public unicast address. */
export function forbiddenAddressReason(address: string): string | null {
  const bare = stripBrackets(address).replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return 'not an IP address';
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return RANGE_LABELS.ipv4Mapped!;
    const range = v6.range();
    if (range !== 'unicast') return RANGE_LABELS[range] ?? `a special-purpose IPv6 address (${range})`;
    if (!v6.match(IPV6_GLOBAL_UNICAST)) return 'an IPv6 address outside global unicast space (2000::/3)';
    return null;
  }
  const range = (parsed as ipaddr.IPv4).range();
  if (range === 'unicast') return null;
  return RANGE_LABELS[range] ?? `a special-purpose address (${range})`;
}

/** Lower-case host without brackets or a trailing dot; IP literals in their canonical form. */
export function normalizeHost(host: string): string {
  const bare = stripBrackets(host.trim().toLowerCase()).replace(/\.$/, '');
  return ipaddr.isValid(bare) ? ipaddr.parse(bare).toString() : bare;
}

export function isAllowlisted(host: string, allowlist: readonly string[]): boolean {
  const normalized = normalizeHost(host);
  return allowlist.some((entry) => normalizeHost(entry) === normalized);
}

/**
 * The checks that need no network: an absolute https URL (http only for allowlisted hosts), no
 * credentials in it, and an IP-literal host that is public. Returns the parsed URL.
 */
export function parseWebhookUrl(raw: string, allowlist: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookError('webhook_url_invalid', `The webhook URL ${JSON.stringify(raw)} is not an absolute URL. Use https://your-host/path.`);
  }
  const allowlisted = isAllowlisted(url.hostname, allowlist);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebhookError('webhook_url_invalid', `The webhook URL uses ${url.protocol}; only https:// is accepted.`, { url: redactUrl(url) });
  }
  if (url.protocol === 'http:' && !allowlisted) {
    throw new WebhookError(
      'webhook_url_insecure',
      `The webhook URL ${redactUrl(url)} uses plain http; endpoints must use https. For local development, add ${url.hostname} to MILLRACE_WEBHOOK_DEV_ALLOWLIST.`,
      { url: redactUrl(url), host: url.hostname },
    );
  }
  if (url.username || url.password) {
    throw new WebhookError(
      'webhook_url_invalid',
      `The webhook URL ${redactUrl(url)} contains credentials; remove them and authenticate deliveries by their webhook-signature instead.`,
      { url: redactUrl(url) },
    );
  }
  const host = stripBrackets(url.hostname);
  if (!allowlisted && net.isIP(host)) assertPublicAddress(url.hostname, host);
  return url;
}

/** Subscription-time check: the static checks, then the host must resolve to public addresses only. */
export async function validateWebhookUrl(raw: string, policy: SsrfPolicy): Promise<URL> {
  const url = parseWebhookUrl(raw, policy.allowlist);
  const host = stripBrackets(url.hostname);
  if (net.isIP(host) || isAllowlisted(host, policy.allowlist)) return url;
  await resolveChecked(host, policy);
  return url;
}

/** Resolves once and refuses when any address is forbidden (an attacker may mix one public and one private). */
export async function resolveChecked(hostname: string, policy: SsrfPolicy): Promise<{ address: string; family: number }[]> {
  let addresses: { address: string; family: number }[];
  try {
    addresses = await (policy.resolve ?? systemResolver)(hostname);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'resolution failed';
    throw new WebhookError('webhook_url_unresolvable', `The webhook host ${hostname} does not resolve (${code}). Check the host name.`, { host: hostname });
  }
  if (addresses.length === 0) {
    throw new WebhookError('webhook_url_unresolvable', `The webhook host ${hostname} resolves to no address. Check the host name.`, { host: hostname });
  }
  if (!isAllowlisted(hostname, policy.allowlist)) {
    for (const { address } of addresses) assertPublicAddress(hostname, address);
  }
  return addresses;
}

function assertPublicAddress(host: string, address: string): void {
  const reason = forbiddenAddressReason(address);
  if (!reason) return;
  const resolved = normalizeHost(host) === normalizeHost(address) ? '' : ` resolves to ${address}, which is`;
  throw new WebhookError(
    'webhook_url_forbidden_address',
    `The webhook host ${host}${resolved || ' is'} ${reason}; webhooks may only reach public addresses. ` +
      'For local development, add the host to MILLRACE_WEBHOOK_DEV_ALLOWLIST.',
    { host, address, reason },
  );
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A net/tls `lookup` that resolves once, checks every address, and hands back only checked ones. */
export function guardedLookup(policy: SsrfPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolveChecked(hostname, policy).then(
      (addresses) => {
        const usable = options.family ? addresses.filter((entry) => entry.family === options.family) : addresses;
        if (usable.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} has no IPv${options.family} address`);
          error.code = 'ENOTFOUND';
          callback(error, '');
          return;
        }
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

export interface GuardedAgentOptions extends SsrfPolicy {
  /** Connections per endpoint origin; keep-alive reuses them. */
  connections?: number;
  connectTimeoutMs?: number;
}

/**
 * An undici Agent for deliveries: every new connection passes the SSRF check, IP-literal hosts
 * (which skip DNS) included; TLS certificates are verified against the URL's host name.
 */
export function createGuardedAgent(options: GuardedAgentOptions): Agent {
  const connector = buildConnector({
    lookup: guardedLookup(options),
    timeout: options.connectTimeoutMs ?? 10_000,
    rejectUnauthorized: true,
  } as buildConnector.BuildOptions);
  return new Agent({
    connections: options.connections ?? null,
    keepAliveTimeout: 30_000,
    connect: (connectOptions, callback) => {
      const host = stripBrackets(connectOptions.hostname);
      if (net.isIP(host) && !isAllowlisted(host, options.allowlist)) {
        try {
          assertPublicAddress(host, host);
        } catch (error) {
          callback(error as Error, null);
          return;
        }
      }
      connector(connectOptions, callback);
    },
  });
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The URL without query or fragment (they may carry tokens), for messages and logs. */
export function redactUrl(url: URL | string): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
