import { randomBytes } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import type { Logger } from '../../platform/logger.js';
import { createLogger } from '../../platform/logger.js';
import type { MillraceEvent } from '../../platform/events.js';
import { topicNames, type TopicNames } from '../../platform/topics.js';
import { CompactedTopicView } from '../../platform/compacted-view.js';
import { ConnectionService } from '../../producers/connection-service.js';
import { keyRing, type KeyRing } from '../../producers/master-keys.js';
import type { RuntimeSettings } from '../../producers/runtime-settings.js';
import { ProducerWorker } from '../../producers/worker.js';
import { deleteTopicsWithPrefix, testKafka, uniqueName } from '../support/kafka.js';
import { FAST_GROUP, FAST_SETTINGS } from './fast-settings.js';
import { testConnectorLookup } from './test-connector.js';

export interface Runtime {
  prefix: string;
  topics: TopicNames;
  kafka: Kafka;
  ring: KeyRing;
  service: ConnectionService;
  workers: ProducerWorker[];
  startWorker(id?: string, logger?: Logger): Promise<ProducerWorker>;
  stop(): Promise<void>;
}

/**
 * A connection service and workers on their own topic prefix, with the test connector.
 * `workerKafka`: the client the workers use (default the runtime's own), e.g. one with faults
 * between it and the broker.
 */
export async function startRuntime(options: { settings?: Partial<RuntimeSettings>; logger?: Logger; workers?: number; prefix?: string; ring?: KeyRing; workerKafka?: Kafka } = {}): Promise<Runtime> {
  const prefix = options.prefix ?? `${uniqueName('mr')}.`;
  const kafka = testKafka();
  const ring = options.ring ?? keyRing(randomBytes(32));
  const logger = options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const common = { kafka, prefix, partitions: 3, replicationFactor: 1, keyRing: ring, connectorLookup: testConnectorLookup };
  const service = new ConnectionService({ ...common, logger });
  await service.start();
  const workers: ProducerWorker[] = [];
  const runtime: Runtime = {
    prefix,
    topics: topicNames(prefix),
    kafka,
    ring,
    service,
    workers,
    async startWorker(id = `w${workers.length}`, workerLogger = logger) {
      const worker = new ProducerWorker({ ...common, kafka: options.workerKafka ?? kafka, logger: workerLogger, workerId: id, settings: { ...FAST_SETTINGS, ...options.settings }, group: FAST_GROUP });
      await worker.start();
      workers.push(worker);
      return worker;
    },
    async stop() {
      for (const worker of workers) await worker.stop().catch(() => {});
      await service.stop().catch(() => {});
      // The broker is shared: leave no topics behind.
      const admin = kafka.admin();
      await admin.connect();
      await deleteTopicsWithPrefix(admin, prefix);
      await admin.disconnect();
    },
  };
  for (let i = 0; i < (options.workers ?? 1); i++) await runtime.startWorker();
  return runtime;
}

export interface CapturedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Tails topics read_committed and keeps every message, with decoded headers. */
export class TopicTail {
  readonly messages: CapturedMessage[] = [];
  private readonly view: CompactedTopicView;

  constructor(kafka: Kafka, topics: string[]) {
    this.view = new CompactedTopicView({
      kafka,
      topics,
      groupPrefix: uniqueName('tail'),
      logger: createLogger({ level: 'silent' }),
      apply: (message) => this.messages.push({ ...message, headers: decodeHeaders(message.headers) }),
    });
  }

  start(): Promise<void> {
    return this.view.start();
  }

  /** Resolves once everything committed up to now has arrived. */
  caughtUp(): Promise<void> {
    return this.view.waitForEnd();
  }

  stop(): Promise<void> {
    return this.view.stop();
  }

  events(connectionId?: string): MillraceEvent[] {
    return this.messages
      .filter((message) => message.value !== null && message.topic.endsWith('events'))
      .map((message) => JSON.parse(message.value!.toString('utf8')) as MillraceEvent)
      .filter((event) => connectionId === undefined || event.connection_id === connectionId);
  }
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? String(value[0]) : String(value)]));
}
