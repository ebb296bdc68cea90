import type { Admin } from 'kafkajs';
import { ensureTopics } from '../../platform/kafka.js';
import { topicNames } from '../../platform/topics.js';

/**
 * The topics the webhook sink reads and writes, created when missing:
 * - events (produced by the pipeline; created here too so the sink can start first),
 * - webhook-subscriptions (compacted control state),
 * - webhook-retries: pending deliveries. Kept 7 days, more than the longest a retry record stays
 *   unconsumed: a record is rewritten at every attempt, at most ~11 h apart.
 */
export const RETRY_TOPIC_RETENTION_MS = 7 * 24 * 3_600_000;

export function webhookTopics(prefix: string) {
  const names = topicNames(prefix);
  return { events: names.events, subscriptions: names.webhookSubscriptions, retries: names.webhookRetries };
}

export async function ensureWebhookTopics(admin: Admin, prefix: string, options: { partitions: number; replicationFactor: number }): Promise<void> {
  const topics = webhookTopics(prefix);
  await ensureTopics(admin, [{ name: topics.events, compacted: false }, { name: topics.subscriptions, compacted: true }], options);
  if ((await admin.listTopics()).includes(topics.retries)) return;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: topics.retries,
          numPartitions: options.partitions,
          replicationFactor: options.replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(RETRY_TOPIC_RETENTION_MS) }],
        },
      ],
    });
  } catch (error) {
    const type = (error as { type?: string }).type;
    // Another worker may have created it a moment ago.
    if (type === 'TOPIC_ALREADY_EXISTS') return;
    // A busy broker may not serve a topic's metadata right after creating it (as in ensureTopics).
    if (type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.fetchTopicMetadata({ topics: [topics.retries] });
        return;
      } catch (retry) {
        if (attempt >= 40 || (retry as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw retry;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}
