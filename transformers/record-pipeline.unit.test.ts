import type { IHeaders } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import { rawHeaders, type RawRecordMeta } from '../platform/raw-record.js';
import { recordId } from '../schemas/index.js';
import type { EntityMapping } from './field-mapping-config.js';
import { transformRecord, type Outcome, type PipelineContext } from './record-pipeline.js';
import { plantConnector, plantConnectorLookup } from './testing/plant-connector.js';

const CONNECTION = 'conn-plant-1';
const VERSION = 1_714_557_605_000_123n;

function headers(overrides: Partial<RawRecordMeta> = {}): IHeaders {
  return rawHeaders({ connectionId: CONNECTION, sourceSystem: 'millrace_plant', entity: 'vendor', stream: 'vendors', op: 'upsert', syncRunId: 'run-1', capturedAtMicros: VERSION, ...overrides });
}

const goodVendor = { VendorId: 'V-1', Name: 'Rhein Supply', Currency: 'EUR', Created: '/Date(1714557605000)/', YY1_Rating: 'A', YY1_Score: 5 };

function run(body: unknown, options: { key?: string | null; headers?: IHeaders; entity?: 'vendor' | 'purchase_order'; mapping?: { mapping?: EntityMapping; error?: string }; lookup?: PipelineContext['connectorLookup'] } = {}): Outcome {
  const value = body === null ? null : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const key = options.key === undefined ? `${CONNECTION}:V-1` : options.key;
  return transformRecord(
    { key: key === null ? null : Buffer.from(key), value, headers: options.headers ?? headers() },
    { entity: options.entity ?? 'vendor', connectorLookup: options.lookup ?? plantConnectorLookup, mappingFor: () => options.mapping ?? {} },
  );
}

function deadLetter(outcome: Outcome) {
  expect(outcome.kind).toBe('dead');
  return outcome.kind === 'dead' ? outcome.letter : null;
}

describe('transforming one raw record', () => {
  it('maps, wraps in the envelope and validates a good record', () => {
    const outcome = run(goodVendor);
    expect(outcome.kind).toBe('upsert');
    if (outcome.kind !== 'upsert') return;
    expect(outcome.record).toMatchObject({
      id: recordId(CONNECTION, 'vendor', 'V-1'),
      connection_id: CONNECTION,
      source_system: 'millrace_plant',
      remote_id: 'V-1',
      name: 'Rhein Supply',
      status: 'active',
      remote_created_at: '2024-05-01T10:00:05.000Z',
      custom_fields: { YY1_Rating: 'A', YY1_Score: '5' },
      remote_data: JSON.stringify(goodVendor),
      synced_at: '2024-05-01T10:00:05.000Z',
      version: VERSION.toString(),
      addresses: [],
      notes: null,
    });
    expect(Object.keys(outcome.record).at(-1)).toBe('version');
    expect(outcome.hashes.length).toBeGreaterThan(10);
  });

  it('dead-letters a mapping failure at the raw field: a garbage OData date, a missing key field', () => {
    expect(deadLetter(run({ ...goodVendor, Created: '/Date(garbage)/' }))).toEqual({
      stage: 'map',
      path: 'Created',
      reason: 'mapping failed at Created: expected an OData date like /Date(1714557605000)/, got "/Date(garbage)/"',
    });
    const { VendorId: _dropped, ...withoutId } = goodVendor;
    expect(deadLetter(run(withoutId))).toMatchObject({ stage: 'map', path: 'VendorId', reason: expect.stringMatching(/VendorId: is required/) });
  });

  it('dead-letters a wrong type at validation, naming the unified field', () => {
    expect(deadLetter(run({ ...goodVendor, Name: 42 }))).toEqual({ stage: 'validate', path: 'name', reason: expect.stringMatching(/^invalid vendor: name: /) });
    expect(deadLetter(run({ ...goodVendor, Currency: 'euro' }))).toMatchObject({ path: 'currency', reason: expect.stringMatching(/ISO 4217/) });
  });

  it('dead-letters a nested mapping failure with its path', () => {
    const order = { OrderId: 'PO-1', Supplier: 'V-1', Status: 'open', OrderDate: '/Date(1714557605000)/', Currency: 'EUR', Lines: [{ Item: 10, Quantity: 1, Price: 2 }, { Item: 20, Quantity: 'two', Price: 2 }] };
    const outcome = run(order, { key: `${CONNECTION}:PO-1`, entity: 'purchase_order', headers: headers({ entity: 'purchase_order', stream: 'purchase_orders' }) });
    expect(deadLetter(outcome)).toMatchObject({ stage: 'map', path: 'Lines[1].Quantity' });
  });

  it('dead-letters broken headers and keys at the headers stage', () => {
    const noOp = { ...(headers() as Record<string, string>) };
    delete noOp['millrace-op'];
    expect(deadLetter(run(goodVendor, { headers: noOp }))).toEqual({ stage: 'headers', path: '', reason: 'raw record header millrace-op is missing' });
    expect(deadLetter(run(goodVendor, { headers: headers({ entity: 'asset' }) }))).toMatchObject({ stage: 'headers', reason: expect.stringMatching(/says asset, but the record is on the raw topic of vendor/) });
    expect(deadLetter(run(goodVendor, { key: null }))).toMatchObject({ stage: 'headers', reason: expect.stringMatching(/is not <connection_id>:<remote_id>/) });
    expect(deadLetter(run(goodVendor, { key: 'other-conn:V-1' }))).toMatchObject({ stage: 'headers' });
  });

  it('dead-letters what no installed connector can map', () => {
    expect(deadLetter(run(goodVendor, { lookup: () => undefined }))).toMatchObject({ stage: 'map', reason: expect.stringMatching(/no connector for source system millrace_plant/) });
    expect(deadLetter(run(goodVendor, { headers: headers({ stream: 'suppliers' }) }))).toMatchObject({ stage: 'map', reason: 'connector millrace_plant has no stream suppliers' });
    expect(deadLetter(run('{"VendorId": "V-1",'))).toMatchObject({ stage: 'map', reason: expect.stringMatching(/^the raw value is not JSON/) });
    expect(deadLetter(run(null))).toMatchObject({ stage: 'map', reason: 'an upsert record without a value' });
  });

  it('refuses a mapper that sets transformer fields or a remote_id other than the key\'s', () => {
    const forging: ConnectorDefinition = { ...plantConnector, streams: [{ ...plantConnector.streams[0]!, map: () => ({ remote_id: 'V-1', version: '1' }) as never }] };
    expect(deadLetter(run(goodVendor, { lookup: () => forging }))).toMatchObject({ stage: 'validate', path: 'version' });
    expect(deadLetter(run({ ...goodVendor, VendorId: 'V-2' }))).toMatchObject({ stage: 'validate', path: 'remote_id', reason: expect.stringMatching(/the mapper gave "V-2", but the record's key says "V-1"/) });
  });

  it('applies the connection\'s field mapping, and explains a mapped value that does not fit', () => {
    const mapped = run({ ...goodVendor, Web: 'https://rhein.example' }, { mapping: { mapping: { fields: { website: 'Web' }, custom_fields: { exclude: ['YY1_Score'] } } } });
    expect(mapped).toMatchObject({ kind: 'upsert', record: { website: 'https://rhein.example', custom_fields: { YY1_Rating: 'A' } } });
    const misfit = run(goodVendor, { mapping: { mapping: { fields: { currency: 'Name' } } } });
    expect(deadLetter(misfit)).toMatchObject({ stage: 'validate', path: 'currency', reason: expect.stringMatching(/mapped from raw path Name by the connection's field mapping/) });
    expect(deadLetter(run(goodVendor, { mapping: { error: 'mapping.vendor.fields.x: nope' } }))).toMatchObject({ stage: 'map', reason: expect.stringMatching(/field mapping is invalid: mapping\.vendor/) });
  });

  it('passes deletes and the end of full passes on', () => {
    expect(run(null, { headers: headers({ op: 'delete' }) })).toMatchObject({ kind: 'delete', key: `${CONNECTION}:V-1`, remoteId: 'V-1' });
    const end = run({ pass_id: 'pass-7' }, { key: CONNECTION, headers: headers({ op: 'pass_complete' }) });
    expect(end).toMatchObject({ kind: 'pass_complete', passId: 'pass-7' });
    expect(deadLetter(run({}, { key: CONNECTION, headers: headers({ op: 'pass_complete' }) }))).toMatchObject({ stage: 'headers' });
  });
});
