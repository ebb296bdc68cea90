import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';

describe('ConnectorError.toJSON', () => {
  it('carries Retry-After with every other field the error was given', () => {
    const error = new ConnectorError('rate_limited', 'the source asked to slow down', {
      status: 429,
      retryAfterSeconds: 30,
      sourceCode: 'SSS_REQUEST_LIMIT_EXCEEDED',
      sourceMessage: 'Request limit exceeded',
      fieldErrors: [{ path: 'memo', message: 'too long' }],
      details: { window: 'minute' },
    });
    expect(error.toJSON()).toEqual({
      kind: 'rate_limited',
      message: 'the source asked to slow down',
      retriable: true,
      status: 429,
      retry_after_seconds: 30,
      source_code: 'SSS_REQUEST_LIMIT_EXCEEDED',
      source_message: 'Request limit exceeded',
      field_errors: [{ path: 'memo', message: 'too long' }],
      details: { window: 'minute' },
    });
  });

  it('keeps a fractional or zero Retry-After, and leaves the key out when the source gave none', () => {
    expect(new ConnectorError('unavailable', 'down', { retryAfterSeconds: 0 }).toJSON()).toMatchObject({ retry_after_seconds: 0 });
    expect(new ConnectorError('unavailable', 'down', { retryAfterSeconds: 1.5 }).toJSON()).toMatchObject({ retry_after_seconds: 1.5 });
    expect(new ConnectorError('unavailable', 'down').toJSON()).not.toHaveProperty('retry_after_seconds');
  });

  it('survives JSON.stringify with the same fields', () => {
    const error = new ConnectorError('rate_limited', 'slow down', { status: 429, retryAfterSeconds: 7 });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ kind: 'rate_limited', message: 'slow down', retriable: true, status: 429, retry_after_seconds: 7 });
  });
});
