import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import { onAbort } from './abort-listeners.js';
import type { AuthProvider, AuthRequest } from './auth/types.js';
import { ConnectorError, isConnectorError } from './errors.js';
import { errorFromNetwork, errorFromStatus, parseRetryAfter, type ErrorFrom } from './http-errors.js';
import { createResponse, normalizeHeaders, type HttpResponse, type Scrub } from './http-response.js';
import { RequestLimiter, type RequestLimits } from './limits.js';
import { redactUrl, scrubSecrets, secretsInRequest } from './redact.js';
import { DEFAULT_RETRY, retry, type RetryOptions } from './retry.js';
import { sanitizeError } from './sanitize-error.js';
import { appendQuery, encodeQueryComponent, parseQueryPairs, queryPairs, resolveUrl, type Query } from './url.js';

export type { HttpResponse } from './http-response.js';
export type { ErrorFrom } from './http-errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'MERGE' | 'OPTIONS';

export interface HttpRequest {
  method?: HttpMethod;
  /** Relative to `baseUrl` (a leading `/` is optional), or an absolute URL on an allowed origin (next links). */
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string | number | boolean | undefined>;
  /** Overrides `retry.retries` for this call: writes pass 0 unless the source dedupes them. */
  retries?: number;
  timeoutMs?: number;
  /** Aborting rejects with the signal's reason (no ConnectorError): the caller cancelled. */
  signal?: AbortSignal;
  /** false: send without the client's credentials (login and public endpoints). */
  auth?: false;
}

export interface JsonRequest<T> extends HttpRequest {
  /** The body must match; a mismatch throws `invalid_response` naming the paths. */
  schema?: z.ZodType<T>;
}

export interface HttpClientOptions {
  baseUrl: string;
  auth?: AuthProvider;
  /** Deadline of one attempt (connect, headers and the whole body), ms. Default 30 000. */
  timeoutMs?: number;
  /** Deadline of the TCP/TLS connect, ms. Default min(10 000, timeoutMs). */
  connectTimeoutMs?: number;
  retry?: RetryOptions;
  limits?: RequestLimits;
  errorFrom?: ErrorFrom;
  logger?: Logger;
  /** Sent with every request (lower- or mixed-case names). */
  headers?: Record<string, string>;
  /** Larger bodies fail with `invalid_response` instead of filling memory. Default 64 MiB. */
  maxBodyBytes?: number;
  /** Origins besides the base URL's that absolute paths may point at (credentials go there too). */
  allowedOrigins?: string[];
  /** More values to scrub from messages (e.g. secrets of the connection config the auth does not hold). */
  secrets?: () => readonly string[];
  /** Shares sockets with another client; not closed by this one. */
  dispatcher?: Dispatcher;
}

export interface HttpClient {
  readonly baseUrl: string;
  /** Resolves for 2xx; throws ConnectorError for anything else, after retries. */
  request(req: HttpRequest): Promise<HttpResponse>;
  json<T = unknown>(req: JsonRequest<T>): Promise<T>;
  /** Stops the limiter, closes sockets and the auth provider. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
const USER_AGENT = 'millrace-connector/0.1';

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const baseUrl = validBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const retryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const ownDispatcher = options.dispatcher ? null : new Agent({ connect: { timeout: options.connectTimeoutMs ?? Math.min(10_000, timeoutMs) } });
  const dispatcher = options.dispatcher ?? ownDispatcher!;
  const limiter = new RequestLimiter(options.limits);
  const origins = new Set([new URL(baseUrl).origin, ...(options.allowedOrigins ?? []).map((origin) => new URL(origin).origin)]);
  const defaultHeaders = lowerCaseKeys({ accept: 'application/json', 'user-agent': USER_AGENT, ...options.headers });
  const auth = options.auth;

  const secrets = () => [...(auth?.secrets() ?? []), ...(options.secrets?.() ?? [])];
  const scrubber = (extra: readonly string[]): Scrub => (text) => scrubSecrets(text, [...secrets(), ...extra]);
  const scrub = scrubber([]);

  /** One request as prepared once and sent on every attempt. */
  interface Plan {
    req: HttpRequest;
    method: string;
    url: string;
    body: string | Buffer | undefined;
    form: Record<string, string> | undefined;
    headers: Record<string, string>;
    /** Scrubs the connection's secrets and those this request carries itself. */
    scrub: Scrub;
    printable(url: string): string;
  }

  async function send(plan: Plan, authRequest: AuthRequest): Promise<HttpResponse> {
    const { method } = authRequest;
    const { signal } = plan.req;
    const deadlineMs = plan.req.timeoutMs ?? timeoutMs;
    const url = plan.printable(authRequest.url);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, deadlineMs);
    const releaseAbort = signal ? onAbort(signal, () => controller.abort(signal.reason)) : () => {};
    try {
      const response = await undiciRequest(authRequest.url, {
        dispatcher,
        method: method as Dispatcher.HttpMethod,
        headers: authRequest.headers,
        body: plan.body ?? null,
        signal: controller.signal,
        headersTimeout: deadlineMs,
        bodyTimeout: deadlineMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > maxBodyBytes) {
          response.body.destroy();
          throw new ConnectorError('invalid_response', `${method} ${url} answered with a body larger than ${maxBodyBytes} bytes (maxBodyBytes); page with smaller pages`, { status: response.statusCode });
        }
        chunks.push(chunk as Buffer);
      }
      const { headers, setCookies } = normalizeHeaders(response.headers);
      return createResponse({ status: response.statusCode, headers, setCookies, body: Buffer.concat(chunks), method, url, scrub: plan.scrub });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (isConnectorError(error)) throw error;
      throw errorFromNetwork(timedOut ? { code: 'TIMEOUT' } : error, method, url, deadlineMs);
    } finally {
      clearTimeout(timer);
      releaseAbort();
    }
  }

  function failure(response: HttpResponse, plan: Plan): ConnectorError {
    const vendor = options.errorFrom?.(response) ?? undefined;
    if (!vendor) return errorFromStatus(response, plan.scrub);
    const retryAfterSeconds = vendor.retryAfterSeconds ?? (response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers['retry-after']) : undefined);
    if (vendor.status !== undefined && vendor.retryAfterSeconds === retryAfterSeconds) return vendor;
    return new ConnectorError(vendor.kind, vendor.message, {
      status: vendor.status ?? response.status,
      retryAfterSeconds,
      sourceCode: vendor.sourceCode,
      sourceMessage: vendor.sourceMessage,
      fieldErrors: vendor.fieldErrors,
      details: vendor.details,
      retriable: vendor.retriable,
      cause: vendor.cause,
    });
  }

  async function attempt(plan: Plan, number: number): Promise<HttpResponse> {
    const { req, method, url } = plan;
    const useAuth = auth && req.auth !== false ? auth : undefined;
    const started = Date.now();
    const prepare = async (): Promise<AuthRequest> => {
      const authRequest: AuthRequest = { method, url, headers: { ...plan.headers }, ...(plan.form ? { form: plan.form } : {}) };
      await useAuth?.apply(authRequest, req.signal);
      return authRequest;
    };
    let sent = await prepare();
    let response = await send(plan, sent);
    if (response.status === 401 && useAuth?.onUnauthorized && (await useAuth.onUnauthorized(sent, req.signal))) {
      options.logger?.info({ method, url: response.url }, 'credential refreshed after 401; replaying the request once');
      sent = await prepare();
      response = await send(plan, sent);
    }
    options.logger?.debug({ method, url: response.url, status: response.status, attempt: number, durationMs: Date.now() - started }, 'http request');
    if (response.status >= 200 && response.status < 300) return response;
    const error = failure(response, plan);
    if (error.retryAfterSeconds !== undefined && (response.status === 429 || response.status === 503)) {
      limiter.pauseFor(Math.min(error.retryAfterSeconds, retryOptions.maxRetryAfterSeconds) * 1000);
    }
    throw error;
  }

  function plan(req: HttpRequest): Plan {
    let url: string;
    try {
      url = appendQuery(resolveUrl(baseUrl, req.path), queryPairs(req.query));
    } catch {
      throw new ConnectorError(/^https?:/i.test(req.path) ? 'invalid_response' : 'config', `the request path "${redactUrl(scrub(req.path)).slice(0, 200)}" does not make a valid URL with ${redactUrl(baseUrl)}`);
    }
    const { body, form, contentType } = encodeBody(req);
    const planScrub = scrubber(secretsInRequest([...parseQueryPairs(url)], form, req.body, req.headers));
    const printable = (target: string) => redactUrl(planScrub(target));
    if (!origins.has(new URL(url).origin)) {
      throw new ConnectorError('config', `refusing to send a request to ${printable(url)}: it is not on ${[...origins].join(', ')}, where this connection's credentials belong; add the origin to allowedOrigins if it is the source's own`);
    }
    const headers = { ...defaultHeaders, ...(contentType ? { 'content-type': contentType } : {}), ...lowerCaseKeys(req.headers ?? {}) };
    return { req, method: (req.method ?? 'GET').toUpperCase(), url, body, form, headers, scrub: planScrub, printable };
  }

  async function run(req: HttpRequest): Promise<{ response: HttpResponse; plan: Plan }> {
    let prepared: Plan | undefined;
    try {
      const current = (prepared = plan(req));
      const response = await retry((_bail, number) => limiter.run(() => attempt(current, number), req.signal), {
        ...retryOptions,
        retries: req.retries ?? retryOptions.retries,
        ...(req.signal ? { signal: req.signal } : {}),
        onRetry: ({ error, retry: retryNumber, delayMs, reason }) => {
          const failed = error as ConnectorError;
          options.logger?.warn({ method: current.method, url: current.printable(current.url), retry: retryNumber, delayMs, reason, kind: failed.kind, status: failed.status, error: current.scrub(failed.message) }, 'retrying http request');
        },
      });
      return { response, plan: current };
    } catch (error) {
      throw isConnectorError(error) ? sanitizeError(error, prepared?.scrub ?? scrub) : error;
    }
  }

  const client: HttpClient = {
    baseUrl,
    request: async (req) => (await run(req)).response,
    async json<T>(req: JsonRequest<T>): Promise<T> {
      const { response, plan: sent } = await run(req);
      const value = response.json<unknown>();
      if (!req.schema) return value as T;
      const result = req.schema.safeParse(value);
      if (result.success) return result.data;
      const issues = result.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
      throw sanitizeError(
        new ConnectorError('invalid_response', `${response.method} ${response.url} answered a body of an unexpected shape: ${issues.join('; ')}`, {
          status: response.status,
          details: { issues: result.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })) },
        }),
        sent.scrub,
      );
    },
    async close() {
      await limiter.stop();
      await auth?.close?.();
      await ownDispatcher?.close();
    },
  };

  // Session logins go through a sibling without auth and limits, sharing the sockets.
  auth?.attach?.({
    http: createHttpClient({ ...options, auth: undefined, limits: undefined, dispatcher, secrets }),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return client;
}

function validBaseUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConnectorError('config', `the base URL "${redactUrl(value).slice(0, 200)}" is not a valid URL; it looks like https://host/path/`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConnectorError('config', `the base URL must start with https:// (or http:// for a local sandbox), not ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password) {
    throw new ConnectorError('config', 'the base URL must not carry a user name or password; put credentials in the connection\'s auth settings');
  }
  return parsed.toString();
}

function encodeBody(req: HttpRequest): { body?: string | Buffer; form?: Record<string, string>; contentType?: string } {
  if (req.form) {
    const form = Object.fromEntries(Object.entries(req.form).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]));
    const body = Object.entries(form).map(([key, value]) => `${encodeQueryComponent(key)}=${encodeQueryComponent(value)}`).join('&');
    return { body, form, contentType: 'application/x-www-form-urlencoded' };
  }
  if (req.body === undefined) return {};
  if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) return { body: req.body };
  return { body: JSON.stringify(req.body), contentType: 'application/json' };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
