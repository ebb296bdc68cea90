import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import { defaultFaults, malformed, registerFaults, takeMalformedPage, type FaultState, type RequestLogEntry } from '../../connectors/sandbox-kit/faults.js';
import { runSandbox, type RunningSandbox } from '../../connectors/sandbox-kit/server.js';

/**
 * A small source system for the runtime's tests: OAuth2 refresh-token auth (rotating refresh
 * tokens), change-ordered incremental lists with a deleted-records feed, a page-numbered
 * full-refresh list, and the sandbox kit's fault switches (down, 429, slow, malformed pages).
 * Every list request is logged with the cursor it asked for.
 */
export interface SourceRecord {
  id: string;
  seq: number;
  name: string;
  /** Soft-delete flag, as some sources have (left in the body for the mapper). */
  retired: boolean;
  notes: string;
}

type LogItem = { kind: 'record'; record: SourceRecord } | { kind: 'deleted'; id: string; seq: number };

export interface SourceOptions {
  /** Records per incremental stream at start. */
  records?: Record<string, number>;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Body padding per record, bytes. */
  noteBytes?: number;
  /** Issue a new refresh token on every refresh (default). Off: many connections may share one. */
  rotateRefreshTokens?: boolean;
}

export class TestSource {
  readonly faults: FaultState = defaultFaults();
  readonly requestLog: RequestLogEntry[] = [];
  /** The cursor each list request asked for, per stream, in order. */
  readonly cursorLog: { stream: string; cursor: string; at: number }[] = [];
  readonly clientId: string;
  readonly clientSecret: string;
  private refreshToken: string;
  private accessTokens = new Set<string>();
  private revoked = false;
  private seq = 0;
  private readonly logs = new Map<string, LogItem[]>();
  tokenRequests = 0;
  /** `stream:cursor` pairs whose next list response is cut into invalid JSON (once each). */
  readonly malformOnce = new Set<string>();
  /** Every token the source issued (access and refresh): what must never leak. */
  readonly issuedTokens: string[] = [];
  /** A careless source that echoes the refresh token in its error bodies. */
  echoTokenInErrors = false;
  private sandbox: RunningSandbox | null = null;

  constructor(private readonly options: SourceOptions = {}) {
    this.clientId = options.clientId ?? 'test-client';
    this.clientSecret = options.clientSecret ?? `cs-${randomBytes(8).toString('hex')}`;
    this.refreshToken = options.refreshToken ?? `rt-${randomBytes(8).toString('hex')}`;
    this.issuedTokens.push(this.refreshToken);
    for (const [stream, count] of Object.entries(options.records ?? { vendors: 10, work_orders: 10, assets: 10 })) {
      this.logs.set(stream, []);
      for (let i = 0; i < count; i++) this.put(stream, `${stream.slice(0, 2)}-${String(i).padStart(6, '0')}`, `${stream} ${i}`);
    }
  }

  get url(): string {
    if (!this.sandbox) throw new Error('source not started');
    return this.sandbox.url;
  }

  /** The refresh token a connection must be created with. */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  async start(): Promise<void> {
    const app = Fastify();
    await app.register(formbody);
    registerFaults(app, this.faults, {
      unavailable: () => ({ contentType: 'application/json', body: '{"error":"service_unavailable"}' }),
      rateLimited: () => ({ contentType: 'application/json', body: '{"error":"too_many_requests"}' }),
    }, this.requestLog, (request) => request.url.startsWith('/oauth'));
    app.post('/oauth/token', async (request, reply) => this.token(request.body as Record<string, string>, reply));
    app.get('/api/ping', async (request, reply) => (this.authorized(request.headers.authorization) ? { ok: true } : reply.code(401).send({ error: 'invalid_token' })));
    app.get('/api/:stream', async (request, reply) => {
      if (!this.authorized(request.headers.authorization)) return reply.code(401).send({ error: 'invalid_token' });
      const { stream } = request.params as { stream: string };
      const query = request.query as Record<string, string>;
      const body = stream === 'assets' ? this.assetPage(Number(query.page ?? 0), Number(query.size ?? 50)) : this.changePage(stream, Number(query.since ?? 0), Number(query.limit ?? 50));
      if (body === null) return reply.code(404).send({ error: 'unknown_stream' });
      this.cursorLog.push({ stream, cursor: stream === 'assets' ? String(query.page ?? 0) : String(query.since ?? 0), at: Date.now() });
      const json = JSON.stringify(body);
      const slot = `${stream}:${this.cursorLog.at(-1)!.cursor}`;
      const cut = this.malformOnce.delete(slot) || takeMalformedPage(this.faults);
      return reply.header('content-type', 'application/json').send(cut ? malformed(json) : json);
    });
    this.sandbox = await runSandbox(app);
  }

  async stop(): Promise<void> {
    await this.sandbox?.close();
  }

  goDown(): Promise<void> {
    return this.sandbox!.goDown();
  }

  comeUp(): Promise<void> {
    return this.sandbox!.comeUp();
  }

  /** Every issued access token stops working (the next request gets 401 and must refresh). */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** The user revoked the app: access tokens and the refresh token are rejected. */
  revoke(): void {
    this.revoked = true;
    this.accessTokens.clear();
  }

  /** After a revocation: the user authorized the app again; returns the new refresh token. */
  reinstate(): string {
    this.revoked = false;
    this.refreshToken = `rt-${randomBytes(8).toString('hex')}`;
    this.issuedTokens.push(this.refreshToken);
    return this.refreshToken;
  }

  /** Creates or changes a record; it moves to the end of the change order. */
  put(stream: string, id: string, name: string, retired = false): SourceRecord {
    const log = this.logs.get(stream) ?? [];
    this.logs.set(stream, log.filter((item) => (item.kind === 'record' ? item.record.id : item.id) !== id));
    const record: SourceRecord = { id, seq: ++this.seq, name, retired, notes: 'x'.repeat(this.options.noteBytes ?? 64) };
    this.logs.get(stream)!.push({ kind: 'record', record });
    return record;
  }

  /** Deletes a record; the deleted-records feed reports it. */
  remove(stream: string, id: string): void {
    const log = (this.logs.get(stream) ?? []).filter((item) => (item.kind === 'record' ? item.record.id : item.id) !== id);
    log.push({ kind: 'deleted', id, seq: ++this.seq });
    this.logs.set(stream, log);
  }

  /** Current (not deleted) records of a stream. */
  records(stream: string): SourceRecord[] {
    return (this.logs.get(stream) ?? []).flatMap((item) => (item.kind === 'record' ? [item.record] : []));
  }

  private changePage(stream: string, since: number, limit: number) {
    const log = this.logs.get(stream);
    if (!log) return null;
    const items = log.filter((item) => (item.kind === 'record' ? item.record.seq : item.seq) > since).slice(0, limit);
    const records = items.flatMap((item) => (item.kind === 'record' ? [item.record] : []));
    const deleted = items.flatMap((item) => (item.kind === 'deleted' ? [item.id] : []));
    const last = items.at(-1);
    const lastSeq = last ? (last.kind === 'record' ? last.record.seq : last.seq) : since;
    return { records, deleted, last_seq: lastSeq, has_more: items.length === limit };
  }

  private assetPage(page: number, size: number) {
    const all = this.records('assets');
    const records = all.slice(page * size, (page + 1) * size);
    return { records, page, has_more: (page + 1) * size < all.length };
  }

  private authorized(header: string | undefined): boolean {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    return !this.revoked && token !== undefined && this.accessTokens.has(token);
  }

  private token(body: Record<string, string>, reply: { code(status: number): { send(body: unknown): unknown } }) {
    this.tokenRequests++;
    if (body.client_id !== this.clientId || body.client_secret !== this.clientSecret) return reply.code(401).send({ error: 'invalid_client' });
    if (body.grant_type !== 'refresh_token' || this.revoked || body.refresh_token !== this.refreshToken) {
      const error = this.echoTokenInErrors ? `invalid_grant for ${body.refresh_token}` : 'invalid_grant';
      return reply.code(400).send({ error, error_description: 'The refresh token is invalid, expired or revoked.' });
    }
    // Rotating refresh tokens: the old one stops working once a new one is issued.
    if (this.options.rotateRefreshTokens !== false) this.refreshToken = `rt-${randomBytes(8).toString('hex')}`;
    const accessToken = `at-${randomBytes(8).toString('hex')}`;
    this.accessTokens.add(accessToken);
    this.issuedTokens.push(this.refreshToken, accessToken);
    return { access_token: accessToken, refresh_token: this.refreshToken, token_type: 'Bearer', expires_in: 3600 };
  }
}
