import type { Admin } from 'kafkajs';
import { ensureTopics } from '../platform/kafka.js';
import { topicNames } from '../platform/topics.js';
import { ENTITY_NAMES, ENTITY_PLURALS, type EntityName } from '../schemas/index.js';
import { TransformerError } from './errors.js';

export interface TransformerTopicOptions {
  prefix: string;
  partitions: number;
  replicationFactor: number;
}

export interface TransformerTopics {
  /** Raw topic name → its entity. */
  rawEntities: Map<string, EntityName>;
  unified: Map<EntityName, string>;
  events: string;
  deadLetters: string;
  state: string;
  connections: string;
  partitions: number;
}

/**
 * Creates what the transformer reads and writes (raw topics too, so it can start before any
 * producer) and checks co-partitioning: every raw topic and transformer-state must have the same
 * partition count, or the state of partition p would not be where the transformer looks for it.
 */
export async function ensureTransformerTopics(admin: Admin, options: TransformerTopicOptions): Promise<TransformerTopics> {
  const names = topicNames(options.prefix);
  const raw = new Map(ENTITY_NAMES.map((entity) => [names.raw(ENTITY_PLURALS[entity]), entity] as const));
  const unified = new Map(ENTITY_NAMES.map((entity) => [entity, names.unified(ENTITY_PLURALS[entity])] as const));
  const plain = [...raw.keys(), ...unified.values(), names.events, names.deadLetters].map((name) => ({ name, compacted: false }));
  await ensureTopics(admin, [...plain, { name: names.connections, compacted: true }, { name: names.transformerState, compacted: true }], {
    partitions: options.partitions,
    replicationFactor: options.replicationFactor,
  });
  const metadata = await topicMetadata(admin, [...raw.keys(), names.transformerState]);
  const counts = new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
  const stateCount = counts.get(names.transformerState)!;
  const mismatched = [...raw.keys()].filter((name) => counts.get(name) !== stateCount);
  if (mismatched.length > 0) {
    throw new TransformerError(
      'state_partitions_mismatch',
      `${names.transformerState} has ${stateCount} partitions but ${mismatched.map((name) => `${name} has ${counts.get(name)}`).join(', ')}; raw topics and transformer-state must have the same partition count. Create them alike (MILLRACE_TOPIC_PARTITIONS before the first start), or add partitions to the smaller ones (kafka-topics --alter --partitions) and restart; records whose keys move to another partition are then announced as created once more.`,
    );
  }
  return {
    rawEntities: raw,
    unified,
    events: names.events,
    deadLetters: names.deadLetters,
    state: names.transformerState,
    connections: names.connections,
    partitions: stateCount,
  };
}

/** fetchTopicMetadata, retried while freshly created topics propagate (UNKNOWN_TOPIC_OR_PARTITION). */
async function topicMetadata(admin: Admin, topics: string[], attempts = 20): ReturnType<Admin['fetchTopicMetadata']> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicMetadata({ topics });
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable === false) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
