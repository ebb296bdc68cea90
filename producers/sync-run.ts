import type { TopicMessages } from 'kafkajs';
import { ConnectorError, isConnectorError } from '../connectors/sdk/errors.js';
import type { StreamDefinition, StreamPage } from '../connectors/sdk/types.js';
import type { Logger } from '../platform/logger.js';
import {
  cursorMessage,
  deleteMessages,
  passCompleteMessages,
  upsertMessages,
  type CaptureContext,
  type CursorRecord,
  type PassInfo,
} from './capture-messages.js';
import type { RunSummary } from './connection-state.js';
import type { ConnectionTransactor } from './transactor.js';

/**
 * One run of one stream: sync.started → pages (each page one transaction: raw records, deletes
 * and the new cursor) → a final transaction with the cleared pass, `pass_complete` records and
 * sync.completed. A failure leaves every committed page in place and the cursor where the last
 * committed page put it; the caller records the failure.
 */

export interface RunStart {
  cursor: unknown;
  pass: PassInfo | null;
  /** The cursor record must be written in the start transaction (a new pass, or a reset). */
  writeCursor: boolean;
}

/**
 * Where a run starts. A full resync, a first sync (no cursor) and every run of a full-refresh
 * stream are full passes; a pass interrupted earlier resumes from its committed cursor and keeps
 * its id, so its records and its pass_complete match.
 */
export function planStart(stream: { syncMode: string }, stored: CursorRecord | null, fullRequested: boolean, newPassId: () => string, now: Date): RunStart {
  const newPass = (): RunStart => ({ cursor: null, pass: { id: newPassId(), started_at: now.toISOString() }, writeCursor: true });
  if (fullRequested) return newPass();
  if (stored?.pass) return { cursor: stored.cursor ?? null, pass: stored.pass, writeCursor: false };
  if (stream.syncMode === 'full_refresh') return newPass();
  if (stored === null || stored.cursor === null || stored.cursor === undefined) return newPass();
  return { cursor: stored.cursor, pass: null, writeCursor: false };
}

export interface SyncRunInput {
  connectionId: string;
  sourceSystem: string;
  stream: StreamDefinition<unknown, unknown, unknown>;
  client: unknown;
  run: RunSummary;
  start: RunStart;
  startedAt: Date;
  topics: { raw: string; cursors: string };
  rawPartitions: number;
  transactor: ConnectionTransactor;
  signal: AbortSignal;
  logger: Logger;
  /** Messages (events, state) to commit with the start and the completion transactions. */
  onStart(run: RunSummary): TopicMessages[];
  onComplete(run: RunSummary): TopicMessages[];
  /** A `rate_limited` error is waited out and the read resumed this many times in a row. */
  rateLimitWaits: number;
  maxRateLimitWaitSeconds: number;
  /** Called with the wait in ms each time a rate limit is waited out. */
  onRateLimited?(waitMs: number): void;
  /** Called after each committed cursor record, so the caller's copy follows the topic. */
  onCursorCommitted(record: CursorRecord): void;
}

export class SyncRunFailure extends Error {
  constructor(readonly error: unknown, readonly run: RunSummary) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'SyncRunFailure';
  }
}

export class SyncRunAborted extends Error {
  constructor() {
    super('sync run stopped: the worker is stopping or gave the connection up');
    this.name = 'SyncRunAborted';
  }
}

export async function executeSyncRun(input: SyncRunInput): Promise<RunSummary> {
  const { stream, run, start, transactor } = input;
  const capture: CaptureContext = {
    connectionId: input.connectionId,
    sourceSystem: input.sourceSystem,
    entity: stream.entity,
    stream: stream.name,
    syncRunId: run.id,
    ...(start.pass ? { passId: start.pass.id } : {}),
  };
  const cursorRecord = (cursor: unknown, pass: PassInfo | null): CursorRecord => ({
    connection_id: input.connectionId,
    stream: stream.name,
    cursor,
    pass,
    sync_run_id: run.id,
    updated_at: new Date().toISOString(),
  });

  const startMessages = input.onStart(run);
  if (start.writeCursor) startMessages.push({ topic: input.topics.cursors, messages: [cursorMessage(cursorRecord(start.cursor, start.pass))] });
  await transactor.commit(startMessages);
  if (start.writeCursor) input.onCursorCommitted(cursorRecord(start.cursor, start.pass));

  let cursor = start.cursor;
  let waits = 0;
  for (;;) {
    try {
      const pages = stream.read(input.client, cursor, { signal: input.signal, logger: input.logger, startedAt: input.startedAt });
      for await (const page of pages) {
        if (input.signal.aborted) throw new SyncRunAborted();
        const next = page.cursor ?? cursor;
        const { upserts, deletes } = pageRecords(stream, page);
        const cursorJson = JSON.stringify(next ?? null);
        const committed = cursorRecord(next, start.pass);
        await transactor.commit([
          { topic: input.topics.raw, messages: [...upsertMessages(capture, upserts, cursorJson), ...deleteMessages(capture, deletes, cursorJson)] },
          { topic: input.topics.cursors, messages: [cursorMessage(committed)] },
        ]);
        input.onCursorCommitted(committed);
        cursor = next;
        waits = 0;
        run.records += upserts.length;
        run.deletes += deletes.length;
        run.cursor = cursor;
      }
      break;
    } catch (error) {
      if (error instanceof SyncRunAborted || input.signal.aborted) throw new SyncRunAborted();
      if (isConnectorError(error) && error.kind === 'rate_limited' && waits < input.rateLimitWaits) {
        waits++;
        const waitMs = Math.min(error.retryAfterSeconds ?? 2 ** waits, input.maxRateLimitWaitSeconds) * 1000;
        input.logger.warn({ stream: stream.name, wait_ms: waitMs }, 'source rate limited the sync; waiting, then resuming from the committed cursor');
        input.onRateLimited?.(waitMs);
        await sleep(waitMs, input.signal);
        if (input.signal.aborted) throw new SyncRunAborted();
        continue;
      }
      throw new SyncRunFailure(error, run);
    }
  }

  // Full-refresh streams start their next pass from the beginning; incremental ones keep the cursor.
  const finalCursor = stream.syncMode === 'full_refresh' ? null : cursor;
  const finalRecord = cursorRecord(finalCursor, null);
  const completion: TopicMessages[] = [{ topic: input.topics.cursors, messages: [cursorMessage(finalRecord)] }];
  if (start.pass) completion.push({ topic: input.topics.raw, messages: passCompleteMessages({ ...capture, passId: start.pass.id }, start.pass, input.rawPartitions) });
  run.status = 'succeeded';
  run.finished_at = new Date().toISOString();
  run.cursor = cursor;
  completion.push(...input.onComplete(run));
  await transactor.commit(completion);
  input.onCursorCommitted(finalRecord);
  return run;
}

/** A page's records with their remote ids; a record without one fails the page as invalid_response. */
function pageRecords(stream: StreamDefinition<unknown, unknown, unknown>, page: StreamPage<unknown, unknown>): { upserts: { remoteId: string; body: unknown }[]; deletes: string[] } {
  if (!Array.isArray(page.records)) throw new ConnectorError('invalid_response', `stream ${stream.name} yielded a page without a records array`);
  const upserts = page.records.map((body, index) => {
    let remoteId: unknown;
    try {
      remoteId = stream.remoteId(body);
    } catch {
      remoteId = undefined;
    }
    if ((typeof remoteId !== 'string' && typeof remoteId !== 'number') || remoteId === '') {
      throw new ConnectorError('invalid_response', `stream ${stream.name}: record ${index} of the page has no ${stream.primaryKey}; the page was not captured`);
    }
    return { remoteId: String(remoteId), body };
  });
  const deletes = (page.deletedRemoteIds ?? []).map(String);
  return { upserts, deletes };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
