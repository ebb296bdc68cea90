import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../platform/logger.js';
import { assertConnectorStreams, assertStreamOutput, getPath, StreamContractError } from './contract.js';
import { advanceTimestampKey, type TimestampKeyCursor } from './cursors.js';
import { createHttpClient, type HttpClient } from './http.js';
import { sendJson, startLoopbackServer } from './testing/loopback-server.js';
import type { ConnectorDefinition, StreamDefinition } from './types.js';

interface SapPo {
  PurchaseOrder?: string;
  LastChangeDateTime?: string;
  to_PurchaseOrderItem?: { results: { PurchaseOrderItem: string }[] };
}

function purchaseOrders(overrides: Partial<StreamDefinition<HttpClient, SapPo, TimestampKeyCursor>> = {}): StreamDefinition<HttpClient, SapPo, TimestampKeyCursor> {
  return {
    name: 'purchase_orders',
    entity: 'purchase_order',
    primaryKey: 'PurchaseOrder',
    cursorField: 'LastChangeDateTime',
    syncMode: 'incremental',
    defaultIntervalSeconds: 300,
    remoteId: (raw) => raw.PurchaseOrder!,
    nextCursor: (cursor, raw) => advanceTimestampKey(cursor, raw.LastChangeDateTime!, raw.PurchaseOrder!),
    map: () => {
      throw new Error('not used by the contract check');
    },
    async *read(client) {
      const body = await client.json({ path: 'A_PurchaseOrder', schema: z.object({ d: z.object({ results: z.array(z.custom<SapPo>()) }) }) });
      yield { records: body.d.results, cursor: null };
    },
    ...overrides,
  };
}

const good: SapPo[] = [
  { PurchaseOrder: '4500000001', LastChangeDateTime: '/Date(1700006400000+0000)/', to_PurchaseOrderItem: { results: [{ PurchaseOrderItem: '10' }] } },
  { PurchaseOrder: '4500000002', LastChangeDateTime: '/Date(1700006400001+0000)/', to_PurchaseOrderItem: { results: [] } },
];

function contractError(run: () => void): StreamContractError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StreamContractError);
    return error as StreamContractError;
  }
  throw new Error('expected a StreamContractError');
}

describe('assertStreamOutput', () => {
  it('accepts records that hold the key and the cursor field', () => {
    expect(() => assertStreamOutput(purchaseOrders(), good)).not.toThrow();
  });

  it('names the stream, the record and the missing key field, listing field names but no values', () => {
    const error = contractError(() => assertStreamOutput(purchaseOrders({ primaryKey: 'PurchaseOrderID' }), good));
    expect(error.stream).toBe('purchase_orders');
    expect(error.field).toBe('PurchaseOrderID');
    expect(error.message).toContain('stream "purchase_orders": record 0 has no primary key field "PurchaseOrderID"');
    expect(error.message).toContain('fields: PurchaseOrder, LastChangeDateTime, to_PurchaseOrderItem');
    expect(error.message).not.toContain('4500000001');
  });

  it('names a missing cursor field, also when only a later record lacks it', () => {
    const error = contractError(() => assertStreamOutput(purchaseOrders(), [...good, { PurchaseOrder: '4500000003', LastChangeDateTime: '' }]));
    expect(error.field).toBe('LastChangeDateTime');
    expect(error.message).toContain('record 2 has no cursor field "LastChangeDateTime"');
  });

  it('refuses a null cursor unless the stream declares cursorNullable, and says how to declare it', () => {
    const neverChanged = [...good, { PurchaseOrder: '4500000003', LastChangeDateTime: null as unknown as string }];
    const error = contractError(() => assertStreamOutput(purchaseOrders(), neverChanged));
    expect(error.field).toBe('LastChangeDateTime');
    expect(error.message).toContain('record 2 has a null cursor field "LastChangeDateTime"');
    expect(error.message).toContain('cursorNullable: true');
  });

  it('accepts a null cursor on a cursorNullable stream, but still refuses an absent or empty field', () => {
    const nullable = purchaseOrders({
      cursorNullable: true,
      nextCursor: (cursor, raw) => (raw.LastChangeDateTime === null ? (cursor ?? { since: null, key: null }) : advanceTimestampKey(cursor, raw.LastChangeDateTime!, raw.PurchaseOrder!)),
    });
    const neverChanged = { PurchaseOrder: '4500000003', LastChangeDateTime: null as unknown as string };
    expect(() => assertStreamOutput(nullable, [neverChanged, ...good])).not.toThrow();
    const absent = contractError(() => assertStreamOutput(nullable, [...good, { PurchaseOrder: '4500000004' }]));
    expect(absent.message).toContain('record 2 has no cursor field "LastChangeDateTime"');
    expect(absent.message).toContain('null but not absent');
    expect(contractError(() => assertStreamOutput(nullable, [{ PurchaseOrder: '4500000005', LastChangeDateTime: '' }])).message).toContain('record 0 has no cursor field');
    // The other checks still run on a nullable stream: a key-less record and a nextCursor that cannot take null.
    expect(contractError(() => assertStreamOutput(nullable, [{ LastChangeDateTime: null as unknown as string }])).field).toBe('PurchaseOrder');
    const strict = purchaseOrders({ cursorNullable: true });
    expect(contractError(() => assertStreamOutput(strict, [neverChanged])).message).toContain('nextCursor() threw');
  });

  it('reads dot paths with array indexes', () => {
    expect(getPath(good[0], 'to_PurchaseOrderItem.results[0].PurchaseOrderItem')).toBe('10');
    expect(getPath(good[0], 'to_PurchaseOrderItem.results.0.PurchaseOrderItem')).toBe('10');
    expect(getPath(good[1], 'to_PurchaseOrderItem.results[0].PurchaseOrderItem')).toBeUndefined();
    const error = contractError(() => assertStreamOutput(purchaseOrders({ cursorField: 'to_PurchaseOrderItem.results[0].PurchaseOrderItem' }), good));
    expect(error.message).toContain('record 1 has no cursor field "to_PurchaseOrderItem.results[0].PurchaseOrderItem"');
  });

  it('fails on no records, an incremental stream without cursor, a bad remoteId and a throwing nextCursor', () => {
    expect(contractError(() => assertStreamOutput(purchaseOrders(), [])).message).toContain('returned no records to check');
    expect(contractError(() => assertStreamOutput(purchaseOrders({ cursorField: null }), good)).message).toContain('is incremental but declares no cursorField');
    expect(contractError(() => assertStreamOutput(purchaseOrders({ remoteId: () => '' }), good)).message).toContain('remoteId() returned ""');
    const broken = purchaseOrders({ nextCursor: (cursor, raw) => advanceTimestampKey(cursor, `${raw.LastChangeDateTime}x`, raw.PurchaseOrder!) });
    expect(contractError(() => assertStreamOutput(broken, good)).message).toContain('nextCursor() threw');
  });
});

describe('assertConnectorStreams', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it("reads each stream's first page from a real server and checks it", async () => {
    const server = await startLoopbackServer((request, response) =>
      sendJson(response, 200, { d: { results: request.url.includes('A_PurchaseOrder') ? good : [{ Supplier: '17300001' }] } }),
    );
    const http = createHttpClient({ baseUrl: `${server.origin}/sap/opu/odata/sap/` });
    cleanups.push(() => server.close(), () => http.close());
    const connector: ConnectorDefinition<unknown, HttpClient> = {
      id: 'sap_s4hana_test',
      displayName: 'SAP (test)',
      authKinds: ['basic'],
      configSchema: z.unknown(),
      connect: () => http,
      testConnection: async () => {},
      streams: [purchaseOrders()],
    };
    const logger = createLogger({ level: 'silent' });
    await expect(assertConnectorStreams(connector, http, { logger })).resolves.toBeUndefined();

    const vendors = purchaseOrders({
      name: 'vendors',
      entity: 'vendor',
      primaryKey: 'BusinessPartner',
      cursorField: null,
      syncMode: 'full_refresh',
      async *read(client) {
        const body = await client.json<{ d: { results: SapPo[] } }>({ path: 'A_Supplier' });
        yield { records: body.d.results, cursor: null };
      },
    });
    await expect(assertConnectorStreams({ ...connector, streams: [purchaseOrders(), vendors] }, http, { logger })).rejects.toThrow(
      'stream "vendors": record 0 has no primary key field "BusinessPartner" (fields: Supplier)',
    );
  });
});
