import { describe, expect, it } from 'vitest';
import { ConnectorError, MappingError } from '../connectors/sdk/errors.js';
import { RecordValidationError } from '../schemas/index.js';
import { deadLetterFor, deadLetterMessage, DLQ_HEADERS } from './dead-letter.js';

describe('dead letters', () => {
  it('keep the original key, bytes and headers, and add stage, reason, path, source and time', () => {
    const value = Buffer.from('{"VendorId":"V-1"}');
    const message = deadLetterMessage(
      { topic: 'm.raw.vendors', partition: 2, offset: '41', key: Buffer.from('c1:V-1'), value, headers: { 'millrace-connection-id': 'c1' } },
      { stage: 'map', reason: 'mapping failed at Created: bad date', path: 'Created' },
      new Date('2024-05-01T10:00:00Z'),
    );
    expect(message.key).toEqual(Buffer.from('c1:V-1'));
    expect(message.value).toBe(value);
    expect(message.headers).toEqual({
      'millrace-connection-id': 'c1',
      [DLQ_HEADERS.stage]: 'map',
      [DLQ_HEADERS.reason]: 'mapping failed at Created: bad date',
      [DLQ_HEADERS.path]: 'Created',
      [DLQ_HEADERS.source]: 'm.raw.vendors/2/41',
      [DLQ_HEADERS.at]: '2024-05-01T10:00:00.000Z',
    });
  });

  it('cut very long reasons', () => {
    const message = deadLetterMessage({ topic: 't', partition: 0, offset: '0', key: null, value: null }, { stage: 'validate', reason: 'x'.repeat(5_000), path: '' }, new Date());
    expect(String(message.headers![DLQ_HEADERS.reason]).length).toBe(2_001);
  });

  it('name the field from each kind of error', () => {
    expect(deadLetterFor('map', new MappingError('Lines[2].Quantity', 'expected a number'))).toEqual({ stage: 'map', path: 'Lines[2].Quantity', reason: 'mapping failed at Lines[2].Quantity: expected a number' });
    expect(deadLetterFor('map', new ConnectorError('invalid_response', 'bad date', { fieldErrors: [{ path: 'Created', message: 'bad' }] }))).toMatchObject({ path: 'Created' });
    expect(deadLetterFor('validate', new RecordValidationError('vendor', [{ path: 'currency', message: 'must be an ISO 4217 currency code' }]))).toEqual({
      stage: 'validate',
      path: 'currency',
      reason: 'invalid vendor: currency: must be an ISO 4217 currency code',
    });
    expect(deadLetterFor('map', new TypeError("Cannot read properties of undefined (reading 'Plant')"))).toEqual({
      stage: 'map',
      path: '',
      reason: "mapping failed: TypeError: Cannot read properties of undefined (reading 'Plant')",
    });
  });
});
