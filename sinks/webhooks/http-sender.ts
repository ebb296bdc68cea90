import type { Dispatcher } from 'undici';
import { parseRetryAfter, honoursRetryAfter } from './retry-schedule.js';
import type { SignedHeaders } from './signing.js';

/**
 * One HTTP attempt: POST the signed body through the guarded agent, no redirects followed, and
 * report what happened without throwing. The response body is kept up to 2 KB for the delivery
 * log; up to 64 KB more is drained so the keep-alive connection can be reused, beyond that the
 * connection is dropped.
 */
export const RESPONSE_BODY_LOG_BYTES = 2 * 1024;
const DRAIN_LIMIT_BYTES = 64 * 1024;
const USER_AGENT = 'Millrace-Webhooks/1.0';

export interface AttemptResult {
  /** The HTTP status, when a response arrived in time. */
  status?: number;
  durationMs: number;
  /** First 2 KB of the response body (UTF-8, possibly cut mid-character). */
  responseBody: string;
  /** Why no usable response arrived: a stable code and a readable message. */
  error?: { code: string; message: string };
  /** The receiver's Retry-After in ms, on 429/503 only. */
  retryAfterMs?: number;
}

export async function postWebhook(
  dispatcher: Dispatcher,
  url: string,
  body: string,
  signed: SignedHeaders,
  timeoutMs: number,
): Promise<AttemptResult> {
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const target = parsedTarget(url);
    const response = await dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signed },
      body,
      signal: abort.signal,
    });
    const status = response.statusCode;
    const responseBody = await readLimited(response.body);
    const result: AttemptResult = { status, durationMs: elapsed(started), responseBody };
    if (honoursRetryAfter(status)) {
      const header = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header);
      if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
    }
    return result;
  } catch (error) {
    const failure = abort.signal.aborted
      ? { code: 'timeout', message: `no response within ${timeoutMs} ms` }
      : describeError(error);
    return { durationMs: elapsed(started), responseBody: '', error: failure };
  } finally {
    clearTimeout(timer);
  }
}

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let total = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (keptBytes < RESPONSE_BODY_LOG_BYTES) {
        const slice = buffer.subarray(0, RESPONSE_BODY_LOG_BYTES - keptBytes);
        kept.push(slice);
        keptBytes += slice.length;
      }
      if (total > DRAIN_LIMIT_BYTES) {
        body.destroy();
        break;
      }
    }
  } catch {
    // The status already decided the outcome; a body cut short (timeout, reset) keeps what arrived.
  }
  return Buffer.concat(kept).toString('utf8');
}

/** A stable code for the log: the SSRF guard's own codes, TLS failures, then socket errno codes. */
function describeError(error: unknown): { code: string; message: string } {
  const chain: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && chain.length < 5) {
    chain.push(current);
    current = current.cause;
  }
  const guard = chain.find((entry) => String((entry as { code?: unknown }).code ?? '').startsWith('webhook_'));
  if (guard) return { code: String((guard as unknown as { code: string }).code), message: guard.message };
  const coded = chain.find((entry) => typeof (entry as NodeJS.ErrnoException).code === 'string');
  const code = coded ? String((coded as NodeJS.ErrnoException).code) : 'request_failed';
  const message = (coded ?? chain[0])?.message ?? String(error);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)) return { code: 'tls_error', message: `${code}: ${message}` };
  return { code: 'connect_error', message: `${code}: ${message}` };
}

// Endpoint URLs parsed once: the same few hundred URLs are posted to thousands of times.
const targets = new Map<string, { origin: string; path: string }>();

function parsedTarget(url: string): { origin: string; path: string } {
  let target = targets.get(url);
  if (!target) {
    if (targets.size >= 10_000) targets.clear();
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    targets.set(url, target);
  }
  return target;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
