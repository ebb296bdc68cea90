import type { Kafka, Message } from 'kafkajs';
import type { ClickHouse } from '../../../platform/clickhouse.js';
import { captureTimestampMicros, rawHeaders, rawKey } from '../../../platform/raw-record.js';
import { ENTITY_PLURALS, exampleRecord, parseUnifiedRecord, recordId, type EntityName, type UnifiedCodec } from '../../../schemas/index.js';
import type { UnifiedRecordMap } from '../../../schemas/generated/types.js';

/**
 * Records and messages for the sink's tests and benchmarks, made the way the pipeline makes
 * them: unified records parsed by the model's zod schema and encoded through the registry codec,
 * raw records with the capture headers.
 */
export function unifiedRecord<E extends EntityName>(entity: E, connectionId: string, index: number, overrides: Partial<UnifiedRecordMap[E]> = {}): UnifiedRecordMap[E] {
  const remoteId = `${ENTITY_PLURALS[entity].toUpperCase()}-${String(index).padStart(7, '0')}`;
  const base = exampleRecord(entity) as unknown as Record<string, unknown>;
  return parseUnifiedRecord(entity, {
    ...base,
    connection_id: connectionId,
    remote_id: remoteId,
    id: recordId(connectionId, entity, remoteId),
    display_value: `${entity} ${remoteId}`,
    version: captureTimestampMicros().toString(),
    ...overrides,
  }) as UnifiedRecordMap[E];
}

export async function unifiedMessages<E extends EntityName>(codec: UnifiedCodec, entity: E, records: UnifiedRecordMap[E][]): Promise<Message[]> {
  return Promise.all(
    records.map(async (record) => {
      const { connection_id: connectionId, remote_id: remoteId } = record as unknown as { connection_id: string; remote_id: string };
      return { key: rawKey(connectionId, remoteId), value: await codec.encode(entity, record) };
    }),
  );
}

export function rawMessage(entity: EntityName, connectionId: string, remoteId: string, body: unknown, op: 'upsert' | 'delete' | 'pass_complete' = 'upsert'): Message {
  return {
    key: rawKey(connectionId, remoteId),
    value: JSON.stringify(body),
    headers: rawHeaders({ connectionId, sourceSystem: 'test_source', entity, stream: ENTITY_PLURALS[entity], op, syncRunId: 'run-1', capturedAtMicros: captureTimestampMicros() }),
  };
}

/** Sends in chunks (one request per chunk) so large volumes do not build one huge request. */
export async function sendAll(kafka: Kafka, topic: string, messages: Message[], chunk = 2_000): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let start = 0; start < messages.length; start += chunk) await producer.send({ topic, messages: messages.slice(start, start + chunk) });
  } finally {
    await producer.disconnect();
  }
}

export async function queryRows<T = Record<string, unknown>>(clickhouse: ClickHouse, query: string, params?: Record<string, unknown>): Promise<T[]> {
  const result = await clickhouse.client.query({
    query,
    query_params: params,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_decimals: 1, output_format_json_named_tuples_as_objects: 1 },
  });
  return (await result.json()) as T[];
}

export async function countRows(clickhouse: ClickHouse, table: string, where = '1'): Promise<number> {
  const [row] = await queryRows<{ n: string }>(clickhouse, `SELECT count() AS n FROM ${table} WHERE ${where}`);
  return Number(row!.n);
}

/**
 * Commits an offset with metadata for a consumer group that has no running member, the way a
 * sink does before an insert: used to put a group in the state a crash leaves it in. The commit
 * is made from inside eachBatch because kafkajs silently skips commits of a consumer that is not
 * running yet (as it is while GROUP_JOIN is emitted). The partition must hold a message.
 */
export async function commitForGroup(kafka: Kafka, groupId: string, topic: string, partition: number, offset: bigint, metadata: string | null): Promise<void> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  // Read from the start whatever the group committed, so that eachBatch has a message to run on.
  consumer.on(consumer.events.GROUP_JOIN, () => consumer.seek({ topic, partition, offset: '0' }));
  await new Promise<void>((resolve, reject) => {
    let done = false;
    consumer
      .run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async () => {
          if (done) return;
          done = true;
          await consumer.commitOffsets([{ topic, partition, offset: offset.toString(), metadata }]).then(resolve, reject);
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
}
