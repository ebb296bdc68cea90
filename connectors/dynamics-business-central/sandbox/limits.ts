import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendBcError } from './bc-errors.js';

/**
 * Business Central's documented OData limits per environment: 6,000 requests per 5-minute sliding
 * window, at most 5 requests processed at once with up to 95 more queued (100 in all); beyond
 * either, 429 Too Many Requests with code `Application_TooManyRequests`. The window answers with
 * `Retry-After` (seconds until the oldest request leaves it); the connection cap answers without.
 */
export interface BcLimits {
  requestsPerWindow: number;
  windowMs: number;
  maxActive: number;
  maxQueued: number;
}

export const DOCUMENTED_LIMITS: BcLimits = { requestsPerWindow: 6000, windowMs: 300_000, maxActive: 5, maxQueued: 95 };

export class LimitGate {
  private readonly window: number[] = [];
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  peakActive = 0;
  throttled = 0;

  constructor(public limits: BcLimits) {}

  /** Admits the request (possibly after queueing) or answers 429; resolves false when refused. */
  async admit(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const now = Date.now();
    while (this.window.length > 0 && this.window[0]! <= now - this.limits.windowMs) this.window.shift();
    if (this.window.length >= this.limits.requestsPerWindow) {
      this.throttled++;
      const retryAfter = Math.max(1, Math.ceil((this.window[0]! + this.limits.windowMs - now) / 1000));
      reply.header('retry-after', String(retryAfter));
      sendBcError(reply, 429, 'Application_TooManyRequests', `Too many requests reached.  Actual (${this.window.length + 1}). Maximum (${this.limits.requestsPerWindow})`);
      return false;
    }
    const inSystem = this.active + this.waiting.length;
    if (inSystem >= this.limits.maxActive + this.limits.maxQueued) {
      this.throttled++;
      sendBcError(reply, 429, 'Application_TooManyRequests', `Too many requests reached.  Actual (${inSystem + 1}). Maximum (${this.limits.maxActive + this.limits.maxQueued})`);
      return false;
    }
    this.window.push(now);
    if (this.active >= this.limits.maxActive) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.peakActive = Math.max(this.peakActive, this.active);
    (request as FastifyRequest & { admitted?: boolean }).admitted = true;
    return true;
  }

  release(request: FastifyRequest): void {
    if (!(request as FastifyRequest & { admitted?: boolean }).admitted) return;
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
