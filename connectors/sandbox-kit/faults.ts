import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fault switches every sandbox offers, so connector tests can make the "real system" misbehave:
 * go down (503 or connection refused), answer slowly, rate limit (429 + Retry-After), serve a
 * malformed page. Credentials revocation and vendor-specific faults live in each sandbox.
 */
export interface FaultState {
  /** 503 answers every request with the vendor's 503 body; 'refuse' closes the listening socket. */
  down: false | 503 | 'refuse';
  /** Added latency per request, ms. */
  slowMs: number;
  /** Every request beyond `limit` per `windowMs` gets 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit: { limit: number; windowMs: number; retryAfterSeconds: number } | null;
  /** The next N list responses are cut short into invalid JSON. */
  malformedPages: number;
  /** Concurrent requests beyond this get 429 (NetSuite-style concurrency governance); 0 = unlimited. */
  maxConcurrent: number;
}

export function defaultFaults(): FaultState {
  return { down: false, slowMs: 0, rateLimit: null, malformedPages: 0, maxConcurrent: 0 };
}

export interface VendorErrorBodies {
  /** The vendor's own 503 body and content type. */
  unavailable(): { contentType: string; body: string };
  /** The vendor's own 429 body and content type. */
  rateLimited(): { contentType: string; body: string };
}

export interface RequestLogEntry {
  method: string;
  url: string;
  at: number;
  status?: number;
}

/** Entries a request log keeps by default: hours of a demo's polling, a few MB. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

export interface FaultOptions {
  /** The request log keeps the most recent this many entries (at most 10 % more between trims). */
  requestLogLimit?: number;
}

/**
 * Appends to a request log that keeps its newest `limit` entries. It stays a plain array (tests
 * filter and count it); the oldest entries are dropped in batches of a tenth of the limit, so
 * appending stays O(1) amortized and the array never exceeds limit + limit / 10.
 */
export function appendToRequestLog(log: RequestLogEntry[], entry: RequestLogEntry, limit: number): void {
  log.push(entry);
  const slack = Math.max(1, Math.floor(limit / 10));
  if (log.length > limit + slack - 1) log.splice(0, log.length - limit);
}

/** Registers the fault hooks; `isControl` requests (the sandbox's own control API) are exempt. */
export function registerFaults(
  app: FastifyInstance,
  faults: FaultState,
  bodies: VendorErrorBodies,
  requestLog: RequestLogEntry[],
  isControl: (request: FastifyRequest) => boolean = (request) => request.url.startsWith('/__sandbox'),
  options: FaultOptions = {},
): void {
  const requestLogLimit = options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT;
  if (!Number.isInteger(requestLogLimit) || requestLogLimit < 1) throw new RangeError(`requestLogLimit must be a whole number ≥ 1, got ${requestLogLimit}`);
  let windowStart = Date.now();
  let windowCount = 0;
  let inFlight = 0;
  let peakInFlight = 0;

  app.decorate('sandboxPeakConcurrency', () => peakInFlight);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (isControl(request)) return;
    const entry: RequestLogEntry = { method: request.method, url: request.url, at: Date.now() };
    appendToRequestLog(requestLog, entry, requestLogLimit);
    (request as FastifyRequest & { logEntry?: RequestLogEntry }).logEntry = entry;
    if (faults.down === 503) {
      const { contentType, body } = bodies.unavailable();
      return reply.code(503).header('content-type', contentType).header('retry-after', '1').send(body);
    }
    if (faults.rateLimit) {
      const now = Date.now();
      if (now - windowStart >= faults.rateLimit.windowMs) {
        windowStart = now;
        windowCount = 0;
      }
      windowCount++;
      if (windowCount > faults.rateLimit.limit) {
        const { contentType, body } = bodies.rateLimited();
        return reply.code(429).header('content-type', contentType).header('retry-after', String(faults.rateLimit.retryAfterSeconds)).send(body);
      }
    }
    if (faults.maxConcurrent > 0 && inFlight >= faults.maxConcurrent) {
      const { contentType, body } = bodies.rateLimited();
      return reply.code(429).header('content-type', contentType).send(body);
    }
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    (request as FastifyRequest & { counted?: boolean }).counted = true;
    if (faults.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.slowMs));
  });

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const counted = (request as FastifyRequest & { counted?: boolean }).counted;
    if (counted) inFlight--;
    const entry = (request as FastifyRequest & { logEntry?: RequestLogEntry }).logEntry;
    if (entry) entry.status = reply.statusCode;
  });
}

/** Call when serving a list page: true if this page must be served malformed (and counts it). */
export function takeMalformedPage(faults: FaultState): boolean {
  if (faults.malformedPages <= 0) return false;
  faults.malformedPages--;
  return true;
}

/** Cuts a JSON body in the middle: what a proxy dropping a connection mid-page looks like. */
export function malformed(json: string): string {
  return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
}
