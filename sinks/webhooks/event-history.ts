import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { MillraceEvent } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import { WebhookError } from './errors.js';
import { parseEventMessage } from './event-message.js';
import { topicOffsets } from '../../platform/kafka.js';

/**
 * Reads the events of a time range back from the events topic, for replay. Kafka finds the
 * first offset at or after each bound per partition (ListOffsets by timestamp); a throwaway
 * consumer group starts at the lower offsets and stops at the upper ones. Events are also checked
 * against the range by their own `timestamp`. History reaches back as far as the events topic's
 * retention.
 */
const IDLE_TIMEOUT_MS = 30_000;

export interface EventRangeScan {
  /** Messages read in the range (all types). */
  scanned: number;
}

export async function readEventsInRange(
  kafka: Kafka,
  topic: string,
  range: { fromMs: number; toMs: number },
  options: { maxMessages: number; logger: Logger; onEvent: (event: MillraceEvent) => Promise<void> | void },
): Promise<EventRangeScan> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${topic}.replay.${randomUUID()}`;
  try {
    const starts = await admin.fetchTopicOffsetsByTimestamp(topic, range.fromMs);
    const ends = await admin.fetchTopicOffsetsByTimestamp(topic, range.toMs + 1);
    const spans = starts
      .map(({ partition, offset }) => ({ partition, start: Number(offset), end: Number(ends.find((end) => end.partition === partition)?.offset ?? offset) }))
      .filter((span) => span.end > span.start);
    const total = spans.reduce((sum, span) => sum + span.end - span.start, 0);
    if (total > options.maxMessages) {
      throw new WebhookError(
        'webhook_input_invalid',
        `The replay range holds ${total} events, more than the ${options.maxMessages} one replay may read; replay a shorter range (several calls).`,
        { events: total, limit: options.maxMessages },
      );
    }
    if (spans.length === 0) return { scanned: 0 };
    // Every partition gets an offset: those outside the range start at their end and read nothing.
    const highs = await topicOffsets(admin, topic);
    const offsets = highs.map(({ partition, high }) => ({ partition, offset: String(spans.find((span) => span.partition === partition)?.start ?? high) }));
    await admin.setOffsets({ groupId, topic, partitions: offsets });
    const scanned = await consumeSpans(kafka, topic, groupId, spans, range, options);
    return { scanned };
  } finally {
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
  }
}

async function consumeSpans(
  kafka: Kafka,
  topic: string,
  groupId: string,
  spans: { partition: number; start: number; end: number }[],
  range: { fromMs: number; toMs: number },
  options: { logger: Logger; onEvent: (event: MillraceEvent) => Promise<void> | void },
): Promise<number> {
  const remaining = new Map(spans.map((span) => [span.partition, span.end]));
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  let scanned = 0;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // Completion is read from END_BATCH_PROCESS, which kafkajs also emits for batches holding only
  // transaction markers (the events topic is written transactionally): eachBatch never sees those.
  // A span that stops advancing (the broker gone, the range deleted by retention) fails the replay.
  let idle: NodeJS.Timeout | undefined;
  const watchdog = () => {
    clearTimeout(idle);
    idle = setTimeout(
      () => fail(new WebhookError('webhook_store_unavailable', `Reading the events topic ${topic} for the replay stalled for ${IDLE_TIMEOUT_MS / 1000} s; try again.`)),
      IDLE_TIMEOUT_MS,
    );
  };
  watchdog();
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    watchdog();
    const end = remaining.get(payload.partition);
    if (end === undefined || Number(payload.lastOffset) + 1 < end) return;
    remaining.delete(payload.partition);
    consumer.pause([{ topic, partitions: [payload.partition] }]);
    if (remaining.size === 0) finish();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const end = remaining.get(batch.partition);
        if (end === undefined) return;
        try {
          for (const message of batch.messages) {
            if (Number(message.offset) >= end) break;
            scanned += 1;
            const event = readEvent(message.value, options.logger);
            if (event && inRange(event, range)) await options.onEvent(event);
          }
        } catch (error) {
          fail(error);
          return;
        }
        await heartbeat();
      },
    });
    await done;
  } finally {
    clearTimeout(idle);
    await consumer.disconnect();
  }
  return scanned;
}

function readEvent(value: Buffer | null, logger: Logger): MillraceEvent | undefined {
  try {
    return parseEventMessage(value);
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, 'replay: unreadable event skipped');
    return undefined;
  }
}

function inRange(event: MillraceEvent, range: { fromMs: number; toMs: number }): boolean {
  const at = Date.parse(event.timestamp);
  return at >= range.fromMs && at <= range.toMs;
}
