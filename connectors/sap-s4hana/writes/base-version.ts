import { ConnectorError } from '../../sdk/errors.js';
import type { WriteContext } from '../../sdk/types.js';
import type { ODataRecord } from '../odata/page.js';
import { ODataValueError, parseSapDate } from '../odata/values.js';

/**
 * Optimistic concurrency for SAP updates, based on the version the caller's change was made
 * against (WriteContext.baseVersion: Millrace's last captured image of the record).
 *
 * SAP marks an entity's version in two ways. An entity type with a concurrency token carries
 * `__metadata.etag`, and SAP Gateway then insists on `If-Match` for changes (412 when stale, 428
 * when missing). A_PurchaseOrder of API_PURCHASEORDER_PROCESS_SRV has no token (its EDMX
 * declares no ConcurrencyMode), so its version is `LastChangeDateTime`: the connector reads the
 * order, compares that stamp with the base's, and refuses a difference before writing. The read
 * and the PATCH are two calls, so a change landing between them is not caught for entities
 * without an ETag; with one, `If-Match` closes that window on SAP's side.
 */
export interface SapVersion {
  /** ISO UTC of `LastChangeDateTime`, or null when SAP has none (a record never changed). */
  timestamp: string | null;
  /** `__metadata.etag` as SAP sent it, or null when the entity type has none. */
  etag: string | null;
}

function isoOf(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return new Date(parseSapDate(value)).toISOString();
  } catch (error) {
    if (!(error instanceof ODataValueError)) throw error;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
}

function etagOf(record: unknown): string | null {
  const etag = (record as { __metadata?: { etag?: unknown } } | null | undefined)?.__metadata?.etag;
  return typeof etag === 'string' && etag !== '' ? etag : null;
}

/** The version of a record as SAP answered it. */
export function versionOf(record: ODataRecord): SapVersion {
  return { timestamp: isoOf(record.LastChangeDateTime), etag: etagOf(record) };
}

/**
 * The version the caller based the change on: the stored raw record's own stamp and ETag when
 * Millrace kept them, else the unified `remote_updated_at`. Null without a base version (the
 * source's current version is then the base).
 */
export function baseVersionOf(ctx: WriteContext): SapVersion | null {
  const base = ctx.baseVersion;
  if (!base) return null;
  const raw = base.remoteData as ODataRecord | null | undefined;
  const rawStamp = raw && typeof raw === 'object' && 'LastChangeDateTime' in raw ? isoOf(raw.LastChangeDateTime) : undefined;
  const timestamp = rawStamp !== undefined ? rawStamp : isoOf(base.remoteUpdatedAt ?? null);
  return { timestamp, etag: etagOf(raw) };
}

function sameInstant(left: string | null, right: string | null): boolean {
  if (left === null || right === null) return left === right;
  return Date.parse(left) === Date.parse(right);
}

/** True when `current` is not the version `base` describes. */
export function isStale(base: SapVersion, current: SapVersion): boolean {
  if (base.etag !== null && current.etag !== null) return base.etag !== current.etag;
  return !sameInstant(base.timestamp, current.timestamp);
}

/** The conflict the API answers with 409, both versions in `details` (the field names Business Central's connector uses too). */
export function conflictError(what: string, base: SapVersion, current: SapVersion | null, cause?: unknown): ConnectorError {
  const now = current?.timestamp ?? null;
  return new ConnectorError('conflict', `${what} was changed in SAP (at ${now ?? 'an unknown time'}) after the version this change is based on (${base.timestamp ?? 'never changed'}); read it again and reapply the change`, {
    status: 409,
    details: {
      your_version_timestamp: base.timestamp,
      current_version_timestamp: now,
      ...(base.etag !== null || current?.etag ? { your_etag: base.etag, current_etag: current?.etag ?? null } : {}),
    },
    ...(cause ? { cause } : {}),
  });
}

/** Headers for a change of an entity read as `current`: `If-Match` with its ETag when SAP gave one. */
export function ifMatch(current: SapVersion): Record<string, string> {
  return current.etag ? { 'if-match': current.etag } : {};
}
