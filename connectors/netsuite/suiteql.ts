import { ConnectorError } from '../sdk/errors.js';
import { parseTimestamp } from '../sdk/timestamps.js';
import type { RecordPath } from './client.js';

/**
 * The SuiteQL Millrace sends: fixed-shape queries over one table, ordered by
 * (lastmodifieddate, id), with datetimes as `TO_CHAR(…, 'YYYY-MM-DD HH24:MI:SS')` text on the
 * session clock (the integration user's time zone). Every value written into a query comes from
 * NetSuite's own rows or from the cursor and is checked against a strict pattern first, so a
 * tampered cursor cannot inject SQL.
 */
export const SESSION_FORMAT = 'YYYY-MM-DD HH24:MI:SS';

export interface DiscoverySpec {
  /** SuiteQL table. */
  table: 'transaction' | 'vendor' | 'item';
  /** Condition selecting the record type within the table ('' for none). */
  filter: string;
  /** Record service path for full bodies. */
  recordPath: RecordPath;
  /** Type as the deleted-record log names it. */
  deletedType: 'purchaseorder' | 'vendor' | 'inventoryitem';
}

export const PURCHASE_ORDERS: DiscoverySpec = { table: 'transaction', filter: "type = 'PurchOrd'", recordPath: 'purchaseOrder', deletedType: 'purchaseorder' };
export const VENDORS: DiscoverySpec = { table: 'vendor', filter: '', recordPath: 'vendor', deletedType: 'vendor' };
export const INVENTORY_ITEMS: DiscoverySpec = { table: 'item', filter: "itemtype = 'InvtPart'", recordPath: 'inventoryItem', deletedType: 'inventoryitem' };

/** A row position on the session clock: `2024-01-01 00:05:00` and an internal id. */
export interface Position {
  ts: string;
  id: string;
}

const SESSION_TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const ID = /^\d+$/;

function literalTs(ts: string): string {
  if (!SESSION_TS.test(ts)) throw new ConnectorError('invalid_response', `"${ts.slice(0, 40)}" is not a SuiteQL datetime (YYYY-MM-DD HH24:MI:SS)`);
  return `TO_TIMESTAMP('${ts}', '${SESSION_FORMAT}')`;
}

function literalId(id: string): string {
  if (!ID.test(id)) throw new ConnectorError('invalid_response', `"${id.slice(0, 40)}" is not a NetSuite internal id`);
  return id;
}

const where = (...conditions: string[]): string => {
  const kept = conditions.filter(Boolean);
  return kept.length > 0 ? ` WHERE ${kept.join(' AND ')}` : '';
};

/** Records changed at or after `start` (all records when null), in change order. */
export function changedSinceQuery(spec: DiscoverySpec, start: string | null): string {
  return `SELECT id, TO_CHAR(lastmodifieddate, '${SESSION_FORMAT}') AS lastmodified FROM ${spec.table}${where(spec.filter, start ? `lastmodifieddate >= ${literalTs(start)}` : '')} ORDER BY lastmodifieddate, id`;
}

/**
 * Records after a position (keyset paging). Each page is its own query from offset 0: offset
 * paging would skip a record whenever one already read changes (and moves to the end), and it
 * could not go past NetSuite's 100,000-row window.
 */
export function changedAfterQuery(spec: DiscoverySpec, after: Position): string {
  const ts = literalTs(after.ts);
  return `SELECT id, TO_CHAR(lastmodifieddate, '${SESSION_FORMAT}') AS lastmodified FROM ${spec.table}${where(spec.filter, `(lastmodifieddate > ${ts} OR (lastmodifieddate = ${ts} AND id > ${literalId(after.id)}))`)} ORDER BY lastmodifieddate, id`;
}

const deletedColumns = `SELECT recordid, TO_CHAR(deleteddate, '${SESSION_FORMAT}') AS deleted FROM deletedrecord`;

export function deletedSinceQuery(spec: DiscoverySpec, start: string | null): string {
  return `${deletedColumns}${where(`type = '${spec.deletedType}'`, start ? `deleteddate >= ${literalTs(start)}` : '')} ORDER BY deleteddate, recordid`;
}

export function deletedAfterQuery(spec: DiscoverySpec, after: Position): string {
  const ts = literalTs(after.ts);
  return `${deletedColumns}${where(`type = '${spec.deletedType}'`, `(deleteddate > ${ts} OR (deleteddate = ${ts} AND recordid > ${literalId(after.id)}))`)} ORDER BY deleteddate, recordid`;
}

/** The most recent deletion of the type: where a full pass starts following the deleted-record log. */
export function latestDeletionQuery(spec: DiscoverySpec): string {
  return `${deletedColumns}${where(`type = '${spec.deletedType}'`)} ORDER BY deleteddate DESC, recordid DESC`;
}

/** A SuiteQL row → its position; a row without id or time is NetSuite's fault: invalid_response. */
export function positionOf(row: Record<string, unknown>, idColumn: string, tsColumn: string): Position {
  const id = row[idColumn];
  const ts = row[tsColumn];
  if (typeof id !== 'string' || !ID.test(id) || typeof ts !== 'string' || !SESSION_TS.test(ts)) {
    throw new ConnectorError('invalid_response', `a SuiteQL row lacks a usable ${idColumn}/${tsColumn}: ${JSON.stringify(row).slice(0, 200)}`);
  }
  return { id, ts };
}

/** Session-clock text ↔ the ISO form the SDK's cursors compute with (the clock's own wall time, written with Z). */
export function sessionToIso(ts: string): string {
  return `${ts.replace(' ', 'T')}Z`;
}

export function isoToSession(iso: string): string {
  const instant = parseTimestamp(iso);
  if (!instant) throw new ConnectorError('invalid_response', `the cursor time "${iso.slice(0, 40)}" is not a timestamp`);
  return new Date(instant.seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
