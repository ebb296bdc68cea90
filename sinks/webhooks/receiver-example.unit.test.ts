import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver } from './receiver-example.js';
import { generateSigningSecret } from './secret-cipher.js';
import { signDelivery } from './signing.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the documented receiver example', () => {
  const secret = generateSigningSecret();
  const queued: unknown[] = [];
  const server = createWebhookReceiver(secret, (event) => queued.push(event));
  let url: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = async (body: string, headers: Record<string, string>) => {
    const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    await response.body.dump();
    return response.statusCode;
  };

  it('accepts a signed delivery once, however often it is repeated, and refuses a forged one', async () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'sync.completed', timestamp: new Date().toISOString(), connection_id: 'c1', data: {} });
    const headers = { ...signDelivery([secret], 'evt_1', new Date(), body) };
    expect(await post(body, headers)).toBe(204);
    expect(await post(body, headers)).toBe(204);
    expect(queued).toEqual([JSON.parse(body)]);
    expect(await post(body.replace('c1', 'c2'), headers)).toBe(400);
    expect(await post(body, { ...signDelivery([generateSigningSecret()], 'evt_2', new Date(), body) })).toBe(400);
    expect(queued).toHaveLength(1);
  });

  it('is printed verbatim in docs/webhooks.md', () => {
    const source = fs.readFileSync(path.join(here, 'receiver-example.ts'), 'utf8');
    const example = source.slice(source.indexOf('export function createWebhookReceiver'));
    const docs = fs.readFileSync(path.join(here, '..', '..', 'docs', 'webhooks.md'), 'utf8');
    expect(docs).toContain(example.trim());
  });
});
