import { abortable } from '../abort-listeners.js';
import type { AuthKind } from '../types.js';
import type { AuthProvider, AuthRequest } from './types.js';

/**
 * A fetched credential (OAuth access token, session token) shared by all requests of a
 * connection: cached until shortly before it expires, fetched by one request while the others
 * wait for that same fetch (single flight), and replaced once however many requests got a 401.
 */
export interface ObtainedCredential {
  value: string;
  /** Lifetime from now; null or absent = until the source rejects it. */
  expiresInSeconds?: number | null;
}

interface Cached {
  value: string;
  expiresAt: number | null;
  obtainedAt: number;
}

export interface SingleFlightOptions {
  /** Refresh this long before expiry (capped at half the lifetime for short-lived tokens). Default 60. */
  refreshBeforeSeconds?: number;
}

/** How many superseded values stay on the scrub list (an old token can still appear in a late error). */
const REMEMBERED = 3;

export class SingleFlightCredential {
  private current: Cached | null = null;
  private pending: Promise<Cached> | null = null;
  private readonly recent: string[] = [];

  constructor(
    private readonly obtain: () => Promise<ObtainedCredential>,
    private readonly options: SingleFlightOptions = {},
  ) {}

  /** Starts from a credential obtained earlier (a stored access token). */
  seed(value: string, expiresAt: Date | null): void {
    this.remember(value);
    this.current = { value, expiresAt: expiresAt ? expiresAt.getTime() : null, obtainedAt: Date.now() };
  }

  /** A valid credential: the cached one, or the result of the one fetch in flight. */
  async get(signal?: AbortSignal): Promise<string> {
    if (this.current && this.isFresh(this.current)) return this.current.value;
    this.pending ??= this.fetch();
    return (await abortable(this.pending, signal)).value;
  }

  /**
   * After a 401 to a request sent with `rejected`: drops it if still current, then waits for a
   * replacement (shared with concurrent callers). True when a different credential is ready.
   */
  async replace(rejected: string | undefined, signal?: AbortSignal): Promise<boolean> {
    if (rejected !== undefined && this.current?.value === rejected) this.current = null;
    const next = await this.get(signal);
    return next !== rejected;
  }

  /** Current and recently superseded values, for scrubbing. */
  values(): string[] {
    return [...this.recent];
  }

  private async fetch(): Promise<Cached> {
    try {
      const obtained = await this.obtain();
      const now = Date.now();
      const lifetime = obtained.expiresInSeconds;
      const cached = { value: obtained.value, expiresAt: lifetime === undefined || lifetime === null ? null : now + lifetime * 1000, obtainedAt: now };
      this.remember(cached.value);
      this.current = cached;
      return cached;
    } finally {
      this.pending = null;
    }
  }

  private isFresh(cached: Cached): boolean {
    if (cached.expiresAt === null) return true;
    const before = (this.options.refreshBeforeSeconds ?? 60) * 1000;
    const margin = Math.min(before, (cached.expiresAt - cached.obtainedAt) / 2);
    return Date.now() < cached.expiresAt - margin;
  }

  private remember(value: string): void {
    this.recent.unshift(value);
    this.recent.splice(REMEMBERED);
  }
}

export interface CredentialAuthOptions {
  kind: AuthKind;
  credential: SingleFlightCredential;
  /** Header carrying the credential. Default `authorization`. */
  header?: string;
  /** Text before the credential. Default `Bearer ` for `authorization`, none otherwise. */
  prefix?: string;
  /** Configured secrets (client secret, private key, password) besides the fetched values. */
  secrets: () => string[];
  close?: () => Promise<void>;
}

/** An AuthProvider that sends a fetched credential in a header and replaces it after a 401. */
export function credentialAuth(options: CredentialAuthOptions): AuthProvider {
  const header = (options.header ?? 'authorization').toLowerCase();
  const prefix = options.prefix ?? (header === 'authorization' ? 'Bearer ' : '');
  // Which credential each request carried, so a late 401 cannot discard a newer credential.
  const used = new WeakMap<AuthRequest, string>();
  return {
    kind: options.kind,
    async apply(request, signal) {
      const value = await options.credential.get(signal);
      used.set(request, value);
      request.headers[header] = `${prefix}${value}`;
    },
    onUnauthorized: (request, signal) => options.credential.replace(used.get(request), signal),
    secrets: () => [...options.secrets(), ...options.credential.values()],
    ...(options.close ? { close: options.close } : {}),
  };
}
