import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger.js';
import { ConnectionService } from './connection-service.js';
import { RuntimeError } from './errors.js';
import { keyRing } from './master-keys.js';
import { TestSource } from '../test/test-connector/source-server.js';
import { startRuntime, TopicTail, type Runtime } from '../test/test-connector/runtime-harness.js';
import { testConnectorLookup } from '../test/test-connector/test-connector.js';
import { testKafka } from '../test/support/kafka.js';

// The API-facing connection service on the real broker: validation that writes nothing,
// read-your-writes, write-only credentials, owner scoping, rebuilding from the topic in another
// instance, master-key rotation, and delete with purge.
describe('connection service', () => {
  let source: TestSource;
  let runtime: Runtime;
  const others: ConnectionService[] = [];
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    source = new TestSource({ records: { vendors: 5, work_orders: 0, assets: 0 } });
    await source.start();
    runtime = await startRuntime({ workers: 0, ring: keyRing(masterKey) });
  });

  afterAll(async () => {
    for (const service of others) await service.stop().catch(() => {});
    await runtime?.stop();
    await source?.stop();
  });

  const config = () => ({ baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken });

  async function otherService(ring = keyRing(masterKey)): Promise<ConnectionService> {
    const service = new ConnectionService({ kafka: testKafka(), prefix: runtime.prefix, partitions: 3, replicationFactor: 1, keyRing: ring, logger: createLogger({ level: 'silent' }), connectorLookup: testConnectorLookup });
    await service.start();
    others.push(service);
    return service;
  }

  async function rejection(promise: Promise<unknown>): Promise<RuntimeError> {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuntimeError);
    return error as RuntimeError;
  }

  it('refuses bad input with a clear error and writes nothing', async () => {
    const { service } = runtime;
    expect((await rejection(service.create({ system: 'sap_r2', name: 'x', config: config() }))).code).toBe('connector_unknown');
    const invalid = await rejection(service.create({ system: 'millrace_test', name: 'x', config: { ...config(), clientSecret: '', baseUrl: 'not a url' } }));
    expect(invalid.code).toBe('invalid_config');
    expect(invalid.status).toBe(400);
    expect(invalid.message).toContain('baseUrl');
    expect(invalid.message).toContain('clientSecret');
    expect(invalid.message).not.toContain(source.currentRefreshToken);
    expect((await rejection(service.create({ system: 'millrace_test', name: 'x', config: config(), schedule: { invoices: 60 } }))).code).toBe('stream_unknown');
    expect((await rejection(service.create({ system: 'millrace_test', name: 'x', config: config(), schedule: { vendors: 0 } }))).code).toBe('invalid_schedule');
    expect(service.list()).toEqual([]);
  });

  it('shows a write at once, never returns a secret, and scopes reads to the owner', async () => {
    const { service } = runtime;
    const created = await service.create({ system: 'millrace_test', name: 'Plant A', owner: 'tenant-a', config: config(), schedule: { vendors: 300 } });
    await service.create({ system: 'millrace_test', name: 'Plant B', owner: 'tenant-b', config: config() });
    expect(service.get(created.id)).toMatchObject({ name: 'Plant A', owner: 'tenant-a', status: 'online', revision: 1, schedule: { vendors: 300 } });
    expect(created.config).toEqual({ baseUrl: source.url, clientId: source.clientId, pageSize: 50 });
    expect(created.credentials).toEqual({ fields: ['clientSecret', 'refreshToken'], set: true });
    expect(created.streams.map((stream) => [stream.name, stream.interval_seconds])).toEqual([['vendors', 300], ['work_orders', 3600], ['assets', 3600]]);
    const everything = JSON.stringify(service.list());
    expect(everything).not.toContain(source.clientSecret);
    expect(everything).not.toContain(source.currentRefreshToken);
    expect(service.list({ owner: 'tenant-a' }).map((connection) => connection.name)).toEqual(['Plant A']);
    expect(() => service.get(created.id, { owner: 'tenant-b' })).toThrowError(expect.objectContaining({ code: 'connection_not_found' }));
  });

  it('updates config and credentials as new revisions, and keeps the record when an update is invalid', async () => {
    const { service } = runtime;
    const [first] = service.list({ owner: 'tenant-a' });
    const updated = await service.updateConfig(first!.id, { config: { pageSize: 5 }, schedule: { vendors: 60, assets: 86_400 } });
    expect(updated).toMatchObject({ revision: 2, config: { pageSize: 5 }, schedule: { vendors: 60, assets: 86_400 } });
    expect((await rejection(service.updateConfig(first!.id, { config: { pageSize: -1 } }))).code).toBe('invalid_config');
    expect((await rejection(service.updateCredentials(first!.id, { clientSecret: '' }))).code).toBe('invalid_config');
    expect(service.get(first!.id).revision).toBe(2);
    const recredentialed = await service.updateCredentials(first!.id, { refreshToken: source.currentRefreshToken });
    expect(recredentialed.revision).toBe(3);
    expect((await rejection(service.syncNow(first!.id, 'invoices'))).code).toBe('stream_unknown');
    const requested = await service.fullResync(first!.id, 'vendors');
    expect(requested.streams.find((stream) => stream.name === 'vendors')!.pending_request).toMatchObject({ full: true });
    // "sync now" right after keeps the pending full resync full.
    const both = await service.syncNow(first!.id);
    expect(both.streams.find((stream) => stream.name === 'vendors')!.pending_request).toMatchObject({ full: true });
    expect(both.streams.find((stream) => stream.name === 'assets')!.pending_request).toMatchObject({ full: false });
  });

  it('is rebuilt from the topic by another instance, which can use the stored credentials', async () => {
    const other = await otherService();
    expect(other.list().map((connection) => connection.name).sort()).toEqual(['Plant A', 'Plant B']);
    const [first] = other.list({ owner: 'tenant-a' });
    await expect(other.testConnection(first!.id)).resolves.toEqual({ ok: true });
    await expect(other.testConnection({ system: 'millrace_test', config: { ...config(), refreshToken: 'rt-wrong' } })).resolves.toMatchObject({ ok: false, error: { code: 'auth' } });
  });

  it('rotates the master key: the old key decrypts until every record is resealed under the new one', async () => {
    const newKey = randomBytes(32);
    const rotating = await otherService(keyRing(newKey, [masterKey]));
    expect(await rotating.rotateCredentials()).toBe(2);
    expect(await rotating.rotateCredentials()).toBe(0);
    const onlyNew = await otherService(keyRing(newKey));
    const [first] = onlyNew.list({ owner: 'tenant-a' });
    await expect(onlyNew.testConnection(first!.id)).resolves.toEqual({ ok: true });
    const onlyOld = await otherService(keyRing(masterKey));
    const refused = await rejection(onlyOld.testConnection(first!.id));
    expect(refused.code).toBe('credentials_undecryptable');
    expect(refused.message).toContain('MILLRACE_PREVIOUS_MASTER_KEYS');
  });

  it('deletes a connection; purge also clears its state and cursors', async () => {
    const { service, topics } = runtime;
    const [first] = service.list({ owner: 'tenant-a' });
    const tail = new TopicTail(runtime.kafka, [topics.connectionState, topics.cursors, topics.events]);
    await tail.start();
    try {
      await service.delete(first!.id, { purge: true });
      expect(() => service.get(first!.id)).toThrowError(expect.objectContaining({ code: 'connection_not_found' }));
      expect(service.list().map((connection) => connection.name)).toEqual(['Plant B']);
      await tail.caughtUp();
      const tombstones = tail.messages.filter((message) => message.value === null && message.key.startsWith(first!.id)).map((message) => `${message.topic.split('.').at(-1)} ${message.key}`);
      expect(tombstones.sort()).toEqual([
        `connection-state ${first!.id}`,
        `cursors ${first!.id}:assets`,
        `cursors ${first!.id}:vendors`,
        `cursors ${first!.id}:work_orders`,
      ]);
      expect(tail.events(first!.id).map((event) => event.type)).toContain('connection.deleted');
    } finally {
      await tail.stop();
    }
  });
});
