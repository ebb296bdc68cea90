import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaRegistry } from './server.js';
import { api, deleteTopic, recordSchema, startTestRegistry, uniqueRegistryTopic } from './test-support.js';

describe('schema registry: Confluent REST API on a Kafka topic', () => {
  const topic = uniqueRegistryTopic();
  let registry: SchemaRegistry;
  let url: string;

  beforeAll(async () => {
    registry = await startTestRegistry(topic);
    url = registry.url;
  });

  afterAll(async () => {
    await registry?.close();
    await deleteTopic(topic);
  });

  it('registers a schema, returns the same id for the same schema, in any subject, and serves it back', async () => {
    const schema = recordSchema('Order', [{ name: 'qty', type: 'int' }]);
    const first = await api(url, 'POST', '/subjects/orders-value/versions', { schema });
    expect(first).toMatchObject({ status: 200, contentType: 'application/vnd.schemaregistry.v1+json' });
    const id = first.body.id as number;
    expect(Number.isInteger(id)).toBe(true);

    // Same schema, other whitespace: the same schema, the same id, no new version.
    const again = await api(url, 'POST', '/subjects/orders-value/versions', { schema: JSON.stringify(JSON.parse(schema), null, 2), schemaType: 'AVRO' });
    expect(again.body).toEqual({ id });
    expect((await api(url, 'GET', '/subjects/orders-value/versions')).body).toEqual([1]);

    // Ids are global: another subject with the same schema shares the id, at its own version 1.
    expect((await api(url, 'POST', '/subjects/orders-copy-value/versions', { schema })).body).toEqual({ id });
    expect((await api(url, 'GET', '/schemas/ids/' + id + '/versions')).body).toEqual([
      { subject: 'orders-copy-value', version: 1 },
      { subject: 'orders-value', version: 1 },
    ]);

    const latest = await api(url, 'GET', '/subjects/orders-value/versions/latest');
    expect(latest.body).toEqual({ subject: 'orders-value', version: 1, id, schema });
    expect((await api(url, 'GET', '/subjects/orders-value/versions/1/schema')).body).toEqual(JSON.parse(schema));
    expect((await api(url, 'GET', `/schemas/ids/${id}`)).body).toEqual({ schema });
    expect((await api(url, 'GET', `/schemas/ids/${id}/schema`)).body).toEqual(JSON.parse(schema));
    expect((await api(url, 'GET', `/schemas/ids/${id}/subjects`)).body).toEqual(['orders-copy-value', 'orders-value']);
    expect((await api(url, 'POST', '/subjects/orders-value', { schema })).body).toEqual({ subject: 'orders-value', version: 1, id, schema });
    expect((await api(url, 'GET', '/subjects')).body).toEqual(expect.arrayContaining(['orders-value', 'orders-copy-value']));
    expect((await api(url, 'GET', '/schemas/types')).body).toEqual(['AVRO']);
  });

  it('evolves under BACKWARD: an optional field passes; a field without default or a changed type is refused with 409 and nothing is written', async () => {
    const subject = 'evolve-value';
    const v1 = recordSchema('Evolve', [{ name: 'qty', type: 'int' }]);
    const { body: first } = await api(url, 'POST', `/subjects/${subject}/versions`, { schema: v1 });
    const v2 = recordSchema('Evolve', [{ name: 'qty', type: 'int' }, { name: 'note', type: ['null', 'string'], default: null }]);
    const second = await api(url, 'POST', `/subjects/${subject}/versions`, { schema: v2 });
    expect(second.status).toBe(200);
    expect(second.body.id).toBeGreaterThan(first.id);

    const required = recordSchema('Evolve', [{ name: 'qty', type: 'int' }, { name: 'note', type: ['null', 'string'], default: null }, { name: 'site', type: 'string' }]);
    const refused = await api(url, 'POST', `/subjects/${subject}/versions`, { schema: required });
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe(409);
    expect(refused.body.message).toMatch(/incompatible with an earlier schema for subject "evolve-value".*site/);

    const retyped = recordSchema('Evolve', [{ name: 'qty', type: 'string' }, { name: 'note', type: ['null', 'string'], default: null }]);
    const refusedType = await api(url, 'POST', `/subjects/${subject}/versions`, { schema: retyped });
    expect(refusedType.status).toBe(409);
    expect(refusedType.body.message).toMatch(/cannot read "int" as "string"/);

    // Nothing of the refused schemas was kept: two versions, and the next id follows the last.
    expect((await api(url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    expect((await api(url, 'POST', `/subjects/${subject}`, { schema: required })).body.error_code).toBe(40403);
    const check = await api(url, 'POST', `/compatibility/subjects/${subject}/versions/latest?verbose=true`, { schema: retyped });
    expect(check.body.is_compatible).toBe(false);
    expect(check.body.messages[0]).toMatch(/cannot read data written with version 2/);
    expect((await api(url, 'POST', `/compatibility/subjects/${subject}/versions/1`, { schema: v2 })).body).toEqual({ is_compatible: true });
  });

  it('refuses to remove a field without default under FULL, and applies subject and global levels', async () => {
    const subject = 'full-value';
    const v1 = recordSchema('Full', [{ name: 'qty', type: 'int' }, { name: 'memo', type: ['null', 'string'], default: null }]);
    await api(url, 'POST', `/subjects/${subject}/versions`, { schema: v1 });
    expect((await api(url, 'PUT', `/config/${subject}`, { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
    expect((await api(url, 'GET', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'FULL' });

    const withoutQty = recordSchema('Full', [{ name: 'memo', type: ['null', 'string'], default: null }]);
    const refused = await api(url, 'POST', `/subjects/${subject}/versions`, { schema: withoutQty });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/version 1 cannot read data written with the new schema: .*qty/);
    // A field with a default may go, both ways.
    const withoutMemo = recordSchema('Full', [{ name: 'qty', type: 'int' }]);
    expect((await api(url, 'POST', `/subjects/${subject}/versions`, { schema: withoutMemo })).status).toBe(200);

    expect((await api(url, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await api(url, 'GET', '/config/evolve-value')).body.error_code).toBe(40408);
    expect((await api(url, 'GET', '/config/evolve-value?defaultToGlobal=true')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await api(url, 'PUT', `/config/${subject}`, { compatibility: 'SIDEWAYS' })).body.error_code).toBe(42203);
    expect((await api(url, 'DELETE', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await api(url, 'GET', `/config/${subject}`)).status).toBe(404);

    // NONE lets anything through.
    await api(url, 'PUT', `/config/${subject}`, { compatibility: 'none' });
    expect((await api(url, 'POST', `/subjects/${subject}/versions`, { schema: recordSchema('Full', [{ name: 'qty', type: 'string' }]) })).status).toBe(200);
  });

  it('answers invalid Avro with 422/42201 and the parser\'s message, and writes nothing', async () => {
    const before = (await api(url, 'GET', '/subjects')).body;
    const bad = await api(url, 'POST', '/subjects/bad-value/versions', { schema: recordSchema('Bad', [{ name: 'x', type: 'strin' }]) });
    expect(bad).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(bad.body.message).toMatch(/^Invalid schema: undefined type name: .*strin$/);
    const badDefault = await api(url, 'POST', '/subjects/bad-value/versions', { schema: recordSchema('Bad', [{ name: 'x', type: ['null', 'string'], default: 'x' }]) });
    expect(badDefault.body.message).toMatch(/default/);
    expect((await api(url, 'POST', '/subjects/bad-value/versions', { schema: '{not json' })).body.error_code).toBe(42201);
    expect((await api(url, 'POST', '/subjects/bad-value/versions', {})).body.error_code).toBe(42201);
    expect((await api(url, 'POST', '/subjects/bad-value/versions', { schema: '{"type":"string"}', schemaType: 'PROTOBUF' })).body).toMatchObject({
      error_code: 42201,
      message: expect.stringContaining('AVRO schemas only'),
    });
    const notJson = await api(url, 'POST', '/subjects/bad-value/versions', 'schema=x');
    expect(notJson).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect((await api(url, 'GET', '/subjects')).body).toEqual(before);
  });

  it('answers what does not exist with Confluent\'s 404 codes', async () => {
    expect((await api(url, 'GET', '/subjects/nope/versions')).body.error_code).toBe(40401);
    expect((await api(url, 'GET', '/subjects/nope/versions/latest')).body).toEqual({ error_code: 40401, message: "Subject 'nope' not found." });
    expect((await api(url, 'GET', '/subjects/orders-value/versions/7')).body).toEqual({ error_code: 40402, message: 'Version 7 not found.' });
    expect((await api(url, 'GET', '/schemas/ids/999999')).body).toEqual({ error_code: 40403, message: 'Schema 999999 not found' });
    expect((await api(url, 'GET', '/subjects/orders-value/versions/zero')).body.error_code).toBe(42202);
    expect((await api(url, 'POST', '/compatibility/subjects/nope/versions/latest', { schema: recordSchema('X') })).body.error_code).toBe(40401);
    expect((await api(url, 'GET', '/no/such/path')).status).toBe(404);
  });

  it('deletes softly and then permanently, with Confluent\'s rules, and never reuses an id', async () => {
    const subject = 'doomed-value';
    const { body: v1 } = await api(url, 'POST', `/subjects/${subject}/versions`, { schema: recordSchema('Doomed') });
    await api(url, 'POST', `/subjects/${subject}/versions`, { schema: recordSchema('Doomed', [{ name: 'a', type: ['null', 'int'], default: null }]) });

    expect((await api(url, 'DELETE', `/subjects/${subject}/versions/1?permanent=true`)).body.error_code).toBe(40407);
    expect((await api(url, 'DELETE', `/subjects/${subject}/versions/1`)).body).toBe(1);
    expect((await api(url, 'DELETE', `/subjects/${subject}/versions/1`)).body.error_code).toBe(40402);
    expect((await api(url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([2]);
    expect((await api(url, 'GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1, 2]);
    // A soft-deleted version's schema can still decode data by id.
    expect((await api(url, 'GET', `/schemas/ids/${v1.id}`)).status).toBe(200);

    expect((await api(url, 'DELETE', `/subjects/${subject}?permanent=true`)).body.error_code).toBe(40405);
    expect((await api(url, 'DELETE', `/subjects/${subject}`)).body).toEqual([2]);
    expect((await api(url, 'DELETE', `/subjects/${subject}`)).body.error_code).toBe(40404);
    expect((await api(url, 'GET', '/subjects')).body).not.toContain(subject);
    expect((await api(url, 'GET', '/subjects?deleted=true')).body).toContain(subject);
    expect((await api(url, 'DELETE', `/subjects/${subject}?permanent=true`)).body).toEqual([1, 2]);
    expect((await api(url, 'GET', `/schemas/ids/${v1.id}`)).body.error_code).toBe(40403);

    // The highest id stays taken: a new schema gets a new id, also after a restart (see below).
    const { body: fresh } = await api(url, 'POST', '/subjects/after-delete-value/versions', { schema: recordSchema('AfterDelete') });
    expect(fresh.id).toBeGreaterThan(v1.id + 1);
  });

  it('comes back after a restart with every subject, version, id and level', async () => {
    const subjects = (await api(url, 'GET', '/subjects?deleted=true')).body as string[];
    const snapshot: Record<string, unknown> = {};
    for (const subject of subjects) {
      const versions = (await api(url, 'GET', `/subjects/${subject}/versions?deleted=true`)).body as number[];
      snapshot[subject] = await Promise.all(versions.map(async (version) => (await api(url, 'GET', `/subjects/${subject}/versions/${version}?deleted=true`)).body));
    }
    const level = (await api(url, 'GET', '/config/full-value')).body;
    const maxIdBefore = Math.max(...Object.values(snapshot).flat().map((entry) => (entry as { id: number }).id));
    await registry.close();

    registry = await startTestRegistry(topic);
    url = registry.url;
    expect((await api(url, 'GET', '/subjects?deleted=true')).body).toEqual(subjects);
    for (const subject of subjects) {
      const versions = (await api(url, 'GET', `/subjects/${subject}/versions?deleted=true`)).body as number[];
      const entries = await Promise.all(versions.map(async (version) => (await api(url, 'GET', `/subjects/${subject}/versions/${version}?deleted=true`)).body));
      expect(entries).toEqual(snapshot[subject]);
    }
    expect((await api(url, 'GET', '/config/full-value')).body).toEqual(level);
    const { body: next } = await api(url, 'POST', '/subjects/after-restart-value/versions', { schema: recordSchema('AfterRestart') });
    expect(next.id).toBe(maxIdBefore + 1);
  });
});
