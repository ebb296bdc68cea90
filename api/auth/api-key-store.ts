import type { Admin, Kafka } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { ensureTopics } from '../../platform/kafka.js';
import type { Logger } from '../../platform/logger.js';
import { controlTopics, topicNames } from '../../platform/topics.js';
import { ApiError } from '../errors.js';
import { CompactedMap } from '../store/compacted-map.js';
import { API_KEY_SCOPES, displayPrefix, generateApiKey, hashApiKey, looksLikeApiKey, type ApiKeyScope } from './api-key-format.js';

/**
 * API keys in the compacted `api-keys` topic (key: key id). A record holds the SHA-256 of the
 * key, never the key; revoking keeps the record (revoked_at set) so listings show it.
 */
export const storedApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  scope: z.enum(API_KEY_SCOPES),
  prefix: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Requests per minute for this key; null: the server default. */
  rate_limit_per_minute: z.number().int().positive().nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
});
export type StoredApiKey = z.infer<typeof storedApiKeySchema>;

/** What the API shows of a key: everything but its hash. */
export type ApiKeyView = Omit<StoredApiKey, 'hash'>;

export interface CreateKeyInput {
  name: string;
  owner: string;
  scope: ApiKeyScope;
  rate_limit_per_minute?: number | null;
}

export interface ApiKeyStoreOptions {
  kafka: Kafka;
  prefix: string;
  logger: Logger;
  replicationFactor?: number;
}

export class ApiKeyStore {
  private readonly byHash = new Map<string, StoredApiKey>();
  private readonly hashById = new Map<string, string>();
  private readonly map: CompactedMap<StoredApiKey>;
  private readonly topic: string;

  constructor(private readonly options: ApiKeyStoreOptions) {
    this.topic = topicNames(options.prefix).apiKeys;
    this.map = new CompactedMap<StoredApiKey>({
      kafka: options.kafka,
      topic: this.topic,
      groupPrefix: `${options.prefix}api-keys-view`,
      logger: options.logger,
      parse: (value) => storedApiKeySchema.parse(JSON.parse(value.toString('utf8'))),
      onApply: (id, value) => this.index(id, value),
    });
  }

  async start(): Promise<void> {
    const admin: Admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const spec = controlTopics(this.options.prefix).filter((topic) => topic.name === this.topic);
      await ensureTopics(admin, spec, { partitions: 1, replicationFactor: this.options.replicationFactor ?? 1 });
    } finally {
      await admin.disconnect();
    }
    await this.map.start();
  }

  stop(): Promise<void> {
    return this.map.stop();
  }

  /** Creates a key; the returned `key` is the only time the secret exists outside its holder. */
  async create(input: CreateKeyInput): Promise<{ key: string; view: ApiKeyView }> {
    const generated = generateApiKey(input.scope);
    const stored: StoredApiKey = {
      id: `key_${uuidv7()}`,
      name: input.name,
      owner: input.owner,
      scope: input.scope,
      prefix: generated.prefix,
      hash: generated.hash,
      rate_limit_per_minute: input.rate_limit_per_minute ?? null,
      created_at: new Date().toISOString(),
      revoked_at: null,
    };
    await this.map.put(stored.id, stored);
    this.options.logger.info({ api_key_id: stored.id, owner: stored.owner, scope: stored.scope }, 'API key created');
    return { key: generated.key, view: viewOf(stored) };
  }

  /**
   * Stores a key whose secret the caller already holds (the demo keeps its key across restarts).
   * Idempotent: the same key again changes nothing.
   */
  async ensure(key: string, input: CreateKeyInput): Promise<ApiKeyView> {
    if (!looksLikeApiKey(key)) throw new Error('not a Millrace API key');
    const existing = this.byHash.get(hashApiKey(key));
    if (existing && existing.revoked_at === null) return viewOf(existing);
    const stored: StoredApiKey = {
      id: `key_${uuidv7()}`,
      name: input.name,
      owner: input.owner,
      scope: input.scope,
      prefix: displayPrefix(key),
      hash: hashApiKey(key),
      rate_limit_per_minute: input.rate_limit_per_minute ?? null,
      created_at: new Date().toISOString(),
      revoked_at: null,
    };
    await this.map.put(stored.id, stored);
    return viewOf(stored);
  }

  /** The active key a bearer token stands for, or undefined. */
  authenticate(token: string): StoredApiKey | undefined {
    if (!looksLikeApiKey(token)) return undefined;
    const stored = this.byHash.get(hashApiKey(token));
    return stored && stored.revoked_at === null ? stored : undefined;
  }

  list(owner: string): ApiKeyView[] {
    return [...this.map.entries.values()]
      .filter((stored) => stored.owner === owner)
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
      .map(viewOf);
  }

  get(id: string, owner: string): ApiKeyView {
    const stored = this.map.get(id);
    if (!stored || stored.owner !== owner) throw new ApiError('api_key_not_found', `No API key ${id} for this owner.`);
    return viewOf(stored);
  }

  /** Revokes at once in this process; other API processes follow within their view's lag (about a second). */
  async revoke(id: string, owner: string): Promise<ApiKeyView> {
    const stored = this.map.get(id);
    if (!stored || stored.owner !== owner) throw new ApiError('api_key_not_found', `No API key ${id} for this owner.`);
    if (stored.revoked_at !== null) return viewOf(stored);
    const revoked = { ...stored, revoked_at: new Date().toISOString() };
    await this.map.put(id, revoked);
    this.options.logger.info({ api_key_id: id, owner }, 'API key revoked');
    return viewOf(revoked);
  }

  private index(id: string, value: StoredApiKey | null): void {
    const previous = this.hashById.get(id);
    if (previous !== undefined) this.byHash.delete(previous);
    this.hashById.delete(id);
    if (!value) return;
    this.byHash.set(value.hash, value);
    this.hashById.set(id, value.hash);
  }
}

function viewOf(stored: StoredApiKey): ApiKeyView {
  const { hash: _hash, ...view } = stored;
  return view;
}
