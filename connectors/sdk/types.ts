import type { z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import type { EntityName, MappedRecord, ReferenceTarget } from '../../schemas/index.js';

/**
 * The connector contract. A connector is a typed declaration; it talks to its source system and
 * nothing else (never Kafka, never ClickHouse). The runtime (producers/) owns scheduling, cursors,
 * transactions, retries of whole syncs and connection health; the transformer calls `map`.
 */

export type AuthKind =
  | 'basic'
  | 'oauth2_client_credentials'
  | 'oauth2_refresh_token'
  | 'oauth2_jwt_bearer'
  | 'oauth1_tba'
  | 'api_key'
  | 'session_token';

/** What the runtime hands a connector for one connection. */
export interface ConnectorContext<Config> {
  connectionId: string;
  /** The connection's configuration, secrets decrypted. Never log it. */
  config: Config;
  /** Child logger for this connection; pino redacts secret-looking keys. */
  logger: Logger;
  /**
   * Persists changed credentials (a rotated refresh token, a new session) into the connection
   * store, encrypted, and resolves once stored. Call it BEFORE using the new credential, so a
   * crash never leaves the source holding a token Millrace forgot.
   */
  saveCredentials(patch: Partial<Config>): Promise<void>;
}

export interface ConnectorDefinition<Config = any, Client = any> {
  /** Stable id, also the `source_system` of every record: `sap_s4hana`, `netsuite`, `dynamics365_business_central`. */
  id: string;
  displayName: string;
  authKinds: readonly AuthKind[];
  /** zod schema of a connection's config; secrets are wrapped with `secret()` (sdk/secret.ts). */
  configSchema: z.ZodType<Config>;
  /**
   * Builds the per-connection client (HTTP client with auth, rate limiter, token cache).
   * Called once per connection by the runtime and the API; the result is reused across syncs.
   */
  connect(ctx: ConnectorContext<Config>): Client | Promise<Client>;
  /** Releases what connect() opened (sessions, sockets). */
  close?(client: Client): Promise<void>;
  /**
   * A cheap authenticated call. Resolves when host, credentials and permissions are all right;
   * otherwise throws a ConnectorError whose kind says which part is wrong
   * (`unavailable` = host unreachable, `auth` = credentials rejected, `permission` = missing right).
   */
  testConnection(client: Client): Promise<void>;
  streams: readonly StreamDefinition<Client, any, any>[];
  writes?: Partial<{ [E in EntityName]: WriteOperations<Client, E> }>;
  passthrough?: PassthroughDefinition<Client>;
}

export type SyncMode = 'incremental' | 'full_refresh';

/**
 * One entity read from the source. `read` is an async generator of pages; each page carries the
 * cursor to commit with it (in the same Kafka transaction as its records), so a crash resumes
 * after the last committed page. Checkpoint mid-stream only where the query orders by the cursor;
 * otherwise yield the unchanged cursor until the last page.
 */
export interface StreamDefinition<Client, Raw, Cursor> {
  /** Stream name, unique within the connector: `purchase_orders`. */
  name: string;
  entity: EntityName;
  /** Field (dot path) in the raw record holding its key; checked by the generic stream test. */
  primaryKey: string;
  /** Field (dot path) in the raw record the cursor advances on; null for full-refresh streams. */
  cursorField: string | null;
  /**
   * The cursor field may be null in a record the source legitimately has (SAP maintenance orders
   * never changed since creation have no LastChangeDateTime; full passes find them). The generic
   * stream check then requires the field to be present, not to hold a value. Default false.
   */
  cursorNullable?: boolean;
  syncMode: SyncMode;
  /** How often the runtime polls by default; a connection may override it. */
  defaultIntervalSeconds: number;
  /** The source's key of a raw record (becomes remote_id and the Kafka key's second half). */
  remoteId(raw: Raw): string;
  /**
   * Reads from `cursor` (null = from the beginning: a full pass). Errors are thrown as
   * ConnectorError; never swallowed, never turned into an early successful end.
   */
  read(client: Client, cursor: Cursor | null, ctx: ReadContext): AsyncGenerator<StreamPage<Raw, Cursor>>;
  /** Pure: the cursor after `record` was read, given the cursor before it. */
  nextCursor(cursor: Cursor | null, record: Raw): Cursor;
  /**
   * Pure: the unified record for a raw one. Throws MappingError (sdk/errors.ts) naming the field
   * path when the raw record cannot be mapped; the transformer dead-letters it.
   */
  map(raw: Raw, ctx: MapContext): MappedRecord<EntityName>;
  /** Reads one record by remote id (after a write, to capture it at once). */
  fetchOne?(client: Client, remoteId: string): Promise<Raw | null>;
}

export interface ReadContext {
  /** Aborted when the sync is cancelled or the worker stops. */
  signal: AbortSignal;
  logger: Logger;
  /** When this sync started; streams with overlap windows compute from it, not from the clock. */
  startedAt: Date;
}

export interface StreamPage<Raw, Cursor> {
  records: Raw[];
  /** Cursor to commit together with this page's records. */
  cursor: Cursor | null;
  /** Remote ids the source reports deleted (a deleted-records feed), emitted as delete records. */
  deletedRemoteIds?: string[];
}

export interface MapContext {
  connectionId: string;
  sourceSystem: string;
  /** Millrace's deterministic id of another record of this connection (for vendor_id, asset_id,
   *  location_id, user_id …): `recordId(connectionId, entity, remoteId)` from schemas/. */
  idFor(entity: ReferenceTarget, remoteId: string): string;
}

export interface WriteContext {
  /** The caller's Idempotency-Key, for sources that dedupe retried creates (NetSuite). */
  idempotencyKey?: string;
  /**
   * The version of the record the caller's change is based on: Millrace's last captured image
   * (its `remote_data` and `remote_updated_at`). Sources with optimistic concurrency (Business
   * Central ETags, Maximo `If-Match`) send its version token, so a record changed in the source
   * since then is reported as a `conflict` (details: both versions' timestamps) instead of being
   * overwritten. Absent: the source's current version is the base.
   */
  baseVersion?: { remoteData?: unknown; remoteUpdatedAt?: string | null };
  logger: Logger;
}

export interface WriteResult {
  remoteId: string;
  /** The record as the source returned it (or re-read), captured at once into the raw topic. */
  raw?: unknown;
}

export interface ValidationIssue {
  /** Path in the unified input, e.g. `lines[0].quantity`. */
  path: string;
  message: string;
}

export interface WriteOperations<Client, E extends EntityName> {
  /**
   * Rules the source enforces that the unified model cannot express (required vendor, allowed
   * currencies …). Used for `?dry_run=true` and before every write; no network calls.
   */
  validate?(input: Record<string, unknown>, kind: 'create' | 'update'): ValidationIssue[];
  create?(client: Client, input: Partial<MappedRecord<E>>, ctx: WriteContext): Promise<WriteResult>;
  update?(client: Client, remoteId: string, patch: Partial<MappedRecord<E>>, ctx: WriteContext): Promise<WriteResult>;
}

export interface PassthroughRule {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path pattern relative to the connection's base URL; `*` matches one segment, `**` the rest. */
  path: string;
}

export interface PassthroughRequest {
  method: PassthroughRule['method'];
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface PassthroughResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface PassthroughDefinition<Client> {
  allow: readonly PassthroughRule[];
  request(client: Client, request: PassthroughRequest): Promise<PassthroughResponse>;
}
