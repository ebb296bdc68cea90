import type { Admin, Kafka } from 'kafkajs';
import { createLogger, type Logger } from '../../platform/logger.js';
import { topicNames, type TopicNames } from '../../platform/topics.js';
import { createUnifiedCodec, type UnifiedCodec } from '../../schemas/index.js';
import { deleteTopicsWithPrefix, testKafka, uniqueName } from '../../test/support/kafka.js';
import { testRegistryUrl } from '../../test/support/registry.js';
import { TopicTail } from '../../test/test-connector/runtime-harness.js';
import { TransformerWorker, type TransformerWorkerOptions } from '../worker.js';
import { FAST_TRANSFORMER_GROUP } from './fast-group.js';
import { plantConnectorLookup } from './plant-connector.js';
import { RawWriter } from './raw-writer.js';
import { groupPositions, type GroupPosition } from '../../platform/kafka.js';


/**
 * A transformer on its own topic prefix with the plant connector, a raw writer, a codec on the
 * test registry and a read_committed tail of everything the transformer writes.
 */
export class TransformerHarness {
  readonly prefix = `${uniqueName('tf')}.`;
  readonly topics: TopicNames = topicNames(this.prefix);
  readonly kafka: Kafka = testKafka('millrace-transformer-test');
  readonly writer = new RawWriter(this.kafka, this.prefix);
  readonly codec: UnifiedCodec = createUnifiedCodec({ registryUrl: testRegistryUrl(), topicPrefix: this.prefix });
  readonly workers: TransformerWorker[] = [];
  readonly logger: Logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  admin: Admin | null = null;
  tail: TopicTail | null = null;

  async start(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.writer.start();
  }

  async startWorker(options: Partial<TransformerWorkerOptions> = {}): Promise<TransformerWorker> {
    const worker = new TransformerWorker({
      kafka: this.kafka,
      prefix: this.prefix,
      workerId: `w${this.workers.length}`,
      logger: this.logger,
      registryUrl: testRegistryUrl(),
      partitions: 3,
      connectorLookup: plantConnectorLookup,
      group: FAST_TRANSFORMER_GROUP,
      ...options,
    });
    await worker.start();
    this.workers.push(worker);
    return worker;
  }

  /** Starts tailing the unified topics, events, dead letters and state (after a worker created them). */
  async startTail(): Promise<TopicTail> {
    const names = this.topics;
    this.tail = new TopicTail(this.kafka, [names.unified('vendors'), names.unified('purchase_orders'), names.events, names.deadLetters, names.transformerState]);
    await this.tail.start();
    return this.tail;
  }

  messages(topic: string) {
    return (this.tail?.messages ?? []).filter((message) => message.topic === topic);
  }

  /** Per raw topic partition, `committed/high` of the transformers' group: what a failed caughtUp() saw. */
  async positions(): Promise<string> {
    return (await this.rawPositions()).map(({ topic, partition, committed, high }) => `${topic}/${partition} ${committed}/${high}`).join(', ');
  }

  /** Resolves once the transformers committed offsets up to the end of every raw topic (past its last transaction markers too). */
  async caughtUp(): Promise<boolean> {
    return (await this.rawPositions()).every(({ committed, high }) => high === 0n || committed >= high);
  }

  private rawPositions(): Promise<GroupPosition[]> {
    return groupPositions(this.admin!, `${this.prefix}transformers`, [this.topics.raw('vendors'), this.topics.raw('purchase_orders')]);
  }

  async stop(): Promise<void> {
    for (const worker of this.workers) await worker.stop().catch(() => {});
    await this.tail?.stop().catch(() => {});
    await this.writer.stop();
    if (this.admin) await deleteTopicsWithPrefix(this.admin, this.prefix).catch(() => undefined);
    await this.admin?.disconnect().catch(() => {});
  }
}
