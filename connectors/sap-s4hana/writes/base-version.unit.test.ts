import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { baseVersionOf, conflictError, ifMatch, isStale, versionOf } from './base-version.js';

const logger = createLogger({ level: 'silent' });

describe('the version an SAP update is based on', () => {
  it('reads LastChangeDateTime and the ETag of the stored raw record, else remote_updated_at', () => {
    const raw = { __metadata: { etag: 'W/"datetimeoffset\'2024-05-02T10%3A00%3A00.1234567Z\'"' }, LastChangeDateTime: '/Date(1714644000123+0000)/' };
    expect(baseVersionOf({ logger, baseVersion: { remoteData: raw, remoteUpdatedAt: '2020-01-01T00:00:00Z' } })).toEqual({ timestamp: '2024-05-02T10:00:00.123Z', etag: raw.__metadata.etag });
    expect(baseVersionOf({ logger, baseVersion: { remoteData: { PurchaseOrder: '1' }, remoteUpdatedAt: '2024-05-02T10:00:00.123456Z' } })).toEqual({ timestamp: '2024-05-02T10:00:00.123Z', etag: null });
    // A record SAP never changed: its stamp is null, and that is the version.
    expect(baseVersionOf({ logger, baseVersion: { remoteData: { LastChangeDateTime: null }, remoteUpdatedAt: '2024-05-02T10:00:00Z' } })).toEqual({ timestamp: null, etag: null });
    expect(baseVersionOf({ logger })).toBeNull();
  });

  it('is stale when the ETags differ, or without ETags when the change times differ', () => {
    const at = (timestamp: string | null, etag: string | null = null) => ({ timestamp, etag });
    expect(isStale(at('2024-05-02T10:00:00.123Z'), versionOf({ LastChangeDateTime: '/Date(1714644000123+0000)/' }))).toBe(false);
    expect(isStale(at('2024-05-02T10:00:00.123Z'), versionOf({ LastChangeDateTime: '/Date(1714644000124+0000)/' }))).toBe(true);
    expect(isStale(at(null), versionOf({ LastChangeDateTime: null }))).toBe(false);
    expect(isStale(at(null), versionOf({ LastChangeDateTime: '/Date(1714644000124)/' }))).toBe(true);
    expect(isStale(at('2024-05-02T10:00:00.123Z', 'W/"a"'), versionOf({ __metadata: { etag: 'W/"b"' }, LastChangeDateTime: '/Date(1714644000123+0000)/' }))).toBe(true);
    expect(isStale(at('2020-01-01T00:00:00Z', 'W/"a"'), versionOf({ __metadata: { etag: 'W/"a"' } }))).toBe(false);
  });

  it('sends If-Match only for entities SAP gives an ETag, and names both versions in a conflict', () => {
    expect(ifMatch({ timestamp: null, etag: 'W/"a"' })).toEqual({ 'if-match': 'W/"a"' });
    expect(ifMatch({ timestamp: '2024-05-02T10:00:00Z', etag: null })).toEqual({});
    const error = conflictError('purchase order 4500000001', { timestamp: '2024-05-02T10:00:00.000Z', etag: null }, { timestamp: '2024-05-03T08:00:00.000Z', etag: null });
    expect(error).toMatchObject({ kind: 'conflict', status: 409, details: { your_version_timestamp: '2024-05-02T10:00:00.000Z', current_version_timestamp: '2024-05-03T08:00:00.000Z' } });
    expect(error.message).toContain('read it again');
  });
});
