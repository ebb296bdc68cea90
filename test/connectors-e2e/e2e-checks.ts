import { expect } from 'vitest';
import type { TestPipeline } from '../support/pipeline.js';

/**
 * Checks the connectors' end-to-end tests share. Entity tables are ReplacingMergeTree: each
 * record version is one row until a background merge folds older versions away, so exactness is
 * read without FINAL as "one row per (id, version)" and new versions as "versions above a mark".
 */

/**
 * `table` holds exactly `records` distinct records of the connection, and no version of any of
 * them twice (a replayed batch or a re-transformed record would show as a second row).
 */
export async function expectEachRecordOnce(pipeline: TestPipeline, connectionId: string, table: string, records: number): Promise<void> {
  await pipeline.waitForRows(connectionId, table, records);
  const [counts] = await pipeline.query(`SELECT count() AS rows, uniqExact(id, version) AS versions, uniqExact(id) AS records FROM ${table} WHERE connection_id = {c:String}`, { c: connectionId });
  expect({ records: Number(counts!.records), duplicateRows: Number(counts!.rows) - Number(counts!.versions) }, table).toEqual({ records, duplicateRows: 0 });
}

/** The newest version in `table` for the connection: the mark for `expectNewVersionsOnly`. */
export async function newestVersion(pipeline: TestPipeline, connectionId: string, table: string): Promise<string> {
  const [row] = await pipeline.query<{ version: string }>(`SELECT toString(max(version)) AS version FROM ${table} WHERE connection_id = {c:String}`, { c: connectionId });
  return row!.version;
}

/**
 * Exactly the records `remoteIds` got a version newer than `mark`, one each: the records re-read
 * unchanged by the same runs (incremental overlaps, full passes) produced nothing downstream.
 */
export async function expectNewVersionsOnly(pipeline: TestPipeline, connectionId: string, table: string, mark: string, remoteIds: string[]): Promise<void> {
  const rows = await pipeline.query<{ remote_id: string; versions: string }>(
    `SELECT remote_id, toString(count()) AS versions FROM ${table} WHERE connection_id = {c:String} AND version > {mark:Int64} GROUP BY remote_id ORDER BY remote_id`,
    { c: connectionId, mark },
  );
  expect(rows, `${table}: records with a new version`).toEqual([...remoteIds].sort().map((remoteId) => ({ remote_id: remoteId, versions: '1' })));
}

/**
 * Asks the producer runtime for a run of `stream` now ("sync now", or "full resync" with `full`),
 * waits until a run started after the request has succeeded, then until the transformer and the
 * sink have carried everything it captured into ClickHouse.
 */
export async function syncAgain(pipeline: TestPipeline, connectionId: string, stream: string, options: { full?: boolean } = {}): Promise<void> {
  const after = new Date().toISOString();
  if (options.full) await pipeline.connections.fullResync(connectionId, stream);
  else await pipeline.connections.syncNow(connectionId, stream);
  await pipeline.waitForSyncs(connectionId, { streams: [stream], after });
  await pipeline.waitForCaughtUp();
}
