import type { Kafka } from 'kafkajs';
import type { Logger } from '../platform/logger.js';
import type { TopicNames } from '../platform/topics.js';
import { CompactedTopicView } from '../platform/compacted-view.js';
import { parseConnectionRecord, type ConnectionRecord } from './connection-record.js';
import { parseState, type ConnectionState } from './connection-state.js';
import type { WrittenAt } from './connection-store.js';
import { RuntimeError } from './errors.js';

/**
 * The API's materialized view of connections and their runtime state: tails the `connections`
 * and `connection-state` topics (read_committed) into memory. `waitUntilApplied` makes a write
 * visible to reads as soon as the write returns.
 */
export class ConnectionView {
  readonly records = new Map<string, ConnectionRecord>();
  readonly states = new Map<string, ConnectionState>();
  private readonly tail: CompactedTopicView;

  constructor(kafka: Kafka, private readonly topics: TopicNames, logger: Logger, groupPrefix: string) {
    this.tail = new CompactedTopicView({
      kafka,
      topics: [topics.connections, topics.connectionState],
      groupPrefix,
      logger,
      unavailable: (message) => new RuntimeError('store_unavailable', message),
      apply: ({ topic, key, value }) => {
        if (topic === topics.connections) {
          const record = parseConnectionRecord(value);
          if (record) this.records.set(key, record);
          else this.records.delete(key);
          return;
        }
        const state = parseState(value);
        if (state) this.states.set(key, state);
        else this.states.delete(key);
      },
    });
  }

  /** Starts tailing and resolves once everything already in the topics is in memory. */
  async start(): Promise<void> {
    await this.tail.start();
    await this.tail.waitForEnd();
  }

  stop(): Promise<void> {
    return this.tail.stop();
  }

  waitUntilApplied(written: WrittenAt): Promise<void> {
    return this.tail.waitUntilApplied(written.topic, written.partition, written.offset);
  }

  /** Catches up with everything committed so far (e.g. state a worker wrote a moment ago). */
  refresh(): Promise<void> {
    return this.tail.waitForEnd();
  }
}
