/**
 * Every Kafka topic Millrace uses, named in one place. `prefix` is MILLRACE_TOPIC_PREFIX
 * (default `millrace.`), so several installations can share one cluster.
 *
 * Data topics (retention by time): raw records per entity, unified records per entity (Avro),
 * the events topic, the dead-letter topic. Control topics (compacted, Kafka Connect style):
 * connections, connection state, cursors, schemas, webhook subscriptions, transformer state.
 */
export interface TopicSpec {
  name: string;
  compacted: boolean;
  /** Control topics hold little data; one partition keeps their order total. */
  partitions?: number;
}

export function topicNames(prefix: string) {
  return {
    /** The source's record untouched, JSON, keyed `connection_id:remote_id`. */
    raw: (entityPlural: string) => `${prefix}raw.${entityPlural}`,
    /** The unified record, Avro (Confluent wire format), keyed `connection_id:remote_id`. */
    unified: (entityPlural: string) => `${prefix}unified.${entityPlural}`,
    events: `${prefix}events`,
    deadLetters: `${prefix}dead-letters`,
    connections: `${prefix}connections`,
    connectionState: `${prefix}connection-state`,
    cursors: `${prefix}cursors`,
    schemas: `${prefix}_schemas`,
    webhookSubscriptions: `${prefix}webhook-subscriptions`,
    webhookRetries: `${prefix}webhook-retries`,
    transformerState: `${prefix}transformer-state`,
    apiKeys: `${prefix}api-keys`,
    /** The API's Idempotency-Key claims and stored answers (writes retried safely). */
    apiIdempotency: `${prefix}api-idempotency`,
  };
}

export type TopicNames = ReturnType<typeof topicNames>;

/** The control topics and how to create them. Data topics are created by the stage that owns them. */
export function controlTopics(prefix: string): TopicSpec[] {
  const names = topicNames(prefix);
  return [
    { name: names.connections, compacted: true },
    { name: names.connectionState, compacted: true },
    { name: names.cursors, compacted: true },
    { name: names.schemas, compacted: true, partitions: 1 },
    { name: names.webhookSubscriptions, compacted: true },
    { name: names.transformerState, compacted: true },
    { name: names.apiKeys, compacted: true, partitions: 1 },
    { name: names.apiIdempotency, compacted: true, partitions: 1 },
  ];
}
