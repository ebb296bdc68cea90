import net from 'node:net';
import { Kafka, logLevel as kafkaLogLevel, type Admin, type Consumer, type ISocketFactory, type ITopicConfig, type LogEntry } from 'kafkajs';
import type { Logger } from './logger.js';
import { installFastProduce } from './kafkajs-fast-produce.js';
import { pinoLevelOf } from './kafkajs-log-level.js';
import { installReadCommittedFix } from './kafkajs-read-committed.js';
import type { TopicSpec } from './topics.js';

// kafkajs warns on every producer about a partitioner change from v1; Millrace has no v1 data.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export class KafkaUnreachableError extends Error {
  readonly code = 'kafka_unreachable';
  constructor(readonly brokers: string[], detail: string) {
    super(`Kafka is unreachable at ${brokers.join(',')}: ${detail}. Check KAFKA_BROKERS, or unset it to use the local stack.`);
    this.name = 'KafkaUnreachableError';
  }
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  connectionTimeoutMs?: number;
  /** kafkajs's own TCP sockets unless given (tests put faults between the client and the broker). */
  socketFactory?: ISocketFactory;
}

/**
 * One kafkajs client whose logs go through pino, at warn and above unless LOG_LEVEL is debug.
 * Its read_committed consumers never see aborted records (kafkajs-read-committed.ts); its
 * producers encode records and pick partitions at a fraction of kafkajs's CPU, with the same
 * bytes and partitions (kafkajs-fast-produce.ts).
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  installReadCommittedFix();
  installFastProduce();
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 5_000,
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
    requestTimeout: 30_000,
    logLevel: log.isLevelEnabled('debug') ? kafkaLogLevel.DEBUG : kafkaLogLevel.WARN,
    // Errors kafkajs retries itself are debug lines (kafkajs-log-level.ts).
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      log[pinoLevelOf(entry)]({ namespace: entry.namespace, ...rest }, message);
    },
  });
}

/**
 * Fails fast, with one line naming the address, when no broker accepts a TCP connection
 * within the timeout: kafkajs would otherwise retry for minutes.
 */
export async function assertBrokersReachable(brokers: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    for (const broker of brokers) {
      const outcome = await tryConnect(broker, Math.min(2_000, Math.max(100, deadline - Date.now())));
      if (outcome === true) return;
      lastError = outcome;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new KafkaUnreachableError(brokers, lastError);
}

function tryConnect(broker: string, timeoutMs: number): Promise<true | string> {
  const separator = broker.lastIndexOf(':');
  const host = broker.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(broker.slice(separator + 1));
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (outcome: true | string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => finish(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => finish(true));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
  });
}

export interface EnsureTopicsOptions {
  partitions: number;
  replicationFactor: number;
}

/** Creates missing topics (compacted ones with cleanup.policy=compact); leaves existing ones alone. */
export async function ensureTopics(admin: Admin, specs: TopicSpec[], options: EnsureTopicsOptions): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing: ITopicConfig[] = specs
    .filter((spec) => !existing.has(spec.name))
    .map((spec) => ({
      topic: spec.name,
      numPartitions: spec.partitions ?? options.partitions,
      replicationFactor: options.replicationFactor,
      configEntries: spec.compacted
        ? [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'min.compaction.lag.ms', value: '60000' },
          ]
        : [],
    }));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  } catch (error) {
    const type = (error as { type?: string }).type;
    // Another worker may have created the same topic a moment ago.
    if (type === 'TOPIC_ALREADY_EXISTS') return;
    // A busy KRaft broker may not serve a topic's metadata right after creating it; kafkajs's
    // wait for leaders gives up on that answer instead of waiting, so wait here.
    if (type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    await waitForTopicMetadata(admin, missing.map((topic) => topic.topic));
  }
}

async function waitForTopicMetadata(admin: Admin, topics: string[], attempts = 40): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.fetchTopicMetadata({ topics });
      return;
    } catch (error) {
      // UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE …: the metadata is still propagating.
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable === false) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The high-water mark of every partition of a topic: "the end" for readers catching up. */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await topicOffsets(admin, topic);
  return new Map(offsets.map((entry) => [entry.partition, BigInt(entry.high)]));
}

/**
 * admin.fetchTopicOffsets, retried while the cluster settles: right after a topic is created
 * the broker may answer NOT_LEADER or UNKNOWN_TOPIC until its metadata has propagated.
 */
export async function topicOffsets(admin: Admin, topic: string, attempts = 20): ReturnType<Admin['fetchTopicOffsets']> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable === false) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Where a consumer group stands on one partition: its committed offset (-1 for none) against the log's bounds. */
export interface GroupPosition {
  topic: string;
  partition: number;
  committed: bigint;
  /** The committed offset's metadata ('' for none). */
  metadata: string;
  low: bigint;
  high: bigint;
}

/** The group's position on every partition of `topics`; its lag on one is `high − max(committed, low)`. */
export async function groupPositions(admin: Admin, groupId: string, topics: string[]): Promise<GroupPosition[]> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  const positions: GroupPosition[] = [];
  for (const topic of topics) {
    for (const end of await topicOffsets(admin, topic)) {
      const entry = committed.find((candidate) => candidate.topic === topic)?.partitions.find((candidate) => candidate.partition === end.partition);
      positions.push({ topic, partition: end.partition, committed: BigInt(entry?.offset ?? '-1'), metadata: entry?.metadata ?? '', low: BigInt(end.low), high: BigInt(end.high) });
    }
  }
  return positions;
}

/**
 * Calls `handler` for each fetch of a partition that held only transaction markers or aborted
 * records: kafkajs hands eachBatch nothing for it and reports it only as END_BATCH_PROCESS
 * (firstOffset null when nothing at or past the fetch offset was read). `next` is the offset after
 * the fetch, where a caught-up group commits; kafkajs does not fetch those markers again.
 */
export function onFetchOfOnlyMarkers(consumer: Consumer, handler: (topic: string, partition: number, next: bigint) => void): void {
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.batchSize === 0 && payload.firstOffset !== null) handler(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n);
  });
}

/** Pause before running again a consumer that kafkajs left stopped after a crash. */
const RESTART_AFTER_CRASH_MS = 5_000;

export interface RestartAfterCrashOptions {
  logger: Logger;
  /** Names the consumer in logs, e.g. `clickhouse sink`. */
  name: string;
  /** True once the owner is stopping: a crash then is not answered with a restart. */
  stopping: () => boolean;
  delayMs?: number;
}

/**
 * kafkajs restarts a crashed consumer only when the cause is retriable; any other cause leaves
 * it stopped for good, said by nothing but its CRASH event. "Failed to find group coordinator"
 * once its retries ran out is one (seen while a broker restarts), and a stage would then sit
 * idle with a lag that only grows. This connects and runs the consumer again (`run`, e.g.
 * `() => consumer.run({...})`) after a pause, for as long as it takes, until the owner stops.
 */
export function restartAfterCrash(consumer: Consumer, run: () => Promise<void>, options: RestartAfterCrashOptions): void {
  const delayMs = options.delayMs ?? RESTART_AFTER_CRASH_MS;
  const later = () => {
    setTimeout(async () => {
      if (options.stopping()) return;
      try {
        await consumer.connect();
        await run();
        options.logger.info({ consumer: options.name }, 'consumer running again after a crash');
      } catch (error) {
        options.logger.warn({ err: error, consumer: options.name, retry_in_ms: delayMs }, 'consumer could not be run again after a crash');
        later();
      }
    }, delayMs).unref();
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || options.stopping()) return;
    options.logger.error({ err: payload.error, consumer: options.name, retry_in_ms: delayMs }, 'consumer stopped by an error kafkajs does not retry; running it again');
    later();
  });
}
