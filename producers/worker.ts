import type { Admin, Consumer } from 'kafkajs';
import { connectorById } from '../connectors/registry.js';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import { topicNames, type TopicNames } from '../platform/topics.js';
import { parseCursorRecord, type CursorRecord } from './capture-messages.js';
import { CompactedTopicView } from '../platform/compacted-view.js';
import { restartAfterCrash, topicOffsets } from '../platform/kafka.js';
import { parseConnectionRecord, type ConnectionRecord } from './connection-record.js';
import { ConnectionRunner } from './connection-runner.js';
import type { ConnectionServiceOptions } from './connection-service.js';
import { parseState, type ConnectionState } from './connection-state.js';
import { ConnectionStore } from './connection-store.js';
import { ensureProducerTopics } from './producer-topics.js';
import { RuntimeError } from './errors.js';
import { DEFAULT_SETTINGS, type RuntimeSettings } from './runtime-settings.js';

/** What the connection service needs, and the worker's own: its id, settings and group timing. */
export interface WorkerOptions extends ConnectionServiceOptions {
  workerId: string;
  settings?: Partial<RuntimeSettings>;
  /** Consumer-group timing: how soon a dead worker's connections move to another one. */
  group?: { sessionTimeoutMs?: number; heartbeatIntervalMs?: number; rebalanceTimeoutMs?: number };
}

/**
 * A producer worker. Connections spread over workers through the consumer group
 * `<prefix>producers` on the `connections` topic: the owner of partition p runs every
 * connection keyed to p. The group never commits offsets, so each assigned partition is read
 * from the beginning and the owner knows all its connections. On a rebalance every runner stops
 * before the worker rejoins, and each new owner fences the previous one's transactional id, so
 * two workers never write for one connection.
 */
export class ProducerWorker {
  readonly topics: TopicNames;
  private readonly settings: RuntimeSettings;
  private readonly lookup: (id: string) => ConnectorDefinition | undefined;
  private readonly store: ConnectionStore;
  private readonly view: CompactedTopicView;
  private readonly cursors = new Map<string, CursorRecord>();
  private readonly states = new Map<string, ConnectionState>();
  private readonly records = new Map<string, { partition: number; record: ConnectionRecord }>();
  private readonly runners = new Map<string, ConnectionRunner>();
  private readonly fenced = new Set<string>();
  private assigned = new Set<number>();
  private caughtUp = new Set<number>();
  private targets = new Map<number, bigint>();
  private positions = new Map<number, bigint>();
  private rawPartitions = new Map<string, number>();
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private stopping = false;
  private generation = 0;
  private transitions: Promise<void> = Promise.resolve();

  constructor(private readonly options: WorkerOptions) {
    this.topics = topicNames(options.prefix);
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
    this.lookup = options.connectorLookup ?? connectorById;
    this.store = new ConnectionStore(options.kafka, this.topics, options.keyRing, options.logger);
    this.view = new CompactedTopicView({
      kafka: options.kafka,
      topics: [this.topics.cursors, this.topics.connectionState],
      groupPrefix: `${options.prefix}producers-view-${options.workerId}`,
      logger: options.logger,
      unavailable: (message) => new RuntimeError('store_unavailable', message),
      apply: ({ topic, key, value }) => {
        if (topic === this.topics.cursors) setOrDelete(this.cursors, key, parseCursorRecord(value));
        else setOrDelete(this.states, key, parseState(value));
      },
    });
  }

  async start(): Promise<void> {
    const { kafka, logger } = this.options;
    this.admin = kafka.admin();
    await this.admin.connect();
    this.rawPartitions = await ensureProducerTopics(this.admin, this.options);
    await this.store.start();
    await this.view.start();
    const group = this.options.group ?? {};
    const consumer = kafka.consumer({
      groupId: `${this.options.prefix}producers`,
      sessionTimeout: group.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: group.heartbeatIntervalMs ?? 3_000,
      rebalanceTimeout: group.rebalanceTimeoutMs ?? 60_000,
      maxWaitTimeInMs: 1_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.REBALANCING, () => this.enqueue(() => this.releaseAll('rebalancing')));
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const partitions = event.payload.memberAssignment[this.topics.connections] ?? [];
      this.enqueue(() => this.assign(partitions));
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => this.advance(event.payload.partition, BigInt(event.payload.lastOffset) + 1n));
    await consumer.connect();
    await consumer.subscribe({ topic: this.topics.connections, fromBeginning: true });
    const run = () => consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        // A partition kept through a rebalance is fetched again from its beginning (no committed
        // offsets): what was applied already is skipped, so no runner sees an older record.
        if (BigInt(message.offset) < (this.positions.get(partition) ?? 0n)) return;
        const id = message.key?.toString('utf8') ?? '';
        try {
          const record = parseConnectionRecord(message.value);
          if (record) this.records.set(id, { partition, record });
          else this.records.delete(id);
        } catch (error) {
          logger.error({ partition, offset: message.offset, err: error }, 'connection record unreadable, skipped');
        }
        this.advance(partition, BigInt(message.offset) + 1n);
        if (this.caughtUp.has(partition)) this.enqueue(() => this.reconcile(id));
      },
    });
    restartAfterCrash(consumer, run, { logger, name: 'producer worker', stopping: () => this.stopping });
    await run();
    logger.info({ worker_id: this.options.workerId }, 'producer worker started');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => {});
    await this.enqueue(() => this.releaseAll('stopping'));
    await this.view.stop();
    await this.store.stop();
    await this.admin?.disconnect().catch(() => {});
  }

  /** Ids of the connections this worker runs now. */
  ownedConnections(): string[] {
    return [...this.runners.keys()];
  }

  /** Ownership changes run one after another, in the order the group reported them. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.transitions.then(step);
    this.transitions = next.catch((error) => this.options.logger.error({ err: error }, 'ownership change failed'));
    return this.transitions;
  }

  private async assign(partitions: number[]): Promise<void> {
    const generation = ++this.generation;
    const previous = this.assigned;
    this.assigned = new Set(partitions);
    this.caughtUp.clear();
    this.fenced.clear();
    // A newly assigned partition is read again from its beginning (offsets are never committed).
    for (const partition of partitions) if (!previous.has(partition)) this.positions.delete(partition);
    for (const [id, entry] of this.records) if (!this.assigned.has(entry.partition)) this.records.delete(id);
    for (const id of [...this.runners.keys()]) if (!this.records.has(id)) await this.release(id, 'partition moved to another worker');
    const offsets = await topicOffsets(this.admin!, this.topics.connections);
    if (generation !== this.generation) return;
    this.targets = new Map(offsets.filter((entry) => this.assigned.has(entry.partition) && entry.low !== entry.high).map((entry) => [entry.partition, BigInt(entry.high)]));
    this.options.logger.info({ partitions }, 'connection partitions assigned');
    for (const partition of partitions) this.checkCaughtUp(partition);
  }

  private advance(partition: number, position: bigint): void {
    this.positions.set(partition, position);
    this.checkCaughtUp(partition);
  }

  /** A partition's connections start only once it was read up to its end as of the assignment. */
  private checkCaughtUp(partition: number): void {
    if (!this.assigned.has(partition) || this.caughtUp.has(partition)) return;
    const target = this.targets.get(partition);
    if (target !== undefined && (this.positions.get(partition) ?? 0n) < target) return;
    this.caughtUp.add(partition);
    const ids = [...this.records].filter(([, entry]) => entry.partition === partition).map(([id]) => id);
    void this.enqueue(async () => {
      for (const id of ids) await this.reconcile(id);
    });
  }

  private async reconcile(id: string): Promise<void> {
    const entry = this.records.get(id);
    const wanted = !this.stopping && entry !== undefined && this.caughtUp.has(entry.partition) && !this.fenced.has(id);
    const runner = this.runners.get(id);
    if (!wanted) {
      if (runner) await this.release(id, 'no longer owned or deleted');
      return;
    }
    if (runner) {
      void runner.apply(entry.record);
      return;
    }
    const created = new ConnectionRunner(entry.record, this.lookup(entry.record.system), this.runnerEnvironment());
    this.runners.set(id, created);
    try {
      await created.start();
    } catch (error) {
      this.options.logger.error({ connection_id: id, err: error }, 'could not take the connection over; retrying shortly');
      this.runners.delete(id);
      await created.stop().catch(() => {});
      setTimeout(() => void this.enqueue(() => this.reconcile(id)), 5_000).unref();
    }
  }

  private async release(id: string, reason: string): Promise<void> {
    const runner = this.runners.get(id);
    if (!runner) return;
    this.runners.delete(id);
    await runner.stop();
    this.options.logger.info({ connection_id: id, reason }, 'released the connection');
  }

  private async releaseAll(reason: string): Promise<void> {
    this.caughtUp.clear();
    await Promise.all([...this.runners.keys()].map((id) => this.release(id, reason)));
  }

  private runnerEnvironment() {
    return {
      kafka: this.options.kafka,
      topics: this.topics,
      transactionalIdPrefix: this.options.prefix,
      rawPartitions: (topic: string) => this.rawPartitions.get(topic) ?? this.options.partitions,
      workerId: this.options.workerId,
      logger: this.options.logger,
      settings: this.settings,
      catchUp: () => this.view.waitForEnd(),
      storedState: (id: string) => this.states.get(id) ?? null,
      storedCursors: (id: string) =>
        new Map([...this.cursors].filter(([key]) => key.startsWith(`${id}:`)).map(([, record]) => [record.stream, record] as [string, CursorRecord])),
      decrypt: (record: ConnectionRecord) => {
        const opened = this.store.open(record);
        return { config: opened.config, secrets: opened.secretValues };
      },
      saveCredentials: async (builtFrom: ConnectionRecord, patch: Record<string, unknown>) => {
        const connector = this.lookup(builtFrom.system);
        if (!connector) return;
        await this.store.saveRotated(connector, builtFrom, this.records.get(builtFrom.id)?.record, patch);
      },
      onFenced: (id: string) => {
        this.fenced.add(id);
        void this.enqueue(() => this.release(id, 'fenced by a newer owner'));
      },
    };
  }
}

function setOrDelete<T>(map: Map<string, T>, key: string, value: T | null): void {
  if (value === null) map.delete(key);
  else map.set(key, value);
}
