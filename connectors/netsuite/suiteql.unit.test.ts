import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../sdk/errors.js';
import { changedAfterQuery, changedSinceQuery, deletedSinceQuery, isoToSession, positionOf, PURCHASE_ORDERS, VENDORS } from './suiteql.js';

describe('SuiteQL query builders', () => {
  it('build the fixed-shape discovery queries', () => {
    expect(changedSinceQuery(PURCHASE_ORDERS, null)).toBe("SELECT id, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lastmodified FROM transaction WHERE type = 'PurchOrd' ORDER BY lastmodifieddate, id");
    expect(changedSinceQuery(VENDORS, '2025-12-19 07:13:00')).toBe("SELECT id, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lastmodified FROM vendor WHERE lastmodifieddate >= TO_TIMESTAMP('2025-12-19 07:13:00', 'YYYY-MM-DD HH24:MI:SS') ORDER BY lastmodifieddate, id");
    expect(changedAfterQuery(PURCHASE_ORDERS, { ts: '2025-12-19 07:23:00', id: '108' })).toContain("(lastmodifieddate > TO_TIMESTAMP('2025-12-19 07:23:00', 'YYYY-MM-DD HH24:MI:SS') OR (lastmodifieddate = TO_TIMESTAMP('2025-12-19 07:23:00', 'YYYY-MM-DD HH24:MI:SS') AND id > 108))");
    expect(deletedSinceQuery(PURCHASE_ORDERS, null)).toBe("SELECT recordid, TO_CHAR(deleteddate, 'YYYY-MM-DD HH24:MI:SS') AS deleted FROM deletedrecord WHERE type = 'purchaseorder' ORDER BY deleteddate, recordid");
  });

  it('refuse values that are not a SuiteQL datetime or an internal id (a tampered cursor cannot inject SQL)', () => {
    expect(() => changedSinceQuery(VENDORS, "2025-12-19 07:13:00') OR 1=1 --")).toThrow(ConnectorError);
    expect(() => changedAfterQuery(VENDORS, { ts: '2025-12-19 07:13:00', id: '1 OR 1=1' })).toThrow(/not a NetSuite internal id/);
  });

  it('reads row positions and converts the SDK cursor time back to session text', () => {
    expect(positionOf({ links: [], id: '107', lastmodified: '2025-12-19 07:23:00' }, 'id', 'lastmodified')).toEqual({ id: '107', ts: '2025-12-19 07:23:00' });
    expect(() => positionOf({ id: '107', lastmodified: '12/19/2025' }, 'id', 'lastmodified')).toThrow(/lacks a usable id\/lastmodified/);
    expect(isoToSession('2025-12-19T07:13:00Z')).toBe('2025-12-19 07:13:00');
  });
});
