import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import { oauth1Tba } from '../sdk/auth/oauth1-tba.js';
import { oauth2JwtBearer } from '../sdk/auth/oauth2-jwt-bearer.js';
import type { AuthProvider } from '../sdk/auth/types.js';
import { ConnectorError, isConnectorError } from '../sdk/errors.js';
import { createHttpClient, type HttpClient } from '../sdk/http.js';
import type { RetryOptions } from '../sdk/retry.js';
import { TOKEN_PATH, baseUrlOf, realmOf, type NetSuiteConfig } from './config.js';
import { netsuiteErrorFrom } from './errors.js';

/**
 * One NetSuite account over SuiteTalk REST: SuiteQL for discovery, the record service for bodies
 * and writes, the async job service for idempotent creates. Every request goes through one SDK
 * HTTP client, so `maxConcurrency` caps this connection's share of the account's concurrency
 * governance limit, and its 429s are retried with backoff.
 */
export type RecordPath = 'purchaseOrder' | 'vendor' | 'inventoryItem';

export interface SuiteQLPage {
  items: Record<string, unknown>[];
  hasMore: boolean;
  totalResults?: number;
}

const suiteqlPage = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  hasMore: z.boolean(),
  totalResults: z.number().optional(),
});

const jobStatus = z.object({ completed: z.boolean(), progress: z.string().optional() });
const taskList = z.object({ items: z.array(z.object({ links: z.array(z.object({ rel: z.string(), href: z.string() })) })).min(1) });
const task = z.object({ links: z.array(z.object({ rel: z.string(), href: z.string() })), completed: z.boolean(), progress: z.string().optional() });

/** How long an idempotent create may wait for NetSuite's async processor. */
const ASYNC_DEADLINE_MS = 5 * 60_000;

function authFor(config: NetSuiteConfig, baseUrl: string): AuthProvider {
  if (config.authType === 'tba') {
    return oauth1Tba({ realm: realmOf(config.accountId), consumerKey: config.consumerKey!, consumerSecret: config.consumerSecret!, tokenId: config.tokenId!, tokenSecret: config.tokenSecret! });
  }
  return oauth2JwtBearer({
    tokenUrl: `${baseUrl}${TOKEN_PATH}`,
    clientId: config.clientId!,
    keyId: config.certificateId!,
    privateKeyPem: config.privateKeyPem!,
    algorithm: config.jwtAlgorithm,
    scope: ['rest_webservices'],
  });
}

export class NetSuiteClient {
  readonly http: HttpClient;
  readonly baseUrl: string;
  private readonly currencies = new Map<string, string | null>();

  /** `retry` is for tests that must not wait through production backoff. */
  constructor(readonly config: NetSuiteConfig, logger?: Logger, tuning: { retry?: RetryOptions; timeoutMs?: number } = {}) {
    this.baseUrl = baseUrlOf(config);
    this.http = createHttpClient({
      baseUrl: `${this.baseUrl}/services/rest/`,
      auth: authFor(config, this.baseUrl),
      timeoutMs: tuning.timeoutMs ?? 120_000,
      // 429 from concurrency governance carries no Retry-After: back off and try again a few times.
      retry: tuning.retry ?? { retries: 5, minDelayMs: 500, maxDelayMs: 20_000 },
      limits: { maxConcurrency: config.maxConcurrency },
      errorFrom: netsuiteErrorFrom,
      headers: { accept: 'application/json' },
      ...(logger ? { logger } : {}),
    });
  }

  /** One page of a SuiteQL query (`Prefer: transient` is required by NetSuite). */
  async suiteql(query: string, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<SuiteQLPage> {
    return this.http.json({
      method: 'POST',
      path: 'query/v1/suiteql',
      query: { limit: page.limit, offset: page.offset },
      headers: { prefer: 'transient' },
      body: { q: query },
      schema: suiteqlPage,
      ...(signal ? { signal } : {}),
    });
  }

  /** The record's body with sublists expanded; null when it no longer exists. */
  async getRecord(type: RecordPath, id: string, signal?: AbortSignal): Promise<Record<string, unknown> | null> {
    try {
      return await this.http.json<Record<string, unknown>>({
        path: `record/v1/${type}/${encodeURIComponent(id)}`,
        query: { expandSubResources: 'true' },
        schema: z.record(z.string(), z.unknown()),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'not_found') return null;
      throw error;
    }
  }

  /**
   * Bodies for many ids, `maxConcurrency` at a time, order kept. Handing a whole page to the
   * HTTP client at once would park hundreds of requests (and their abort listeners) in its queue.
   */
  getRecords(type: RecordPath, ids: readonly string[], signal?: AbortSignal): Promise<(Record<string, unknown> | null)[]> {
    const limit = pLimit(this.config.maxConcurrency);
    return Promise.all(ids.map((id) => limit(() => this.getRecord(type, id, signal))));
  }

  /**
   * Creates a record and resolves with its internal id. With an idempotency key the create runs as
   * an async job (the documented way NetSuite dedupes a resubmitted request): a repeat with the same
   * key gets 400 IDEMPOTENCY_ERROR naming the first job, whose result is then used. Without one it
   * is a plain POST (204 + Location) that is never retried.
   */
  async createRecord(type: RecordPath, body: Record<string, unknown>, idempotencyKey?: string): Promise<string> {
    if (!idempotencyKey) {
      const response = await this.http.request({ method: 'POST', path: `record/v1/${type}`, body, retries: 0 });
      return idFromLocation(response.headers.location, `POST record/v1/${type}`);
    }
    let jobUrl: string;
    try {
      const response = await this.http.request({ method: 'POST', path: `record/v1/${type}`, body, headers: { prefer: 'respond-async', 'x-netsuite-idempotency-key': idempotencyKey } });
      jobUrl = this.absolute(requireLocation(response.headers.location, `POST record/v1/${type}`));
    } catch (error) {
      const location = isConnectorError(error) && error.sourceCode === 'IDEMPOTENCY_ERROR' ? error.details?.location : undefined;
      if (typeof location !== 'string') throw error;
      jobUrl = this.absolute(location); // submitted before (a retry): follow the first job
    }
    return this.resultOfJob(jobUrl, type);
  }

  /** Internal id of the currency whose symbol is `iso` (USD), or null; cached per client. */
  async currencyId(iso: string): Promise<string | null> {
    if (!/^[A-Z]{3}$/.test(iso)) return null;
    const cached = this.currencies.get(iso);
    if (cached !== undefined) return cached;
    const page = await this.suiteql(`SELECT id FROM currency WHERE symbol = '${iso}'`, { limit: 1, offset: 0 });
    const id = typeof page.items[0]?.id === 'string' ? (page.items[0].id as string) : null;
    this.currencies.set(iso, id);
    return id;
  }

  async updateRecord(type: RecordPath, id: string, body: Record<string, unknown>, replaceSublists: string[] = []): Promise<void> {
    await this.http.request({
      method: 'PATCH',
      path: `record/v1/${type}/${encodeURIComponent(id)}`,
      ...(replaceSublists.length > 0 ? { query: { replace: replaceSublists.join(',') } } : {}),
      body,
    });
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** NetSuite's docs show Location as a path (`/services/rest/async/v1/job/1`); the client needs a URL. */
  private absolute(url: string): string {
    return new URL(url, `${this.baseUrl}/`).toString();
  }

  /** Polls an async job until it completes, then reads its task's result: the created record's id, or the refusal. */
  private async resultOfJob(jobUrl: string, type: RecordPath): Promise<string> {
    const deadline = Date.now() + ASYNC_DEADLINE_MS;
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2000)) {
      const status = await this.http.json({ path: jobUrl, schema: jobStatus });
      if (status.completed) break;
      if (Date.now() > deadline) throw new ConnectorError('unavailable', `the NetSuite async job ${jobUrl} did not complete within ${ASYNC_DEADLINE_MS / 1000} s; it may still run: retry with the same idempotency key to pick up its result`);
      await sleep(delayMs);
    }
    const tasks = await this.http.json({ path: `${jobUrl}/task`, schema: taskList });
    const taskHref = tasks.items[0]!.links.find((link) => link.rel === 'self')?.href;
    if (!taskHref) throw new ConnectorError('invalid_response', `the NetSuite async job ${jobUrl} lists a task without a self link`);
    const taskUrl = this.absolute(taskHref);
    const done = await this.http.json({ path: taskUrl, schema: task });
    const related = done.links.find((link) => link.rel === 'related')?.href;
    const resultUrl = related ? this.absolute(related) : `${taskUrl}/result`;
    // A refused create answers here with NetSuite's error body, thrown as validation like a synchronous one.
    const result = await this.http.request({ path: resultUrl });
    const fromHeader = result.headers.location;
    if (fromHeader) return idFromLocation(fromHeader, `GET ${resultUrl}`);
    const parsed = result.body.length > 0 ? (result.json() as { id?: unknown; links?: { rel: string; href: string }[] }) : {};
    if (typeof parsed.id === 'string') return parsed.id;
    const self = parsed.links?.find((link) => link.rel === 'self')?.href;
    if (self && new RegExp(`/record/v1/${type}/`, 'i').test(self)) return idFromLocation(self, `GET ${resultUrl}`);
    throw new ConnectorError('invalid_response', `the NetSuite async job ${jobUrl} finished (${done.progress ?? 'unknown progress'}) without naming the created record`);
  }
}

function requireLocation(location: string | undefined, what: string): string {
  if (!location) throw new ConnectorError('invalid_response', `${what} succeeded without a Location header; NetSuite always names the created record or job there`);
  return location;
}

/** `…/services/rest/record/v1/purchaseorder/1234` → `1234`. */
export function idFromLocation(location: string | undefined, what: string): string {
  const match = /\/record\/v1\/[^/]+\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(requireLocation(location, what));
  if (!match) throw new ConnectorError('invalid_response', `${what} answered a Location that names no record: ${location}`);
  return decodeURIComponent(match[1]!);
}
