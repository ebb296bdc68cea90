import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { testRegistryUrl } from '../../test/support/registry.js';
import { createUnifiedCodec } from '../avro/unified-codec.js';
import { ENTITY_NAMES, ENTITY_PLURALS, type EntityName } from '../entities.js';
import { exampleRecord } from '../examples/index.js';
import { clickhouseColumns, quoteIdentifier } from './columns.js';
import { clickhouseTableDdl } from './ddl.js';
import { CLICKHOUSE_READ_SETTINGS, fromClickHouseRow, toClickHouseRow } from './rows.js';

/** ClickHouse's own AvroConfluent reader, fetching schemas from the registry, fills the tables. */
describe('ClickHouse AvroConfluent reads what Millrace encodes', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-avro-ch-'));
  let clickhouse: ClickHouse;
  const codec = createUnifiedCodec({ registryUrl: testRegistryUrl() });

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'model_test', dataDir });
  });

  afterAll(async () => {
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function messageFile(entity: EntityName, records: unknown[]): Promise<string> {
    const messages = await Promise.all(records.map((record) => codec.encode(entity, record as never)));
    const file = path.join(dataDir, `${entity}-${Date.now()}.bin`);
    fs.writeFileSync(file, Buffer.concat(messages));
    return file;
  }

  async function selectAll(table: string, final = false): Promise<Record<string, unknown>[]> {
    const result = await clickhouse.client.query({
      query: `SELECT * FROM ${quoteIdentifier(table)}${final ? ' FINAL' : ''} ORDER BY version`,
      format: 'JSONEachRow',
      clickhouse_settings: CLICKHOUSE_READ_SETTINGS,
    });
    return result.json();
  }

  const avroSettings = () => `SETTINGS format_avro_schema_registry_url = '${testRegistryUrl()}'`;

  it.each(ENTITY_NAMES)('decodes a %s message into its table with every field value intact', async (entity) => {
    const table = `${ENTITY_PLURALS[entity]}_avro`;
    await clickhouse.client.command({ query: clickhouseTableDdl(entity, { table }) });
    const example = exampleRecord(entity);
    const file = await messageFile(entity, [example]);
    const columns = clickhouseColumns(entity).map((column) => quoteIdentifier(column.name)).join(', ');
    await clickhouse.client.command({
      query: `INSERT INTO ${quoteIdentifier(table)} (${columns}) SELECT ${columns} FROM file('${file}', 'AvroConfluent') ${avroSettings()}`,
    });
    const rows = await selectAll(table);
    expect(rows).toHaveLength(1);
    expect(fromClickHouseRow(entity, rows[0]!)).toStrictEqual(example);
  });

  it.each(ENTITY_NAMES)('declares for %s the column types AvroConfluent itself infers (up to LowCardinality and the UTC zone)', async (entity) => {
    const file = await messageFile(entity, [exampleRecord(entity)]);
    const result = await clickhouse.client.query({
      query: `DESCRIBE file('${file}', 'AvroConfluent') ${avroSettings()}`,
      format: 'JSONEachRow',
    });
    const inferred = ((await result.json()) as { name: string; type: string }[]).map((column) => ({
      name: column.name,
      type: column.type.replace(/\s+/g, ' '),
    }));
    const normalize = (type: string) =>
      type
        .replace(/\s+/g, ' ')
        .replace(/\( /g, '(')
        .replace(/ \)/g, ')')
        .replace(/`/g, '')
        .replace(/LowCardinality\((.*?)\)(?=,|\)|$)/g, '$1')
        .replace(/DateTime64\(3, 'UTC'\)/g, 'DateTime64(3)');
    const declared = clickhouseColumns(entity).map((column) => ({ name: column.name, type: normalize(column.type) }));
    expect(inferred.map((column) => ({ name: column.name, type: normalize(column.type) }))).toEqual(declared);
  });

  it('keeps the newest version of a record, and a replayed older image changes nothing', async () => {
    const table = 'vendors_versions';
    await clickhouse.client.command({ query: clickhouseTableDdl('vendor', { table }) });
    const v1 = exampleRecord('vendor');
    const v2 = { ...exampleRecord('vendor'), name: 'Rhein Supply (renamed)', version: '1714557605000999', is_deleted: true, remote_deleted_at: '2024-05-02T00:00:00.000Z' };
    for (const record of [v1, v2, v1]) {
      await clickhouse.client.insert({ table, values: [toClickHouseRow('vendor', record)], format: 'JSONEachRow' });
    }
    const rows = await selectAll(table, true);
    expect(rows.map((row) => fromClickHouseRow('vendor', row))).toStrictEqual([v2]);
  });

  it('inserts decoded records as JSONEachRow rows that read back unchanged, addresses null or not', async () => {
    for (const entity of ENTITY_NAMES) {
      const table = `${ENTITY_PLURALS[entity]}_json`;
      await clickhouse.client.command({ query: clickhouseTableDdl(entity, { table }) });
      const decoded = await codec.decode(await codec.encode(entity, exampleRecord(entity)));
      await clickhouse.client.insert({ table, values: [toClickHouseRow(entity, decoded.record)], format: 'JSONEachRow' });
      const [row] = await selectAll(table);
      expect(fromClickHouseRow(entity, row!)).toStrictEqual(exampleRecord(entity));
    }
  });
});
