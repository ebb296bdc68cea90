import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSource } from '../test/test-connector/source-server.js';
import { startRuntime, TopicTail, type Runtime } from '../test/test-connector/runtime-harness.js';
import { waitFor } from '../test/support/wait-for.js';

// Connections spread over workers by the consumer group: each connection has exactly one
// owner, and when a worker leaves, the others take its connections over and keep syncing.
describe('connection ownership across workers', () => {
  let source: TestSource;
  let runtime: Runtime;
  let tail: TopicTail;
  const ids: string[] = [];

  beforeAll(async () => {
    // Six connections share one refresh token, so the source must not rotate it.
    source = new TestSource({ records: { vendors: 20, work_orders: 0, assets: 0 }, rotateRefreshTokens: false });
    await source.start();
    runtime = await startRuntime({ workers: 2 });
    tail = new TopicTail(runtime.kafka, [runtime.topics.events]);
    await tail.start();
    for (let i = 0; i < 6; i++) await addConnection();
  });

  afterAll(async () => {
    await tail?.stop();
    await runtime?.stop();
    await source?.stop();
  });

  async function addConnection(): Promise<void> {
    const created = await runtime.service.create({
      system: 'millrace_test',
      name: `plant ${ids.length}`,
      schedule: { work_orders: 86_400, assets: 86_400 },
      config: { baseUrl: source.url, clientId: source.clientId, clientSecret: source.clientSecret, refreshToken: source.currentRefreshToken, pageSize: 10 },
    });
    ids.push(created.id);
  }

  const vendorSyncs = (id: string) => tail.events(id).filter((event) => event.type === 'sync.completed' && event.data.stream === 'vendors');

  it('gives every connection exactly one owner', async () => {
    const [first, second] = runtime.workers;
    await waitFor(() => first!.ownedConnections().length + second!.ownedConnections().length === ids.length, { description: 'all connections owned', timeoutMs: 60_000 });
    const owned = [...first!.ownedConnections(), ...second!.ownedConnections()];
    expect(owned.sort()).toEqual([...ids].sort());
    await waitFor(() => ids.every((id) => vendorSyncs(id).length === 1), { description: 'every connection synced once', timeoutMs: 60_000 });
  });

  it('moves a leaving worker\'s connections to the other one, which keeps syncing', async () => {
    const [first, second] = runtime.workers;
    // Both members must hold a share for the move to mean anything. Ids are random and the
    // topic has three partitions, so six connections all land on one worker's partitions in
    // about one run of eleven: add connections until the other worker owns one.
    while (first!.ownedConnections().length === 0 || second!.ownedConnections().length === 0) {
      expect(ids.length, 'connections created to reach both workers').toBeLessThan(30);
      await addConnection();
      await waitFor(() => first!.ownedConnections().length + second!.ownedConnections().length === ids.length, { description: 'the new connection owned', timeoutMs: 60_000 });
    }
    await waitFor(() => ids.every((id) => vendorSyncs(id).length === 1), { description: 'every connection synced once', timeoutMs: 60_000 });
    const moved = first!.ownedConnections();
    await first!.stop();
    await waitFor(() => second!.ownedConnections().length === ids.length, { description: 'the remaining worker owns all', timeoutMs: 60_000 });
    for (const id of moved) await runtime.service.syncNow(id, 'vendors');
    await waitFor(() => moved.every((id) => vendorSyncs(id).length === 2), { description: 'moved connections sync again', timeoutMs: 60_000 });
    // The new owner resumed from the committed cursor: nothing new to read.
    for (const id of moved) expect(vendorSyncs(id)[1]!.data).toMatchObject({ records: 0, full_pass: false });
  });
});
