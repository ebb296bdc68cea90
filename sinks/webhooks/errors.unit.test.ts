import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_ERRORS, WebhookError } from './errors.js';

describe('webhook error catalogue', () => {
  const docs = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'webhooks.md'), 'utf8');

  it.each(Object.entries(WEBHOOK_ERRORS))('documents %s with its status', (code, { status }) => {
    expect(docs).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it('carries code, status and retriable, and serializes without a stack', () => {
    const error = new WebhookError('webhook_store_unavailable', 'Kafka did not answer', { topic: 't' });
    expect(error).toMatchObject({ code: 'webhook_store_unavailable', status: 503, retriable: true });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 'webhook_store_unavailable', message: 'Kafka did not answer', details: { topic: 't' } });
  });
});
