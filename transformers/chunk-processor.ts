import type { KafkaMessage, Message, TopicMessages } from 'kafkajs';
import { eventKey, type MillraceEvent } from '../platform/events.js';
import type { RawRecordMeta } from '../platform/raw-record.js';
import { recordId, UnifiedCodecError, unifiedRecordSchema, type EntityName, type UnifiedCodec } from '../schemas/index.js';
import { deadLetterMessage, type DeadLetter } from './dead-letter.js';
import { changedFields, fieldHashes } from './field-hash.js';
import { recordEvent, type RecordEventType } from './record-events.js';
import { transformRecord, type PipelineContext } from './record-pipeline.js';
import { stateMessage } from './state-message.js';
import type { StateRecord, StateTable } from './state-table.js';
import { TransformerError } from './errors.js';

/**
 * One chunk of one input partition → the messages of its transaction: unified images, record
 * events, state updates and dead letters. State changes are collected in `pending` and applied
 * to the table only after the transaction committed; a failed chunk leaves the table untouched.
 */
export interface ChunkInput {
  topic: string;
  partition: number;
  entity: EntityName;
  table: StateTable;
  messages: KafkaMessage[];
}

export interface ChunkTopics {
  unified: string;
  events: string;
  deadLetters: string;
  state: string;
}

export type Counter = 'records' | 'written' | 'unchanged' | 'stale' | 'created' | 'updated' | 'deleted' | 'dead_letters';

export interface DeadLetterNote {
  connectionId: string | null;
  letter: DeadLetter;
}

export interface ChunkResult {
  topicMessages: TopicMessages[];
  pending: Map<string, StateRecord>;
  /** Per connection id (`unknown` when the record named none). */
  counts: Map<string, Record<Counter, number>>;
  deadLetters: DeadLetterNote[];
}

export interface ChunkEnvironment {
  topics: ChunkTopics;
  codec: UnifiedCodec;
  pipeline: Omit<PipelineContext, 'entity'>;
  now?: () => Date;
}

/** Headers of unified messages: what a sink needs before decoding (kafkajs pays per header). */
export const UNIFIED_HEADERS = {
  /** `upsert`: a full image; `delete`: a delete image carrying the identity and the deletion only. */
  op: 'millrace-op',
  version: 'millrace-version',
} as const;

export async function processChunk(input: ChunkInput, env: ChunkEnvironment): Promise<ChunkResult> {
  return new ChunkRun(input, env).run();
}

class ChunkRun {
  private readonly unified: Message[] = [];
  private readonly events: Message[] = [];
  private readonly states: Message[] = [];
  private readonly dlq: Message[] = [];
  private readonly pending = new Map<string, StateRecord>();
  private readonly counts = new Map<string, Record<Counter, number>>();
  private readonly deadLetters: DeadLetterNote[] = [];
  private readonly now: Date;

  constructor(private readonly input: ChunkInput, private readonly env: ChunkEnvironment) {
    this.now = env.now?.() ?? new Date();
  }

  async run(): Promise<ChunkResult> {
    const { input, env } = this;
    const context: PipelineContext = { ...env.pipeline, entity: input.entity };
    for (const message of input.messages) {
      const outcome = transformRecord(message, context);
      this.count(outcome.kind === 'dead' ? outcome.connectionId : outcome.meta.connectionId, 'records');
      switch (outcome.kind) {
        case 'dead':
          this.deadLetter(message, outcome.letter, outcome.connectionId);
          // The source still returned the record: a full pass must not delete it for failing to map.
          if (outcome.key && outcome.meta?.op === 'upsert' && outcome.meta.passId) this.touchPass(outcome.key, outcome.meta);
          break;
        case 'upsert':
          await this.upsert(message, outcome.key, outcome.meta, outcome.record, outcome.hashes);
          break;
        case 'delete':
          await this.remove(message, outcome.key, outcome.meta, outcome.remoteId, outcome.meta.capturedAtMicros);
          break;
        case 'pass_complete':
          await this.passComplete(message, outcome.meta, outcome.passId);
          break;
      }
    }
    const topicMessages: TopicMessages[] = [
      { topic: env.topics.unified, messages: this.unified },
      { topic: env.topics.events, messages: this.events },
      { topic: env.topics.state, messages: this.states },
      { topic: env.topics.deadLetters, messages: this.dlq },
    ].filter((entry) => entry.messages.length > 0);
    return { topicMessages, pending: this.pending, counts: this.counts, deadLetters: this.deadLetters };
  }

  private previous(key: string): StateRecord | undefined {
    return this.pending.get(key) ?? this.input.table.get(key);
  }

  private async upsert(message: KafkaMessage, key: string, meta: RawRecordMeta, record: Record<string, unknown>, hashes: Int32Array): Promise<void> {
    const before = this.previous(key);
    const version = Number(meta.capturedAtMicros);
    if (before && version < before.version && !sameHashes(before.hashes, hashes)) {
      // An older capture than the image already written (a replayed raw topic): never go back.
      // The same version with other content is a re-transformation (a fixed mapper, a new field
      // mapping) and goes out as the record's current image.
      this.count(meta.connectionId, 'stale');
      if (meta.passId) this.touchPass(key, meta);
      return;
    }
    if (before && sameHashes(before.hashes, hashes)) {
      this.count(meta.connectionId, 'unchanged');
      if (meta.passId && before.pass !== meta.passId) this.setState(key, { ...before, hashes: Int32Array.from(before.hashes), pass: meta.passId, stream: meta.stream });
      return;
    }
    const deleted = record.is_deleted === true;
    const type: RecordEventType = !before ? 'record.created' : deleted && !before.deleted ? 'record.deleted' : 'record.updated';
    const encoded = await this.encode(message, meta.connectionId, record);
    if (!encoded) return;
    this.write(key, meta, encoded, 'upsert', record);
    this.event(recordEvent(type, this.input.entity, record, type === 'record.updated' ? changedFields(this.input.entity, before!.hashes, hashes) : undefined));
    this.count(meta.connectionId, type === 'record.created' ? 'created' : type === 'record.deleted' ? 'deleted' : 'updated');
    this.setState(key, { hashes, version, pass: meta.passId ?? before?.pass ?? null, stream: meta.stream, deleted });
  }

  /** A delete image: the identity, is_deleted and when; every other field at its empty value. */
  private async remove(message: KafkaMessage, key: string, meta: RawRecordMeta, remoteId: string, versionMicros: bigint): Promise<void> {
    const before = this.previous(key);
    // Deleting what was never seen, or is deleted already, changes nothing.
    if (!before || before.deleted) return;
    if (Number(versionMicros) <= before.version) {
      this.count(meta.connectionId, 'stale');
      return;
    }
    const at = new Date(Number(versionMicros / 1000n)).toISOString();
    const record = unifiedRecordSchema(this.input.entity).parse({
      id: recordId(meta.connectionId, this.input.entity, remoteId),
      connection_id: meta.connectionId,
      source_system: meta.sourceSystem,
      remote_id: remoteId,
      is_deleted: true,
      remote_deleted_at: at,
      remote_data: 'null',
      synced_at: at,
      version: versionMicros.toString(),
    }) as unknown as Record<string, unknown>;
    const encoded = await this.encode(message, meta.connectionId, record);
    if (!encoded) return;
    this.write(key, meta, encoded, 'delete', record);
    this.event(recordEvent('record.deleted', this.input.entity, record));
    this.count(meta.connectionId, 'deleted');
    this.setState(key, { hashes: fieldHashes(this.input.entity, record), version: Number(versionMicros), pass: before.pass, stream: before.stream, deleted: true });
  }

  /** A complete full pass: every existing key of its connection and stream it did not see is deleted. */
  private async passComplete(message: KafkaMessage, meta: RawRecordMeta, passId: string): Promise<void> {
    const prefix = `${meta.connectionId}:`;
    const unseen = new Set(this.input.table.unseenBy(meta.connectionId, meta.stream, passId));
    for (const [key, state] of this.pending) {
      const candidate = key.startsWith(prefix) && state.stream === meta.stream && !state.deleted && state.pass !== passId;
      if (candidate) unseen.add(key);
      else unseen.delete(key);
    }
    for (const key of unseen) await this.remove(message, key, meta, key.slice(prefix.length), meta.capturedAtMicros);
  }

  private touchPass(key: string, meta: RawRecordMeta): void {
    const before = this.previous(key);
    if (!before || before.pass === meta.passId) return;
    this.setState(key, { ...before, hashes: Int32Array.from(before.hashes), pass: meta.passId ?? null });
  }

  private async encode(message: KafkaMessage, connectionId: string, record: Record<string, unknown>): Promise<Buffer | null> {
    try {
      return await this.env.codec.encode(this.input.entity, record as never);
    } catch (error) {
      if (error instanceof UnifiedCodecError) {
        const first = error.issues[0];
        this.deadLetter(message, { stage: 'encode', reason: error.message, path: first?.path ?? '' }, connectionId);
        return null;
      }
      throw new TransformerError('schema_registry_failed', `could not encode ${this.input.entity} through the schema registry: ${(error as Error).message}`, { cause: error });
    }
  }

  private write(key: string, meta: RawRecordMeta, value: Buffer, op: 'upsert' | 'delete', record: Record<string, unknown>): void {
    this.unified.push({
      key,
      value,
      headers: {
        [UNIFIED_HEADERS.op]: op,
        [UNIFIED_HEADERS.version]: String(record.version),
      },
    });
    this.count(meta.connectionId, 'written');
  }

  private event(event: MillraceEvent<unknown>): void {
    this.events.push({ key: eventKey(event), value: JSON.stringify(event) });
  }

  private setState(key: string, state: StateRecord): void {
    this.pending.set(key, state);
    this.states.push(stateMessage(this.input.entity, key, this.input.partition, state));
  }

  private deadLetter(message: KafkaMessage, letter: DeadLetter, connectionId: string | null): void {
    const { topic, partition } = this.input;
    this.dlq.push(deadLetterMessage({ topic, partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers }, letter, this.now));
    this.deadLetters.push({ connectionId, letter });
    this.count(connectionId, 'dead_letters');
  }

  private count(connectionId: string | null, counter: Counter): void {
    const id = connectionId ?? 'unknown';
    let counts = this.counts.get(id);
    if (!counts) {
      counts = { records: 0, written: 0, unchanged: 0, stale: 0, created: 0, updated: 0, deleted: 0, dead_letters: 0 };
      this.counts.set(id, counts);
    }
    counts[counter]++;
  }
}

function sameHashes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
