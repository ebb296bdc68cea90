import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from '../platform/logger.js';
import { topicOffsets } from '../platform/kafka.js';
import type { EntityName } from '../schemas/index.js';
import { TransformerError } from './errors.js';
import { hashedFields } from './field-hash.js';
import { parseStateKey, parseStateValue } from './state-message.js';
import { StateTable } from './state-table.js';

/**
 * Reads partitions of the transformer-state topic from the beginning to their end
 * (`read_committed`) into one StateTable per (entity, partition) asked for. Called after the
 * input partitions' transactional ids were fenced, so "the end" includes everything their
 * previous owners committed and nothing they can still add.
 *
 * kafkajs cannot assign partitions by hand, so a consumer of a fresh group stands in: it is the
 * group's only member, gets every partition, and pauses those not asked for.
 */
export interface StateLoadRequest {
  partition: number;
  entities: EntityName[];
}

export interface StateLoadOptions {
  kafka: Kafka;
  topic: string;
  groupPrefix: string;
  logger: Logger;
  timeoutMs?: number;
}

export type LoadedTables = Map<string, StateTable>;

export function tableSlot(entity: EntityName, partition: number): string {
  return `${entity}/${partition}`;
}

export async function loadState(requests: StateLoadRequest[], options: StateLoadOptions): Promise<LoadedTables> {
  const tables: LoadedTables = new Map();
  const wanted = new Map<number, Set<EntityName>>();
  for (const request of requests) {
    const entities = wanted.get(request.partition) ?? new Set<EntityName>();
    for (const entity of request.entities) {
      entities.add(entity);
      tables.set(tableSlot(entity, request.partition), new StateTable(hashedFields(entity).length));
    }
    wanted.set(request.partition, entities);
  }
  if (wanted.size === 0) return tables;

  const { kafka, topic, logger } = options;
  const admin = kafka.admin();
  await admin.connect();
  let targets: Map<number, bigint>;
  try {
    const offsets = await topicOffsets(admin, topic);
    targets = new Map(offsets.filter((entry) => wanted.has(entry.partition) && entry.low !== entry.high).map((entry) => [entry.partition, BigInt(entry.high)]));
  } finally {
    await admin.disconnect().catch(() => {});
  }
  if (targets.size === 0) return tables;

  const groupId = `${options.groupPrefix}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 250, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
  const positions = new Map<number, bigint>();
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const advance = (partition: number, position: bigint) => {
    if ((positions.get(partition) ?? -1n) < position) positions.set(partition, position);
    if ([...targets].every(([p, high]) => (positions.get(p) ?? 0n) >= high)) finish();
  };
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = event.payload.memberAssignment[topic] ?? [];
    const idle = assigned.filter((partition) => !targets.has(partition));
    if (idle.length > 0) consumer.pause([{ topic, partitions: idle }]);
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => advance(event.payload.partition, BigInt(event.payload.lastOffset) + 1n));
  const started = Date.now();
  let loaded = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const entities = wanted.get(batch.partition);
        if (!entities) return;
        for (const message of batch.messages) {
          const parsedKey = message.key ? parseStateKey(message.key.toString('utf8')) : null;
          if (!parsedKey || !entities.has(parsedKey.entity) || message.value === null) continue;
          try {
            tables.get(tableSlot(parsedKey.entity, batch.partition))!.set(parsedKey.rawKey, parseStateValue(message.value));
            loaded++;
          } catch (error) {
            // An unreadable state record only costs change detection for its key: it is seen as new.
            logger.error({ topic, partition: batch.partition, offset: message.offset, err: error }, 'transformer state record unreadable, skipped');
          }
        }
      },
    });
    await withTimeout(done, options.timeoutMs ?? 120_000, () => {
      const behind = [...targets].filter(([p, high]) => (positions.get(p) ?? 0n) < high).map(([p, high]) => `${p} at ${positions.get(p) ?? 0n} of ${high}`);
      return new TransformerError('state_load_timeout', `${topic}: could not read partitions to their end within ${options.timeoutMs ?? 120_000} ms (${behind.join(', ')}); check the brokers, or an open transaction of a stopped worker that the broker will abort after transaction.timeout.ms.`);
    });
  } finally {
    await consumer.disconnect().catch(() => {});
  }
  logger.info({ topic, partitions: [...targets.keys()], records: loaded, ms: Date.now() - started }, 'transformer state loaded');
  return tables;
}

function withTimeout(promise: Promise<void>, ms: number, error: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(error()), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (failure) => {
        clearTimeout(timer);
        reject(failure);
      },
    );
  });
}
