import type { IHeaders } from 'kafkajs';
import type { ConnectorDefinition, MapContext, StreamDefinition } from '../connectors/sdk/types.js';
import { parseRawHeaders, type RawRecordMeta } from '../platform/raw-record.js';
import { recordId, safeParseUnifiedRecord, TRANSFORMER_FIELDS, validationIssues, type EntityName } from '../schemas/index.js';
import { applyFieldMappings } from './apply-field-mappings.js';
import { deadLetterFor, type DeadLetter } from './dead-letter.js';
import type { EntityMapping } from './field-mapping-config.js';
import { fieldHashes } from './field-hash.js';
import { cachedRecordId } from './record-ids.js';

/**
 * One raw record → what it means for the unified topic: a validated unified image, a delete, the
 * end of a full pass, or a dead letter naming the stage and the field. Pure apart from the
 * connector's mapper; change detection and Kafka come after (chunk-processor.ts).
 */
export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

export interface PipelineContext {
  /** The entity of the raw topic the record was read from. */
  entity: EntityName;
  connectorLookup(sourceSystem: string): ConnectorDefinition | undefined;
  /** The connection's mapping of this entity; `error` when its stored mapping is invalid. */
  mappingFor(connectionId: string, entity: EntityName): { mapping?: EntityMapping; error?: string };
}

export type Outcome =
  | { kind: 'dead'; letter: DeadLetter; connectionId: string | null; key: string | null; meta: RawRecordMeta | null }
  | { kind: 'upsert'; key: string; meta: RawRecordMeta; record: Record<string, unknown>; hashes: Int32Array }
  | { kind: 'delete'; key: string; meta: RawRecordMeta; remoteId: string }
  | { kind: 'pass_complete'; meta: RawRecordMeta; passId: string };

const TRANSFORMER_FIELD_SET: ReadonlySet<string> = new Set(TRANSFORMER_FIELDS);

export function transformRecord(message: RawMessage, ctx: PipelineContext): Outcome {
  const key = message.key?.toString('utf8') ?? null;
  let meta: RawRecordMeta;
  try {
    meta = parseRawHeaders(message.headers);
  } catch (error) {
    const connection = message.headers?.['millrace-connection-id']?.toString() ?? null;
    return dead(deadLetterFor('headers', error), connection, key, null);
  }
  const fail = (stage: DeadLetter['stage'], reason: string, path = '') => dead({ stage, reason, path }, meta.connectionId, key, meta);

  if (meta.entity !== ctx.entity) return fail('headers', `the header millrace-entity says ${meta.entity}, but the record is on the raw topic of ${ctx.entity}`);
  if (meta.op === 'pass_complete') {
    const passId = meta.passId ?? passIdOf(message.value);
    if (!passId) return fail('headers', 'a pass_complete record without a pass id (header millrace-pass-id)');
    return { kind: 'pass_complete', meta, passId };
  }
  const prefix = `${meta.connectionId}:`;
  if (key === null || !key.startsWith(prefix) || key.length === prefix.length) {
    return fail('headers', `the key ${JSON.stringify(key)} is not <connection_id>:<remote_id> for connection ${meta.connectionId}`);
  }
  const remoteId = key.slice(prefix.length);
  if (meta.op === 'delete') return { kind: 'delete', key, meta, remoteId };

  const connector = ctx.connectorLookup(meta.sourceSystem);
  if (!connector) return fail('map', `no connector for source system ${meta.sourceSystem} is installed (connectors/registry.ts)`);
  const stream = connector.streams.find((candidate) => candidate.name === meta.stream);
  if (!stream) return fail('map', `connector ${connector.id} has no stream ${meta.stream}`);
  if (stream.entity !== ctx.entity) return fail('map', `stream ${stream.name} of ${connector.id} maps to ${stream.entity}, not ${ctx.entity}`);
  const { mapping, error: mappingError } = ctx.mappingFor(meta.connectionId, ctx.entity);
  if (mappingError) return fail('map', `the connection's field mapping is invalid: ${mappingError}`);
  if (message.value === null) return fail('map', 'an upsert record without a value');

  const text = message.value.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail('map', `the raw value is not JSON: ${(error as Error).message}`);
  }
  let mapped: unknown;
  try {
    mapped = mapWith(stream, raw, meta);
  } catch (error) {
    return dead(deadLetterFor('map', error), meta.connectionId, key, meta);
  }
  if (mapped === null || typeof mapped !== 'object' || Array.isArray(mapped)) {
    return fail('map', `the mapper of ${connector.id}/${stream.name} returned ${Array.isArray(mapped) ? 'an array' : typeof mapped}, not a record`);
  }
  const forged = Object.keys(mapped).find((name) => TRANSFORMER_FIELD_SET.has(name));
  if (forged) return fail('validate', `${forged}: set by the mapper of ${connector.id}/${stream.name}, but only the transformer sets it`, forged);
  const mappedRemoteId = (mapped as { remote_id?: unknown }).remote_id;
  if (typeof mappedRemoteId === 'string' && mappedRemoteId !== remoteId) {
    return fail('validate', `remote_id: the mapper gave ${JSON.stringify(mappedRemoteId)}, but the record's key says ${JSON.stringify(remoteId)}`, 'remote_id');
  }

  const applied = applyFieldMappings(ctx.entity, mapped as Record<string, unknown>, raw, mapping);
  const parsed = safeParseUnifiedRecord(ctx.entity, {
    ...applied.record,
    // Not memoized: a record's own id comes once per capture (references repeat, see record-ids.ts).
    id: recordId(meta.connectionId, ctx.entity, remoteId),
    connection_id: meta.connectionId,
    source_system: meta.sourceSystem,
    remote_data: text,
    synced_at: new Date(Number(meta.capturedAtMicros / 1000n)).toISOString(),
    version: meta.capturedAtMicros.toString(),
  });
  if (!parsed.success) {
    const issues = validationIssues(parsed.error).map((issue) => {
      const from = applied.mappedFrom.get(issue.path.split('.')[0]!);
      return from ? { ...issue, message: `${issue.message} (mapped from raw path ${from} by the connection's field mapping)` } : issue;
    });
    const reason = `invalid ${ctx.entity}: ${issues.map((issue) => `${issue.path || '(record)'}: ${issue.message}`).join('; ')}`;
    return fail('validate', reason, issues[0]?.path ?? '');
  }
  const record = parsed.data as unknown as Record<string, unknown>;
  return { kind: 'upsert', key, meta, record, hashes: fieldHashes(ctx.entity, record) };
}

function mapWith(stream: StreamDefinition<unknown, unknown, unknown>, raw: unknown, meta: RawRecordMeta): unknown {
  const context: MapContext = {
    connectionId: meta.connectionId,
    sourceSystem: meta.sourceSystem,
    idFor: (entity, remoteId) => cachedRecordId(meta.connectionId, entity, remoteId),
  };
  return stream.map(raw, context);
}

function passIdOf(value: Buffer | null): string | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value.toString('utf8')) as { pass_id?: unknown };
    return typeof parsed.pass_id === 'string' && parsed.pass_id ? parsed.pass_id : undefined;
  } catch {
    return undefined;
  }
}

function dead(letter: DeadLetter, connectionId: string | null, key: string | null, meta: RawRecordMeta | null): Outcome {
  return { kind: 'dead', letter, connectionId, key, meta };
}
