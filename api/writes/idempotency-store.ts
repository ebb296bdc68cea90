import { createHash, randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { ensureTopics } from '../../platform/kafka.js';
import type { Logger } from '../../platform/logger.js';
import { controlTopics, topicNames } from '../../platform/topics.js';
import { ApiError } from '../errors.js';
import { CompactedMap } from '../store/compacted-map.js';

/**
 * Idempotency-Key for writes, across every API process, kept in the compacted `api-idempotency`
 * topic (one partition, so its log is one total order every process reads the same way):
 *
 * - `claim|<owner>:<key>|<request id>`: a request started. The first live claim in log order
 *   wins; the others answer 409 idempotency_key_in_progress (same body) or 422
 *   idempotency_key_reused (different body). A claim is a lease: a process that died mid-write
 *   leaves one that expires after `leaseMs`, and the key can be used again.
 * - `result|<owner>:<key>`: the answer (status, body) of the winner, replayed to every retry with
 *   the same body until it expires (`ttlMs`, 24 h by default).
 *
 * Claims and results have different keys so compaction never lets a late losing claim replace a
 * stored answer. Expired entries are tombstoned by a sweep every process runs.
 */
const claimSchema = z.object({ kind: z.literal('claim'), key: z.string(), request_id: z.string(), request_hash: z.string(), expires_at: z.number() });
const resultSchema = z.object({
  kind: z.literal('result'),
  key: z.string(),
  request_id: z.string(),
  request_hash: z.string(),
  status: z.number(),
  body: z.unknown(),
  completed_at: z.string(),
  expires_at: z.number(),
});
const entrySchema = z.discriminatedUnion('kind', [claimSchema, resultSchema]);
type Claim = z.infer<typeof claimSchema>;
type Result = z.infer<typeof resultSchema>;
type Entry = z.infer<typeof entrySchema>;

export interface IdempotencyStoreOptions {
  kafka: Kafka;
  prefix: string;
  logger: Logger;
  replicationFactor?: number;
  ttlMs?: number;
  leaseMs?: number;
  sweepIntervalMs?: number;
  now?: () => number;
}

/** What begin() hands the request that won the key. */
export interface IdempotentRun {
  /** Stores the answer for retries, then releases the claim. */
  complete(status: number, body: unknown): Promise<void>;
  /** Releases the claim without an answer: nothing happened at the source, a retry runs again. */
  abandon(): Promise<void>;
}

export type BeginOutcome = { kind: 'run'; run: IdempotentRun } | { kind: 'replay'; status: number; body: unknown };

export class IdempotencyStore {
  private readonly map: CompactedMap<Entry>;
  private readonly topic: string;
  /** Live claims per scoped key, in log order. */
  private readonly claims = new Map<string, { id: string; claim: Claim }[]>();
  private readonly results = new Map<string, Result>();
  private readonly now: () => number;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly options: IdempotencyStoreOptions) {
    this.topic = topicNames(options.prefix).apiIdempotency;
    this.now = options.now ?? Date.now;
    this.map = new CompactedMap<Entry>({
      kafka: options.kafka,
      topic: this.topic,
      groupPrefix: `${options.prefix}api-idempotency-view`,
      logger: options.logger,
      parse: (value) => entrySchema.parse(JSON.parse(value.toString('utf8'))),
      onApply: (id, value) => this.apply(id, value),
    });
  }

  async start(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, controlTopics(this.options.prefix).filter((topic) => topic.name === this.topic), { partitions: 1, replicationFactor: this.options.replicationFactor ?? 1 });
    } finally {
      await admin.disconnect();
    }
    await this.map.start();
    this.sweeper = setInterval(() => void this.sweep().catch((error) => this.options.logger.warn({ err: error }, 'idempotency sweep failed')), this.options.sweepIntervalMs ?? 10 * 60_000);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.map.stop();
  }

  /**
   * Claims `key` for this request, or answers for it: a stored result is replayed, a different
   * request under the same key is refused, a concurrent identical one is told to retry.
   */
  async begin(owner: string, key: string, request: unknown): Promise<BeginOutcome> {
    const scoped = `${owner}:${key}`;
    const hash = requestHash(request);
    const stored = this.liveResult(scoped);
    if (stored) return this.replay(stored, hash, key);
    const requestId = randomUUID();
    const claimKey = `claim|${scoped}|${requestId}`;
    await this.map.put(claimKey, { kind: 'claim', key: scoped, request_id: requestId, request_hash: hash, expires_at: this.now() + (this.options.leaseMs ?? 5 * 60_000) });
    const winner = this.liveClaims(scoped)[0];
    const resultMeanwhile = this.liveResult(scoped);
    if (resultMeanwhile || winner?.claim.request_id !== requestId) {
      await this.map.put(claimKey, null);
      if (resultMeanwhile) return this.replay(resultMeanwhile, hash, key);
      if (winner && winner.claim.request_hash !== hash) throw reused(key);
      throw new ApiError('idempotency_key_in_progress', `A request with Idempotency-Key ${key} is still running.`, { headers: { 'retry-after': '1' } });
    }
    return {
      kind: 'run',
      run: {
        complete: async (status, body) => {
          const expiresAt = this.now() + (this.options.ttlMs ?? 24 * 3_600_000);
          await this.map.put(`result|${scoped}`, { kind: 'result', key: scoped, request_id: requestId, request_hash: hash, status, body, completed_at: new Date(this.now()).toISOString(), expires_at: expiresAt });
          await this.map.put(claimKey, null);
        },
        abandon: async () => {
          await this.map.put(claimKey, null);
        },
      },
    };
  }

  /** Tombstones expired results and claims; safe to run in every process at once. */
  async sweep(): Promise<number> {
    const now = this.now();
    const expired = [...this.map.entries].filter(([, entry]) => entry.expires_at <= now).map(([id]) => id);
    for (const id of expired) await this.map.put(id, null);
    return expired.length;
  }

  private replay(stored: Result, hash: string, key: string): BeginOutcome {
    if (stored.request_hash !== hash) throw reused(key);
    return { kind: 'replay', status: stored.status, body: stored.body };
  }

  private liveResult(scoped: string): Result | undefined {
    const result = this.results.get(scoped);
    return result && result.expires_at > this.now() ? result : undefined;
  }

  private liveClaims(scoped: string): { id: string; claim: Claim }[] {
    const now = this.now();
    return (this.claims.get(scoped) ?? []).filter((entry) => entry.claim.expires_at > now);
  }

  private apply(id: string, value: Entry | null): void {
    if (id.startsWith('result|')) {
      const scoped = id.slice('result|'.length);
      if (value?.kind === 'result') this.results.set(scoped, value);
      else this.results.delete(scoped);
      return;
    }
    const scoped = id.slice('claim|'.length, id.lastIndexOf('|'));
    const list = (this.claims.get(scoped) ?? []).filter((entry) => entry.id !== id);
    if (value?.kind === 'claim') list.push({ id, claim: value });
    if (list.length > 0) this.claims.set(scoped, list);
    else this.claims.delete(scoped);
  }
}

function reused(key: string): ApiError {
  return new ApiError('idempotency_key_reused', `Idempotency-Key ${key} was used for a different request (method, path or body differ).`);
}

/** SHA-256 of the request's canonical JSON (object keys sorted), so key order in the body does not matter. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
