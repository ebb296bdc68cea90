import { AvroDeserializer, AvroSerializer, SchemaRegistryClient as ConfluentClient, SerdeType } from '@confluentinc/schemaregistry';
import { SchemaRegistry as KafkajsRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { testRegistryUrl } from '../../test/support/registry.js';
import { uniqueName } from '../../test/support/kafka.js';
import { ENTITY_NAMES } from '../entities.js';
import { exampleRecord } from '../examples/index.js';
import { unifiedRecordSchema } from '../validation/record-schemas.js';
import { avroSchemaFor } from './avro-schema.js';
import { parseAvroType } from './logical-types.js';
import { SchemaRegistryClient } from './registry-client.js';
import { createUnifiedCodec, unifiedSubject } from './unified-codec.js';

describe('unified codec against the schema registry', () => {
  it.each(ENTITY_NAMES)('round-trips the %s example with every field value intact', async (entity) => {
    const codec = createUnifiedCodec({ registryUrl: testRegistryUrl() });
    const record = exampleRecord(entity);
    const message = await codec.encode(entity, record);
    expect(message[0]).toBe(0);
    const decoded = await codec.decode(message);
    expect(decoded.entity).toBe(entity);
    expect(decoded.record).toStrictEqual(record);
    // What comes back is what the validator gives: the model's canonical form.
    expect(unifiedRecordSchema(entity).parse(decoded.record)).toStrictEqual(decoded.record);
  });

  it('registers under <topic>-value once: a second codec gets the same id', async () => {
    const first = createUnifiedCodec({ registryUrl: testRegistryUrl() });
    const second = createUnifiedCodec({ registryUrl: testRegistryUrl() });
    const id = await first.schemaId('vendor');
    expect(await second.schemaId('vendor')).toBe(id);
    const versions = await (await fetch(`${testRegistryUrl()}/subjects/${unifiedSubject('millrace.', 'vendor')}/versions`)).json();
    expect(versions).toEqual([1]);
  });

  it('decodes a message written with an older schema into the current model, new fields at their defaults', async () => {
    const current = avroSchemaFor('asset');
    const older = { ...current, fields: current.fields.filter((field) => !['path_remote_ids', 'criticality'].includes(field.name)) };
    const client = new SchemaRegistryClient(testRegistryUrl());
    const olderId = await client.register(`${uniqueName('older-assets')}-value`, older);
    const { path_remote_ids: _dropped, criticality: _alsoDropped, ...oldRecord } = exampleRecord('asset');
    const body = parseAvroType(older).toBuffer(oldRecord);
    const header = Buffer.alloc(5);
    header.writeUInt32BE(olderId, 1);
    const decoded = await createUnifiedCodec({ registryUrl: testRegistryUrl() }).decode(Buffer.concat([header, body]));
    expect(decoded.schemaId).toBe(olderId);
    expect(decoded.record).toStrictEqual({ ...exampleRecord('asset'), path_remote_ids: [], criticality: null });
  });

  it('refuses what it cannot encode or decode, saying why', async () => {
    const codec = createUnifiedCodec({ registryUrl: testRegistryUrl() });
    const record = { ...exampleRecord('vendor'), emails: [{ type: 'work', address: 42, is_primary: false }] };
    await expect(codec.encode('vendor', record as never)).rejects.toThrow(/emails\.0\.address: cannot hold 42/);
    await expect(codec.decode(Buffer.from('{"json":true}'))).rejects.toMatchObject({ code: 'not_wire_format' });
    const foreignId = await new SchemaRegistryClient(testRegistryUrl()).register(`${uniqueName('foreign')}-value`, { type: 'record', name: 'Foreign', fields: [] });
    const foreign = Buffer.alloc(5);
    foreign.writeUInt32BE(foreignId, 1);
    await expect(codec.decode(foreign)).rejects.toMatchObject({ code: 'not_a_unified_record' });
    const unknown = Buffer.from([0, 0x7f, 0xff, 0xff, 0xff]);
    await expect(codec.decode(unknown)).rejects.toMatchObject({ errorCode: 40403, status: 404 });
  });
});

describe('Confluent clients against Millrace\'s registry', () => {
  it('@kafkajs/confluent-schema-registry registers, encodes and decodes, and reads Millrace\'s messages', async () => {
    const registry = new KafkajsRegistry({ host: testRegistryUrl() });
    const schema = { type: 'record', name: 'Reading', namespace: 'io.millrace.test', fields: [{ name: 'sensor', type: 'string' }, { name: 'value', type: 'double' }] };
    const subject = `${uniqueName('kafkajs-readings')}-value`;
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
    expect((await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject })).id).toBe(id);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);
    const encoded = await registry.encode(id, { sensor: 'T-1', value: 21.5 });
    expect(await registry.decode(encoded)).toEqual({ sensor: 'T-1', value: 21.5 });

    const millrace = await createUnifiedCodec({ registryUrl: testRegistryUrl() }).encode('purchase_order', exampleRecord('purchase_order'));
    const decoded = await registry.decode(millrace);
    expect(decoded.remote_id).toBe('4500000197');
    expect(decoded.version).toBe(1714557605000123);
    expect(decoded.remote_updated_at).toBe(Date.parse('2024-05-01T10:00:00.123Z'));
    expect(BigInt(`0x${(decoded.total as Buffer).toString('hex')}`)).toBe(2_037_880_000_000n);
  });

  it('@confluentinc/schemaregistry serializes with auto-registration and deserializes, also Millrace\'s messages', async () => {
    const client = ConfluentClient.newClient({ baseURLs: [testRegistryUrl()] });
    const topic = uniqueName('confluent-client');
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
    const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
    const message = await serializer.serialize(topic, { sensor: 'P-7', ok: true });
    expect(await deserializer.deserialize(topic, message)).toMatchObject({ sensor: 'P-7', ok: true });
    const latest = await client.getLatestSchemaMetadata(`${topic}-value`);
    expect(latest.id).toBe(message.readUInt32BE(1));

    const millrace = await createUnifiedCodec({ registryUrl: testRegistryUrl() }).encode('work_order', exampleRecord('work_order'));
    const decoded = await deserializer.deserialize('millrace.unified.work_orders', millrace);
    expect(decoded).toMatchObject({ remote_id: '4000123', title: 'Replace pump bearing', status: 'in_progress' });
    expect(decoded.tasks).toHaveLength(2);
  });
});
