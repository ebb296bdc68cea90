import type { Kafka, Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { connectorById } from '../connectors/registry.js';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import { createEvent, eventKey, type EventType } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import { captureTimestampMicros, rawHeaders, rawKey } from '../platform/raw-record.js';
import { topicNames, type TopicNames } from '../platform/topics.js';
import { ENTITY_PLURALS } from '../schemas/entities.js';
import { cursorKey } from './capture-messages.js';
import { splitConfig, validateConfig, validateSchedule, type ConnectionRecord } from './connection-record.js';
import { publicConnection, syncRunsOf, type PublicConnection, type SyncRunsView } from './connection-public.js';
import type { ConnectionStatus } from './connection-state.js';
import { ConnectionStore } from './connection-store.js';
import { ConnectionView } from './connection-view.js';
import { RuntimeError } from './errors.js';
import type { KeyRing } from './master-keys.js';
import { ensureProducerTopics } from './producer-topics.js';
import { classifyError, secretValues } from './runtime-settings.js';

export interface ConnectionServiceOptions {
  kafka: Kafka;
  /** MILLRACE_TOPIC_PREFIX. */
  prefix: string;
  partitions: number;
  replicationFactor: number;
  keyRing: KeyRing;
  logger: Logger;
  /** Finds a connection's connector by its system id; default: connectors/registry.ts. */
  connectorLookup?: (id: string) => ConnectorDefinition | undefined;
}

export interface ConnectionInput {
  system: string;
  name: string;
  /** The full config, secrets included; secrets are sealed and never returned. */
  config: Record<string, unknown>;
  schedule?: Record<string, number>;
  owner?: string | null;
  paused?: boolean;
}

export interface ConnectionFilter {
  owner?: string;
  system?: string;
  status?: ConnectionStatus;
}

/** `owner` set: the caller may only see that owner's connections (others read as not found). */
export interface AccessScope {
  owner?: string;
}

export type TestResult = { ok: true } | { ok: false; error: { code: string; message: string; retriable: boolean } };

/**
 * What the API and other stages call to manage connections. Writes go to the `connections`
 * topic and return once the service's own view shows them; reads come from that view.
 * Credentials are write-only: nothing here returns a secret.
 */
export class ConnectionService {
  private readonly topics: TopicNames;
  private readonly lookup: (id: string) => ConnectorDefinition | undefined;
  private readonly store: ConnectionStore;
  private readonly view: ConnectionView;
  private events: Producer | null = null;

  constructor(private readonly options: ConnectionServiceOptions) {
    this.topics = topicNames(options.prefix);
    this.lookup = options.connectorLookup ?? connectorById;
    this.store = new ConnectionStore(options.kafka, this.topics, options.keyRing, options.logger);
    this.view = new ConnectionView(options.kafka, this.topics, options.logger, `${options.prefix}connections-view`);
  }

  async start(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      await ensureProducerTopics(admin, this.options);
    } finally {
      await admin.disconnect();
    }
    await this.store.start();
    this.events = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.events.connect();
    await this.view.start();
  }

  async stop(): Promise<void> {
    await this.view.stop();
    await this.events?.disconnect().catch(() => {});
    await this.store.stop();
  }

  async create(input: ConnectionInput): Promise<PublicConnection> {
    const connector = this.connector(input.system);
    const config = validateConfig(connector, input.config);
    const schedule = validateSchedule(connector, input.schedule ?? {});
    const now = new Date().toISOString();
    const record = this.store.seal(
      connector,
      { id: uuidv7(), system: connector.id, name: input.name, schedule, paused: input.paused ?? false, owner: input.owner ?? null, revision: 1, created_at: now, updated_at: now, sync_requests: {} },
      config,
    );
    await this.write(record);
    await this.announce('connection.created', record.id, { system: record.system, name: record.name });
    return this.get(record.id);
  }

  get(id: string, scope: AccessScope = {}): PublicConnection {
    const record = this.record(id, scope);
    return publicConnection(record, this.view.states.get(id) ?? null, this.lookup(record.system));
  }

  list(filter: ConnectionFilter = {}): PublicConnection[] {
    return [...this.view.records.values()]
      .filter((record) => (filter.owner === undefined || record.owner === filter.owner) && (filter.system === undefined || record.system === filter.system))
      .map((record) => publicConnection(record, this.view.states.get(record.id) ?? null, this.lookup(record.system)))
      .filter((connection) => filter.status === undefined || connection.status === filter.status)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** Changes name, schedule or config fields; a new revision, so a held connection resumes. */
  async updateConfig(id: string, patch: { name?: string; config?: Record<string, unknown>; schedule?: Record<string, number> }, scope: AccessScope = {}): Promise<PublicConnection> {
    const record = this.record(id, scope);
    const connector = this.connector(record.system);
    const config = validateConfig(connector, { ...this.store.open(record).config, ...(patch.config ?? {}) });
    const schedule = patch.schedule === undefined ? record.schedule : validateSchedule(connector, patch.schedule);
    const next = this.store.seal(connector, { ...this.bump(record), name: patch.name ?? record.name, schedule }, config);
    await this.write(next);
    await this.announce('connection.updated', id, { changed: Object.keys(patch) });
    return this.get(id);
  }

  /** New credentials (write-only). Clears auth_required: the owner resumes polling with them. */
  async updateCredentials(id: string, credentials: Record<string, unknown>, scope: AccessScope = {}): Promise<PublicConnection> {
    const record = this.record(id, scope);
    const connector = this.connector(record.system);
    const config = validateConfig(connector, { ...this.store.open(record).config, ...credentials });
    await this.write(this.store.seal(connector, this.bump(record), config));
    await this.announce('connection.updated', id, { changed: ['credentials'] });
    return this.get(id);
  }

  pause(id: string, scope: AccessScope = {}): Promise<PublicConnection> {
    return this.setPaused(id, true, scope);
  }

  resume(id: string, scope: AccessScope = {}): Promise<PublicConnection> {
    return this.setPaused(id, false, scope);
  }

  /**
   * Deletes the connection (a tombstone; its owner stops polling). `purge` also removes its
   * runtime state and cursors, so a connection created again starts from scratch.
   */
  async delete(id: string, options: { purge?: boolean } = {}, scope: AccessScope = {}): Promise<void> {
    const record = this.record(id, scope);
    await this.view.waitUntilApplied(await this.store.tombstone(id));
    if (options.purge) {
      const streams = this.lookup(record.system)?.streams.map((stream) => stream.name) ?? [];
      await this.events!.sendBatch({
        acks: -1,
        topicMessages: [
          { topic: this.topics.connectionState, messages: [{ key: id, value: null }] },
          ...(streams.length > 0 ? [{ topic: this.topics.cursors, messages: streams.map((stream) => ({ key: cursorKey(id, stream), value: null })) }] : []),
        ],
      });
    }
    await this.announce('connection.deleted', id, { system: record.system, purge: options.purge ?? false });
  }

  /** Runs the stream (or every stream) now, from its cursor. */
  async syncNow(id: string, stream?: string, scope: AccessScope = {}): Promise<PublicConnection> {
    return this.requestSync(id, stream, false, scope);
  }

  /** Backfills the stream from an empty cursor (a full pass); other streams keep their schedule. */
  async fullResync(id: string, stream: string, scope: AccessScope = {}): Promise<PublicConnection> {
    return this.requestSync(id, stream, true, scope);
  }

  /** Status, last success, next run and errors per stream, and the recent runs (newest first). */
  async syncRuns(id: string, scope: AccessScope = {}): Promise<SyncRunsView> {
    this.record(id, scope);
    await this.view.refresh();
    return syncRunsOf(this.view.states.get(id) ?? null);
  }

  /** Checks host, credentials and permissions of a stored connection or of a draft config. */
  async testConnection(target: string | { system: string; config: Record<string, unknown> }, scope: AccessScope = {}): Promise<TestResult> {
    let connector: ConnectorDefinition;
    let config: Record<string, unknown>;
    let connectionId: string;
    let saveCredentials = async (_patch: Record<string, unknown>) => {};
    if (typeof target === 'string') {
      const record = this.record(target, scope);
      connector = this.connector(record.system);
      config = this.store.open(record).config;
      connectionId = record.id;
      saveCredentials = (patch) => this.store.saveRotated(connector, record, this.view.records.get(record.id), patch);
    } else {
      connector = this.connector(target.system);
      config = validateConfig(connector, target.config);
      connectionId = 'draft';
    }
    const secrets = secretValues(splitConfig(connector, config).secrets);
    let client: unknown;
    try {
      client = await connector.connect({ connectionId, config, logger: this.options.logger.child({ connection_id: connectionId, system: connector.id }), saveCredentials });
      await connector.testConnection(client);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: classifyError(error, secrets).error };
    } finally {
      if (client !== undefined) await connector.close?.(client).catch(() => {});
    }
  }

  /**
   * Runs `fn` with a connector client of a stored connection (its credentials, token rotation
   * saved like the runtime's own clients), then closes the client. For the API's writes and
   * passthrough, which must reach the source through the connection's auth.
   */
  async withClient<T>(id: string, fn: (client: unknown, connector: ConnectorDefinition) => Promise<T>, scope: AccessScope = {}): Promise<T> {
    const record = this.record(id, scope);
    const connector = this.connector(record.system);
    const config = this.store.open(record).config;
    const client = await connector.connect({
      connectionId: record.id,
      config,
      logger: this.options.logger.child({ connection_id: record.id, system: connector.id }),
      saveCredentials: (patch) => this.store.saveRotated(connector, record, this.view.records.get(record.id), patch),
    });
    try {
      return await fn(client, connector);
    } finally {
      await connector.close?.(client).catch(() => {});
    }
  }

  /**
   * Captures records the API has just written to the source into the raw topic (op upsert, no
   * cursor, not part of a pass), so they reach the unified topics and ClickHouse within seconds
   * instead of at the stream's next poll. That poll reads them again, which changes nothing
   * downstream when the record is unchanged.
   */
  async captureRecords(id: string, stream: string, records: { remoteId: string; body: unknown }[], scope: AccessScope = {}): Promise<void> {
    const record = this.record(id, scope);
    const definition = this.connector(record.system).streams.find((candidate) => candidate.name === stream);
    if (!definition) throw new RuntimeError('stream_unknown', `${record.system} has no stream ${stream}.`);
    const syncRunId = `write-${uuidv7()}`;
    await this.events!.send({
      topic: this.topics.raw(ENTITY_PLURALS[definition.entity]),
      acks: -1,
      messages: records.map(({ remoteId, body }) => ({
        key: rawKey(record.id, remoteId),
        value: JSON.stringify(body),
        headers: rawHeaders({ connectionId: record.id, sourceSystem: record.system, entity: definition.entity, stream, op: 'upsert', syncRunId, capturedAtMicros: captureTimestampMicros() }),
      })),
    });
  }

  /** The connection's field mappings and custom-field selection (null: none). */
  mapping(id: string, scope: AccessScope = {}): Record<string, unknown> | null {
    return this.record(id, scope).mapping ?? null;
  }

  /**
   * Replaces the field mappings (validated by the caller against the transformer's schema).
   * Not a new revision: the source client does not change. Applies to records transformed from
   * now on; a full resync applies it to every record.
   */
  async updateMapping(id: string, mapping: Record<string, unknown> | null, scope: AccessScope = {}): Promise<void> {
    const record = this.record(id, scope);
    await this.write({ ...record, mapping, updated_at: new Date().toISOString() });
    await this.announce('connection.updated', id, { changed: ['mapping'] });
  }

  /** Re-seals every connection still sealed under a previous master key; returns how many. */
  async rotateCredentials(): Promise<number> {
    let count = 0;
    for (const record of [...this.view.records.values()]) {
      const connector = this.lookup(record.system);
      if (!connector) continue;
      const resealed = this.store.reseal(connector, record);
      if (!resealed) continue;
      await this.write(resealed);
      count++;
    }
    return count;
  }

  private async requestSync(id: string, stream: string | undefined, full: boolean, scope: AccessScope): Promise<PublicConnection> {
    const record = this.record(id, scope);
    const connector = this.connector(record.system);
    const names = connector.streams.map((candidate) => candidate.name);
    if (stream !== undefined && !names.includes(stream)) {
      throw new RuntimeError('stream_unknown', `${record.system} has no stream ${stream}; streams: ${names.join(', ')}.`);
    }
    const requestedAt = new Date().toISOString();
    const state = this.view.states.get(id);
    const requests = { ...record.sync_requests };
    for (const name of stream === undefined ? names : [stream]) {
      const previous = requests[name];
      const handled = state?.streams[name]?.handled_request_at ?? null;
      // A full resync not yet taken up stays full when "sync now" follows it.
      const pendingFull = previous !== undefined && previous.full && (handled === null || handled < previous.requested_at);
      requests[name] = { requested_at: requestedAt, full: full || pendingFull };
    }
    await this.write({ ...record, sync_requests: requests, updated_at: requestedAt });
    return this.get(id);
  }

  private async setPaused(id: string, paused: boolean, scope: AccessScope): Promise<PublicConnection> {
    const record = this.record(id, scope);
    if (record.paused !== paused) {
      await this.write({ ...record, paused, updated_at: new Date().toISOString() });
      await this.announce('connection.updated', id, { changed: ['paused'], paused });
    }
    return this.get(id);
  }

  private bump(record: ConnectionRecord): ConnectionRecord {
    return { ...record, revision: record.revision + 1, updated_at: new Date().toISOString() };
  }

  private async write(record: ConnectionRecord): Promise<void> {
    await this.view.waitUntilApplied(await this.store.put(record));
  }

  private async announce(type: EventType, connectionId: string, data: Record<string, unknown>): Promise<void> {
    const event = createEvent(type, connectionId, data);
    await this.events!.send({ topic: this.topics.events, acks: -1, messages: [{ key: eventKey(event), value: JSON.stringify(event) }] });
  }

  private record(id: string, scope: AccessScope): ConnectionRecord {
    const record = this.view.records.get(id);
    if (!record || (scope.owner !== undefined && record.owner !== scope.owner)) {
      throw new RuntimeError('connection_not_found', `No connection ${id}${scope.owner !== undefined ? ' for this owner' : ''}. List connections to find its id.`);
    }
    return record;
  }

  private connector(system: string): ConnectorDefinition {
    const connector = this.lookup(system);
    if (!connector) throw new RuntimeError('connector_unknown', `No connector ${system} is installed. Known connectors are listed by GET /connectors.`);
    return connector;
  }
}
