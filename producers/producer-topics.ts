import type { Admin } from 'kafkajs';
import { ensureTopics } from '../platform/kafka.js';
import { controlTopics, topicNames } from '../platform/topics.js';
import { ENTITY_PLURALS } from '../schemas/entities.js';

export interface ProducerTopicOptions {
  prefix: string;
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates what the producer writes to: the control topics, the events topic and one raw topic
 * per entity (MILLRACE_TOPIC_PARTITIONS partitions, time retention). Returns each raw topic's
 * actual partition count, which may differ from the setting if the topic existed already.
 */
export async function ensureProducerTopics(admin: Admin, options: ProducerTopicOptions): Promise<Map<string, number>> {
  const names = topicNames(options.prefix);
  const rawTopics = Object.values(ENTITY_PLURALS).map((plural) => names.raw(plural));
  const specs = [...controlTopics(options.prefix), { name: names.events, compacted: false }, ...rawTopics.map((name) => ({ name, compacted: false }))];
  // A busy broker may answer UNKNOWN_TOPIC_OR_PARTITION while new topics' leaders are elected;
  // creating only what is missing makes a retry safe.
  await retrying(() => ensureTopics(admin, specs, { partitions: options.partitions, replicationFactor: options.replicationFactor }));
  const metadata = await retrying(() => admin.fetchTopicMetadata({ topics: rawTopics }));
  return new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
}

async function retrying<T>(action: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable === false) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
