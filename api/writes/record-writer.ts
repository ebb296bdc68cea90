import { isConnectorError } from '../../connectors/sdk/errors.js';
import type { ConnectorDefinition, StreamDefinition, WriteOperations, WriteResult } from '../../connectors/sdk/types.js';
import type { Logger } from '../../platform/logger.js';
import type { ConnectionService } from '../../producers/connection-service.js';
import { recordId, type WritableEntityName } from '../../schemas/index.js';
import { ApiError } from '../errors.js';

/**
 * A unified write through the connection's connector: the connector's own rules first (no
 * network), then — unless it is a dry run — its create/update through a client holding the
 * connection's credentials, then the written record is captured into the raw topic at once, so
 * it reaches reads within seconds (transformer → unified topic → ClickHouse) instead of at the
 * stream's next poll.
 */
export interface WriteRequest {
  entity: WritableEntityName;
  kind: 'create' | 'update';
  connectionId: string;
  system: string;
  input: Record<string, unknown>;
  /** For updates: the source's key of the record, and Millrace's last image of it. */
  remoteId?: string;
  baseVersion?: { remoteData?: unknown; remoteUpdatedAt?: string | null };
  idempotencyKey?: string;
}

export interface WriteOutcome {
  id: string;
  entity: WritableEntityName;
  connection_id: string;
  remote_id: string;
  /** True when the source's copy of the record was captured for the pipeline; false: it appears after the next poll. */
  captured: boolean;
}

export function writeOperations(connector: ConnectorDefinition | undefined, entity: WritableEntityName, kind: 'create' | 'update'): WriteOperations<unknown, WritableEntityName> {
  const operations = connector?.writes?.[entity] as WriteOperations<unknown, WritableEntityName> | undefined;
  if (!operations?.[kind]) {
    throw new ApiError('write_not_supported', `The ${connector?.displayName ?? 'connector'} connector cannot ${kind} ${entity} records.`, { details: { system: connector?.id, entity, kind } });
  }
  return operations;
}

/** The source system's rules the unified model cannot express; refusals name the field paths. */
export function checkSourceRules(operations: WriteOperations<unknown, WritableEntityName>, input: Record<string, unknown>, kind: 'create' | 'update'): void {
  const issues = operations.validate?.(input, kind) ?? [];
  if (issues.length > 0) {
    throw new ApiError('write_validation_failed', `The record breaks rules of the source system: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`, {
      issues: issues.map((issue) => ({ path: `body.${dotPath(issue.path)}`, message: issue.message })),
    });
  }
}

/** `lines[2].quantity` → `lines.2.quantity`: the spelling of the model's own validation issues. */
export function dotPath(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1');
}

/** A stream of the entity that can read one record back (to capture the written image). */
function captureStream(connector: ConnectorDefinition, entity: WritableEntityName): StreamDefinition<unknown, unknown, unknown> | undefined {
  const streams = connector.streams.filter((stream) => stream.entity === entity);
  return (streams.find((stream) => stream.fetchOne) ?? streams[0]) as StreamDefinition<unknown, unknown, unknown> | undefined;
}

export async function executeWrite(connections: ConnectionService, request: WriteRequest, logger: Logger): Promise<WriteOutcome> {
  let result: WriteResult | undefined;
  let captured: { stream: string; remoteId: string; body: unknown } | null = null;
  await connections.withClient(request.connectionId, async (client, connector) => {
    const operations = writeOperations(connector, request.entity, request.kind);
    const ctx = {
      logger,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
      ...(request.baseVersion ? { baseVersion: request.baseVersion } : {}),
    };
    result = request.kind === 'create' ? await operations.create!(client, request.input, ctx) : await operations.update!(client, request.remoteId!, request.input, ctx);
    const stream = captureStream(connector, request.entity);
    if (!stream) return;
    // The stream's own read is the shape the transformer maps; the write's answer is the fallback.
    const body = (stream.fetchOne ? await readBack(stream, client, result.remoteId, logger) : null) ?? result.raw;
    if (body === undefined || body === null) return;
    // The raw topic's key must be the one the stream's own reads produce.
    captured = { stream: stream.name, remoteId: safeRemoteId(stream, body) ?? result.remoteId, body };
  });
  const written = result as WriteResult | undefined;
  if (!written) throw new Error('the connector returned no write result');
  let didCapture = false;
  const capture = captured as { stream: string; remoteId: string; body: unknown } | null;
  if (capture) {
    try {
      await connections.captureRecords(request.connectionId, capture.stream, [{ remoteId: capture.remoteId, body: capture.body }]);
      didCapture = true;
    } catch (error) {
      // The source has the record; only its early arrival in reads is lost. The next poll brings it.
      logger.error({ err: error, connection_id: request.connectionId, remote_id: written.remoteId }, 'capturing a written record failed; it appears after the next poll');
    }
  }
  return { id: recordId(request.connectionId, request.entity, written.remoteId), entity: request.entity, connection_id: request.connectionId, remote_id: written.remoteId, captured: didCapture };
}

function safeRemoteId(stream: StreamDefinition<unknown, unknown, unknown>, body: unknown): string | null {
  try {
    return stream.remoteId(body);
  } catch {
    return null;
  }
}

async function readBack(stream: StreamDefinition<unknown, unknown, unknown>, client: unknown, remoteId: string, logger: Logger): Promise<unknown> {
  try {
    return await stream.fetchOne!(client, remoteId);
  } catch (error) {
    logger.warn({ err: isConnectorError(error) ? error.toJSON() : error, remote_id: remoteId }, 'reading the written record back failed; it appears after the next poll');
    return null;
  }
}
