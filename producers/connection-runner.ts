import type { Kafka, TopicMessages } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import type { ConnectorDefinition, StreamDefinition } from '../connectors/sdk/types.js';
import { ENTITY_PLURALS } from '../schemas/entities.js';
import { createEvent, type MillraceEvent, type SyncCompletedData, type SyncFailedData } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import type { TopicNames } from '../platform/topics.js';
import { eventMessage, stateMessage, type CursorRecord } from './capture-messages.js';
import { intervalSeconds, splitConfig, type ConnectionRecord } from './connection-record.js';
import * as health from './connection-state.js';
import type { ConnectionState, RunSummary } from './connection-state.js';
import { classifyError, redactSecrets, retryDelayMs, secretValues, type RuntimeSettings } from './runtime-settings.js';
import { StreamLoop } from './stream-loop.js';
import { executeSyncRun, planStart, SyncRunAborted, SyncRunFailure } from './sync-run.js';
import { ConnectionTransactor, ProducerFencedError } from './transactor.js';

type AnyStream = StreamDefinition<unknown, unknown, unknown>;

/** What a runner needs from its worker. */
export interface RunnerEnvironment {
  kafka: Kafka;
  topics: TopicNames;
  transactionalIdPrefix: string;
  /** Partition count of a raw topic (pass_complete goes to each). */
  rawPartitions(topic: string): number;
  workerId: string;
  logger: Logger;
  settings: RuntimeSettings;
  /** State and cursors as the worker's view holds them, once caught up with the topics. */
  catchUp(): Promise<void>;
  storedState(connectionId: string): ConnectionState | null;
  storedCursors(connectionId: string): Map<string, CursorRecord>;
  /** The decrypted config (clear and secret fields) and the secret values, for redaction. */
  decrypt(record: ConnectionRecord): { config: Record<string, unknown>; secrets: string[] };
  saveCredentials(record: ConnectionRecord, patch: Record<string, unknown>): Promise<void>;
  /** This worker lost the connection to a newer owner. */
  onFenced(connectionId: string): void;
}

/**
 * Runs one connection the worker owns: its transactional producer (fencing earlier owners), its
 * connector client, one StreamLoop per stream, and its health state. `apply()` takes every new
 * version of the connection record: pause, resume, new credentials, sync requests.
 */
export class ConnectionRunner {
  private transactor: ConnectionTransactor;
  private state!: ConnectionState;
  private cursors = new Map<string, CursorRecord>();
  private loops = new Map<string, StreamLoop>();
  private runAbort = new AbortController();
  private client: unknown = null;
  private secrets: string[] = [];
  private activeRevision = -1;
  private closed = false;
  private readonly logger: Logger;
  private applying: Promise<void> = Promise.resolve();

  constructor(private record: ConnectionRecord, private readonly connector: ConnectorDefinition | undefined, private readonly env: RunnerEnvironment) {
    this.logger = env.logger.child({ connection_id: record.id, system: record.system });
    this.transactor = new ConnectionTransactor({
      kafka: env.kafka,
      transactionalId: `${env.transactionalIdPrefix}src-${record.id}`,
      logger: this.logger,
      compression: env.settings.compression,
      maxSendBytes: env.settings.maxSendBytes,
      transactionTimeoutMs: env.settings.transactionTimeoutMs,
    });
  }

  get connectionId(): string {
    return this.record.id;
  }

  /** Fences earlier owners, then loads state and cursors written up to that moment. */
  async start(): Promise<void> {
    await this.transactor.fence();
    await this.env.catchUp();
    this.state = this.env.storedState(this.record.id) ?? health.initialState(this.record.id, this.env.workerId);
    this.state = { ...this.state, worker_id: this.env.workerId };
    this.cursors = this.env.storedCursors(this.record.id);
    this.logger.info({ status: this.state.status }, 'took ownership of the connection');
    // apply() logs its own failures (redacted); ownership stands either way.
    await this.apply(this.record).catch(() => {});
  }

  /** Takes a new version of the connection record; serialized so versions apply in order. */
  apply(record: ConnectionRecord): Promise<void> {
    const next = this.applying.then(() => this.applyNow(record));
    this.applying = next.catch((error) =>
      this.logger.error({ error_message: redactSecrets(String((error as Error)?.message ?? error), this.secrets) }, 'applying the connection record failed'),
    );
    return next;
  }

  private async applyNow(record: ConnectionRecord): Promise<void> {
    if (this.closed) return;
    this.record = record;
    if (!this.connector) {
      await this.announceSystemError('connector_unknown', `No connector ${record.system} is installed in this worker; the connection is not polled.`);
      return;
    }
    if (record.paused) {
      await this.stopLoops();
      await this.commitTransition(health.afterPause(this.state));
      return;
    }
    if (this.state.status === 'paused') await this.commitTransition(health.afterResume(this.state));
    const failedRevision = this.state.auth_failed_revision;
    if (this.state.status === 'auth_required' && failedRevision !== null && record.revision > failedRevision) {
      await this.commitTransition(health.afterCredentialsUpdated(this.state));
    }
    if (health.awaitingCredentials(this.state, record.revision)) {
      await this.stopLoops();
      return;
    }
    if (this.activeRevision !== record.revision) {
      await this.stopLoops();
      if (!(await this.openClient())) return;
    }
    this.ensureLoops();
    for (const loop of this.loops.values()) loop.wake();
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.applying;
    await this.stopLoops();
    await this.transactor.close();
  }

  /** Builds the connector client; a failure counts like a failed run and is retried later. */
  private async openClient(): Promise<boolean> {
    const record = this.record;
    try {
      const { config, secrets } = this.env.decrypt(record);
      this.secrets = secrets;
      this.client = await this.connect(record, config);
      this.activeRevision = record.revision;
      return true;
    } catch (error) {
      const classified = classifyError(error, this.secrets);
      this.logger.warn({ code: classified.error.code, error_message: classified.error.message }, 'could not build the connector client');
      await this.commitTransition(health.afterFailure(this.state, { kind: classified.kind, error: classified.error, stream: '*', offlineAfter: this.env.settings.offlineAfterFailures, revision: record.revision }));
      if (classified.kind === 'runtime' || classified.kind === 'internal') await this.announceSystemError(classified.error.code, classified.error.message);
      const retryMs = classified.kind === 'unavailable' ? this.env.settings.retryBackoffMs.min : this.env.settings.retryBackoffMs.max;
      if (classified.kind !== 'auth' && !this.closed) setTimeout(() => void this.apply(this.record), retryMs).unref();
      return false;
    }
  }

  private connect(record: ConnectionRecord, config: Record<string, unknown>): Promise<unknown> {
    return Promise.resolve(this.connector!.connect({
      connectionId: record.id,
      config,
      logger: this.logger.child({ component: 'connector' }),
      saveCredentials: async (patch) => {
        // A rotated secret is as secret as the one it replaces: redact it from now on.
        this.secrets.push(...secretValues(splitConfig(this.connector!, patch as Record<string, unknown>).secrets));
        await this.env.saveCredentials(record, patch as Record<string, unknown>);
      },
    }));
  }

  private ensureLoops(): void {
    if (this.runAbort.signal.aborted) this.runAbort = new AbortController();
    for (const stream of this.connector!.streams as readonly AnyStream[]) {
      if (this.loops.has(stream.name)) continue;
      const loop = new StreamLoop(
        {
          dueAt: () => {
            // No next run: never run yet, or a run was interrupted (worker killed, ownership
            // moved) and resumes from its committed cursor at once.
            const facts = health.streamState(this.state, stream.name);
            if (facts.next_run_at === null) return Date.now();
            // A schedule shortened since the last success takes effect now, not after the old interval.
            const finished = facts.last_run?.status === 'succeeded' && facts.last_run.finished_at ? Date.parse(facts.last_run.finished_at) : Infinity;
            return Math.min(Date.parse(facts.next_run_at), finished + intervalSeconds(this.connector!, this.record, stream.name) * 1000);
          },
          pending: () => this.pendingRequest(stream.name) !== null,
          run: () => this.runStream(stream),
        },
        this.logger,
      );
      this.loops.set(stream.name, loop);
    }
  }

  private async stopLoops(): Promise<void> {
    this.runAbort.abort();
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(loops.map((loop) => loop.stop()));
    if (this.client !== null) await this.connector?.close?.(this.client).catch(() => {});
    this.client = null;
    this.activeRevision = -1;
  }

  private pendingRequest(stream: string): { requested_at: string; full: boolean } | null {
    const request = this.record.sync_requests[stream];
    if (!request) return null;
    const handled = health.streamState(this.state, stream).handled_request_at;
    return handled !== null && handled >= request.requested_at ? null : request;
  }

  private async runStream(stream: AnyStream): Promise<void> {
    const request = this.pendingRequest(stream.name);
    const startedAt = new Date();
    const start = planStart(stream, this.cursors.get(stream.name) ?? null, request?.full ?? false, uuidv7, startedAt);
    const run: RunSummary = {
      id: uuidv7(),
      stream: stream.name,
      entity: stream.entity,
      status: 'running',
      started_at: startedAt.toISOString(),
      finished_at: null,
      records: 0,
      deletes: 0,
      full_pass: start.pass !== null,
      pass_id: start.pass?.id ?? null,
      cursor: start.cursor,
      error: null,
    };
    const intervalMs = intervalSeconds(this.connector!, this.record, stream.name) * 1000;
    const logger = this.logger.child({ stream: stream.name, sync_run_id: run.id });
    const rawTopic = this.env.topics.raw(ENTITY_PLURALS[stream.entity]);
    try {
      await executeSyncRun({
        connectionId: this.record.id,
        sourceSystem: this.record.system,
        stream,
        client: this.client,
        run,
        start,
        startedAt,
        topics: { raw: rawTopic, cursors: this.env.topics.cursors },
        rawPartitions: this.env.rawPartitions(rawTopic),
        transactor: this.transactor,
        signal: this.runAbort.signal,
        logger,
        rateLimitWaits: this.env.settings.rateLimitWaits,
        maxRateLimitWaitSeconds: this.env.settings.maxRateLimitWaitSeconds,
        onCursorCommitted: (record) => this.cursors.set(stream.name, record),
        onStart: (started) => {
          this.state = health.recordRun(this.state, { ...started }, { handled_request_at: request?.requested_at ?? health.streamState(this.state, stream.name).handled_request_at, next_run_at: null });
          return this.messages([createEvent('sync.started', this.record.id, { sync_run_id: run.id, entity: stream.entity, stream: stream.name, full_pass: run.full_pass, cursor: start.cursor })]);
        },
        onComplete: (completed) => {
          const transition = health.afterSuccess(this.state);
          const duration = Date.parse(completed.finished_at!) - startedAt.getTime();
          this.state = health.recordRun(transition.state, { ...completed }, {
            last_success_at: completed.finished_at,
            last_error: null,
            next_run_at: new Date(Date.now() + intervalMs).toISOString(),
          });
          const data: SyncCompletedData = { sync_run_id: run.id, entity: stream.entity, records: completed.records, deletes: completed.deletes, duration_ms: duration, cursor: completed.cursor, full_pass: completed.full_pass };
          return this.messages([...transition.events, createEvent('sync.completed', this.record.id, { ...data, stream: stream.name })]);
        },
      });
      logger.info({ records: run.records, deletes: run.deletes, full_pass: run.full_pass }, 'sync completed');
    } catch (error) {
      if (error instanceof SyncRunAborted) return;
      const failure = error instanceof SyncRunFailure ? error.error : error;
      if (!(failure instanceof ProducerFencedError)) await this.reloadCursor(stream.name, logger);
      await this.recordFailure(stream, failure, run, intervalMs, logger);
    }
  }

  /**
   * A failed run may have committed more than this runner saw: a commit whose answer was lost
   * (the connection reset after the broker committed) throws although its page and cursor are in.
   * The next run starts from the cursor Kafka holds, or that page would be captured twice.
   */
  private async reloadCursor(stream: string, logger: Logger): Promise<void> {
    try {
      await this.env.catchUp();
      const stored = this.env.storedCursors(this.record.id).get(stream);
      if (stored) this.cursors.set(stream, stored);
    } catch (error) {
      logger.warn({ error_message: redactSecrets(String((error as Error)?.message ?? error), this.secrets) }, 'could not re-read the committed cursor after a failed run; the next run starts from the last one seen committed');
    }
  }

  private async recordFailure(stream: AnyStream, error: unknown, run: RunSummary, intervalMs: number, logger: Logger): Promise<void> {
    if (error instanceof ProducerFencedError) {
      logger.warn('another worker took the connection over; stopping here');
      this.env.onFenced(this.record.id);
      return;
    }
    const classified = classifyError(error, this.secrets);
    logger.warn({ code: classified.error.code, error_message: classified.error.message, records: run.records }, 'sync failed');
    const transition = health.afterFailure(this.state, {
      kind: classified.kind,
      error: classified.error,
      stream: stream.name,
      offlineAfter: this.env.settings.offlineAfterFailures,
      revision: this.record.revision,
    });
    const delay = retryDelayMs(classified, transition.state.consecutive_unavailable, intervalMs, this.env.settings);
    const failed: RunSummary = { ...run, status: 'failed', finished_at: new Date().toISOString(), error: classified.error };
    this.state = health.recordRun(transition.state, failed, { last_error: classified.error, next_run_at: delay === null ? null : new Date(Date.now() + delay).toISOString() });
    const data: SyncFailedData = { sync_run_id: run.id, entity: stream.entity, error: classified.error, records: run.records };
    const events: MillraceEvent[] = [createEvent('sync.failed', this.record.id, { ...data, stream: stream.name, deletes: run.deletes }), ...transition.events];
    if (classified.kind === 'internal') events.push(createEvent('system.error', this.record.id, { component: 'producer', stream: stream.name, error: classified.error }));
    try {
      await this.transactor.commit(this.messages(events));
    } catch (commitError) {
      if (commitError instanceof ProducerFencedError) return this.env.onFenced(this.record.id);
      logger.error({ error_message: redactSecrets(String((commitError as Error).message), this.secrets) }, 'could not record the failed sync');
    }
    if (delay === null) void this.stopLoops();
  }

  private async commitTransition(transition: health.Transition): Promise<void> {
    if (transition.state === this.state && transition.events.length === 0) return;
    this.state = transition.state;
    await this.transactor.commit(this.messages(transition.events));
  }

  private announced = new Set<string>();
  private async announceSystemError(code: string, message: string): Promise<void> {
    if (this.announced.has(code)) return;
    this.announced.add(code);
    this.logger.error({ code }, message);
    await this.transactor.commit([{ topic: this.env.topics.events, messages: [eventMessage(createEvent('system.error', this.record.id, { component: 'producer', error: { code, message, retriable: false } }))] }]);
  }

  /** Events and the current state, for one transaction. */
  private messages(events: MillraceEvent[]): TopicMessages[] {
    const result: TopicMessages[] = [{ topic: this.env.topics.connectionState, messages: [stateMessage(this.state)] }];
    if (events.length > 0) result.push({ topic: this.env.topics.events, messages: events.map(eventMessage) });
    return result;
  }
}
