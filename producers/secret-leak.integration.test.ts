import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger.js';
import { TestSource } from '../test/test-connector/source-server.js';
import { startRuntime, TopicTail, type Runtime } from '../test/test-connector/runtime-harness.js';
import { waitFor } from '../test/support/wait-for.js';

// Credentials never reach logs, events, errors, state, cursors or raw records, and the
// connections topic holds them only as ciphertext. The source here is careless on purpose: it
// echoes the refresh token in its error bodies, so only the runtime's redaction stands between
// that token and the events.
describe('secrets', () => {
  let source: TestSource;
  let runtime: Runtime;
  let tail: TopicTail;
  const logLines: string[] = [];

  afterAll(async () => {
    await tail?.stop();
    await runtime?.stop();
    await source?.stop();
  });

  it('never appear outside the sealed credentials', async () => {
    const logs = new PassThrough();
    logs.on('data', (chunk: Buffer) => logLines.push(chunk.toString()));
    const logger = createLogger({ level: 'debug', destination: logs });
    source = new TestSource({ records: { vendors: 30, work_orders: 5, assets: 5 } });
    source.echoTokenInErrors = true;
    await source.start();
    runtime = await startRuntime({ logger });
    const { topics, service } = runtime;
    tail = new TopicTail(runtime.kafka, [
      topics.connections,
      topics.connectionState,
      topics.cursors,
      topics.events,
      topics.raw('vendors'),
      topics.raw('work_orders'),
      topics.raw('assets'),
    ]);
    await tail.start();
    const outputs: unknown[] = [];
    const config = { baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken, pageSize: 10 };
    const created = await service.create({ system: 'millrace_test', name: 'secret keeper', config });
    outputs.push(created);
    const id = created.id;
    const events = (type: string) => tail.events(id).filter((event) => event.type === type);
    await waitFor(() => events('sync.completed').length === 3, { description: 'first sync (refresh and rotation)' });

    // A refresh after expiry, a failed page, a rejected draft and finally a revocation whose
    // error body carries the refresh token.
    source.expireAccessTokens();
    source.malformOnce.add('vendors:30');
    source.put('vendors', 've-x', 'changed');
    await service.syncNow(id, 'vendors');
    await waitFor(() => events('sync.failed').length === 1, { description: 'the malformed page' });
    outputs.push(await service.testConnection({ system: 'millrace_test', config: { ...config, refreshToken: 'rt-draft-not-valid' } }));
    source.revoke();
    await service.syncNow(id);
    await waitFor(() => events('connection.auth_required').length === 1, { description: 'auth_required' });
    outputs.push(await service.testConnection(id));
    outputs.push(service.get(id), service.list(), await service.syncRuns(id));
    await tail.caughtUp();

    const secrets = [source.clientSecret, ...source.issuedTokens];
    expect(secrets.length).toBeGreaterThan(4);
    const haystacks: [string, string][] = [
      ['logs', logLines.join('')],
      ['service outputs', JSON.stringify(outputs)],
      ...tail.messages.map((message): [string, string] => [`${message.topic}@${message.offset}`, `${message.key} ${message.value?.toString('latin1') ?? ''} ${JSON.stringify(message.headers)}`]),
    ];
    for (const [where, text] of haystacks) {
      for (const secret of secrets) expect(text.includes(secret), `${where} contains a secret`).toBe(false);
    }
    // The echoed token was there to leak, and was redacted.
    const authEvent = events('connection.auth_required')[0]!;
    expect(JSON.stringify(authEvent.data)).toContain('[redacted]');
    // The connections topic holds the secrets sealed, not left out.
    const stored = tail.messages.filter((message) => message.topic === topics.connections).map((message) => JSON.parse(message.value!.toString()));
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const record of stored) {
      expect(Object.keys(record.config).sort()).toEqual(['baseUrl', 'clientId', 'pageSize']);
      expect(record.credentials.ciphertext.length).toBeGreaterThan(40);
    }
    // The logs that were searched do cover the failures.
    expect(logLines.join('')).toContain('sync failed');
    expect(logLines.join('')).toContain('invalid_response');
  });
});
