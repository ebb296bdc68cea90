import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaRegistry } from './server.js';
import { api, deleteTopic, recordSchema, startTestRegistry, uniqueRegistryTopic } from './test-support.js';

describe('two schema registry instances on one topic', () => {
  const topic = uniqueRegistryTopic();
  let first: SchemaRegistry;
  let second: SchemaRegistry;

  beforeAll(async () => {
    [first, second] = await Promise.all([startTestRegistry(topic), startTestRegistry(topic)]);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await deleteTopic(topic);
  });

  it('give every schema its own id while both register at the same time, and both serve all of them', async () => {
    const registrations = Array.from({ length: 12 }, (_, index) => ({
      registry: index % 2 === 0 ? first : second,
      subject: `concurrent-${index}-value`,
      schema: recordSchema(`Concurrent${index}`),
    }));
    const results = await Promise.all(
      registrations.map(async ({ registry, subject, schema }) => {
        const response = await api(registry.url, 'POST', `/subjects/${subject}/versions`, { schema });
        expect(response.status).toBe(200);
        return { subject, schema, id: response.body.id as number };
      }),
    );
    expect(new Set(results.map((result) => result.id)).size).toBe(results.length);
    for (const { subject, schema, id } of results) {
      for (const registry of [first, second]) {
        // Read right after the other instance wrote: a miss catches up with the topic first.
        expect((await api(registry.url, 'GET', `/schemas/ids/${id}`)).body).toEqual({ schema });
        expect((await api(registry.url, 'GET', `/subjects/${subject}/versions/latest`)).body.id).toBe(id);
      }
    }
  });

  it('agree on one id and one version when both register the same schema at once', async () => {
    const schema = recordSchema('Raced', [{ name: 'n', type: 'long' }]);
    const [a, b, c] = await Promise.all([
      api(first.url, 'POST', '/subjects/raced-value/versions', { schema }),
      api(second.url, 'POST', '/subjects/raced-value/versions', { schema }),
      api(second.url, 'POST', '/subjects/raced-copy-value/versions', { schema }),
    ]);
    expect(a.body.id).toBe(b.body.id);
    expect(c.body.id).toBe(a.body.id);
    expect((await api(first.url, 'GET', '/subjects/raced-value/versions')).body).toEqual([1]);
    expect((await api(second.url, 'GET', '/subjects/raced-value/versions')).body).toEqual([1]);
  });

  it('enforce compatibility against versions the other instance registered', async () => {
    await api(first.url, 'POST', '/subjects/shared-value/versions', { schema: recordSchema('Shared', [{ name: 'qty', type: 'int' }]) });
    const refused = await api(second.url, 'POST', '/subjects/shared-value/versions', { schema: recordSchema('Shared', [{ name: 'qty', type: 'string' }]) });
    expect(refused.status).toBe(409);
  });
});
