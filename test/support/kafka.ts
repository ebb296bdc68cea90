import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { createKafka, ensureTopics } from '../../platform/kafka.js';
import { createLogger } from '../../platform/logger.js';

/** A name no other test (or earlier run) uses: tests never share topics, groups or tables. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

export function testBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? inject('kafkaBrokers')).split(',');
}

export function testKafka(clientId = 'millrace-test'): Kafka {
  return createKafka({ brokers: testBrokers(), clientId, logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
}

/** Creates topics and waits until the broker serves them (a busy KRaft broker may lag behind). */
export async function createTopics(admin: Admin, topics: string[], numPartitions = 1): Promise<void> {
  await ensureTopics(admin, topics.map((name) => ({ name, compacted: false })), { partitions: numPartitions, replicationFactor: 1 });
}

/** Deletes every topic whose name starts with `prefix`: the broker is shared by every test of a run. */
export async function deleteTopicsWithPrefix(admin: Admin, prefix: string): Promise<void> {
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
}
