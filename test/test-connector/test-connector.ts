import { z } from 'zod';
import { ConnectorError } from '../../connectors/sdk/errors.js';
import { secret } from '../../connectors/sdk/secret.js';
import type { ConnectorContext, ConnectorDefinition, ReadContext, StreamDefinition, StreamPage } from '../../connectors/sdk/types.js';
import type { EntityName } from '../../schemas/entities.js';
import type { SourceRecord } from './source-server.js';

/**
 * The connector for test/test-connector/source-server.ts, on plain fetch: OAuth2 refresh-token
 * auth (refresh once on 401, rotated refresh token saved before use), typed errors for 401, 429
 * (with Retry-After), 5xx, refused connections and unparseable bodies. It exercises the runtime;
 * real connectors use the SDK's HTTP client.
 */
export const testConfigSchema = z.object({
  baseUrl: z.url(),
  clientId: z.string().min(1),
  clientSecret: secret(z.string().min(1)),
  refreshToken: secret(z.string().min(1)),
  pageSize: z.number().int().min(1).max(10_000).default(50),
});

export type TestConfig = z.infer<typeof testConfigSchema>;

export class TestClient {
  private accessToken: string | null = null;
  private refreshToken: string;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly ctx: ConnectorContext<TestConfig>) {
    this.refreshToken = ctx.config.refreshToken;
  }

  get pageSize(): number {
    return this.ctx.config.pageSize;
  }

  async getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    if (!this.accessToken) await this.refresh();
    const used = this.accessToken;
    let response = await this.request(path, signal);
    if (response.status === 401) {
      // Another request may have refreshed already; refresh only if this token is still current.
      if (this.accessToken === used) await this.refresh();
      response = await this.request(path, signal);
      if (response.status === 401) throw new ConnectorError('auth', `GET ${path}: the source rejected a freshly refreshed access token`, { status: 401 });
    }
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new ConnectorError('rate_limited', `GET ${path}: the source is rate limiting requests`, { status: 429, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) });
    }
    if (response.status >= 500) throw new ConnectorError('unavailable', `GET ${path}: the source answered ${response.status}`, { status: response.status });
    if (!response.ok) throw new ConnectorError('invalid_response', `GET ${path}: unexpected status ${response.status}`, { status: response.status });
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ConnectorError('invalid_response', `GET ${path}: the body is not valid JSON (${text.length} bytes)`);
    }
  }

  private async request(path: string, signal?: AbortSignal): Promise<Response> {
    return this.fetch(`${this.ctx.config.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.accessToken}` }, ...(signal ? { signal } : {}) });
  }

  /** Single flight: streams share the client, and the source rotates refresh tokens on use. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.refreshNow().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshNow(): Promise<void> {
    const { config } = this.ctx;
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.refreshToken, client_id: config.clientId, client_secret: config.clientSecret });
    const response = await this.fetch(`${config.baseUrl}/oauth/token`, { method: 'POST', body });
    if (response.status === 400 || response.status === 401) {
      const error = (await response.json().catch(() => ({}))) as { error?: string };
      throw new ConnectorError('auth', `token refresh refused: ${error.error ?? response.status}`, { status: response.status, ...(error.error ? { sourceCode: error.error } : {}) });
    }
    if (!response.ok) throw new ConnectorError('unavailable', `token endpoint answered ${response.status}`, { status: response.status });
    const tokens = (await response.json()) as { access_token: string; refresh_token?: string };
    if (tokens.refresh_token && tokens.refresh_token !== this.refreshToken) {
      // Rotated: persist before use, so a crash never leaves the source holding a token we forgot.
      await this.ctx.saveCredentials({ refreshToken: tokens.refresh_token });
      this.refreshToken = tokens.refresh_token;
    }
    this.accessToken = tokens.access_token;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ConnectorError('unavailable', `${new URL(url).pathname}: the source is unreachable (${(error as { cause?: { code?: string } }).cause?.code ?? 'network error'})`, { cause: error });
    }
  }
}

type ChangeCursor = { since: number };
interface ChangePage {
  records: SourceRecord[];
  deleted: string[];
  last_seq: number;
  has_more: boolean;
}

function changeStream(name: string, entity: EntityName, intervalSeconds: number): StreamDefinition<TestClient, SourceRecord, ChangeCursor> {
  return {
    name,
    entity,
    primaryKey: 'id',
    cursorField: 'seq',
    syncMode: 'incremental',
    defaultIntervalSeconds: intervalSeconds,
    remoteId: (raw) => raw.id,
    async *read(client, cursor, ctx: ReadContext): AsyncGenerator<StreamPage<SourceRecord, ChangeCursor>> {
      let since = cursor?.since ?? 0;
      for (;;) {
        const page = await client.getJson<ChangePage>(`/api/${name}?since=${since}&limit=${client.pageSize}`, ctx.signal);
        since = page.last_seq;
        // The list is ordered by seq, so every page is a safe checkpoint.
        yield { records: page.records, cursor: { since }, deletedRemoteIds: page.deleted };
        if (!page.has_more) return;
      }
    },
    nextCursor: (cursor, record) => ({ since: Math.max(cursor?.since ?? 0, record.seq) }),
    map: (raw) => ({ remote_id: raw.id, name: raw.name, is_deleted: raw.retired }),
  };
}

const assets: StreamDefinition<TestClient, SourceRecord, { page: number }> = {
  name: 'assets',
  entity: 'asset',
  primaryKey: 'id',
  cursorField: null,
  syncMode: 'full_refresh',
  defaultIntervalSeconds: 3600,
  remoteId: (raw) => raw.id,
  async *read(client, cursor, ctx) {
    let page = cursor?.page ?? 0;
    for (;;) {
      const body = await client.getJson<{ records: SourceRecord[]; has_more: boolean }>(`/api/assets?page=${page}&size=${client.pageSize}`, ctx.signal);
      page++;
      yield { records: body.records, cursor: { page } };
      if (!body.has_more) return;
    }
  },
  nextCursor: (cursor) => cursor ?? { page: 0 },
  map: (raw) => ({ remote_id: raw.id, name: raw.name, is_deleted: raw.retired }),
};

export const testConnector: ConnectorDefinition<TestConfig, TestClient> = {
  id: 'millrace_test',
  displayName: 'Millrace test source',
  authKinds: ['oauth2_refresh_token'],
  configSchema: testConfigSchema,
  connect: (ctx) => new TestClient(ctx),
  testConnection: async (client) => {
    await client.getJson('/api/ping');
  },
  streams: [changeStream('vendors', 'vendor', 3600), changeStream('work_orders', 'work_order', 3600), assets],
};

export const testConnectorLookup = (id: string): ConnectorDefinition | undefined => (id === testConnector.id ? testConnector : undefined);
