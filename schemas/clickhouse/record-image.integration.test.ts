import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_FORMAT_SETTINGS, readRow } from '../../api/reads/row-reader.js';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { ENTITY_NAMES, ENTITY_PLURALS, type EntityName } from '../entities.js';
import { exampleRecord } from '../examples/index.js';
import { entityModels } from '../model/index.js';
import { parseUnifiedRecord } from '../validation/record-schemas.js';
import { quoteIdentifier } from './columns.js';
import { clickhouseTableDdl } from './ddl.js';
import { recordJsonExpression } from './record-image-sql.js';
import { RECORD_IMAGE_COLUMN, recordImageJson } from './record-image.js';
import { toClickHouseRow } from './rows.js';

type Row = Record<string, unknown>;

/**
 * The image kept in record_json must be exactly what the API answered from the fields before:
 * the JavaScript image (the sink's) and the SQL image (backfill) are both compared with the wide
 * read of the same row, for every entity, with values that stress the spellings.
 */
describe('record images', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-record-image-'));
  let clickhouse: ClickHouse;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'image_test', dataDir });
  });

  afterAll(async () => {
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The example, and a variant with awkward text, small and large decimals, and addresses of nothing. */
  function variants(entity: EntityName): Row[] {
    const example = exampleRecord(entity) as unknown as Row;
    const awkward: Row = { ...example, id: '00000000-0000-5000-8000-00000000000b', version: '1714557605000999' };
    for (const field of entityModels[entity].fields) {
      const kind = field.type.kind;
      if (kind === 'text' && field.nullable) awkward[field.name] = 'Quote " backslash \\ slash / tab \t newline \n umlaut ü emoji 🚜 </script>';
      if (kind === 'decimal' && field.nullable) awkward[field.name] = '-12345678901234567890123456789.000000001';
      if (kind === 'record' && field.type.record.fields.every((child) => child.nullable || child.type.kind === 'boolean')) {
        // All nulls: the model calls that no address, and the API has always answered null.
        awkward[field.name] = Object.fromEntries(field.type.record.fields.map((child) => [child.name, child.type.kind === 'boolean' ? false : null]));
      }
    }
    return [example, parseUnifiedRecord(entity, awkward) as unknown as Row];
  }

  async function rows(query: string): Promise<Row[]> {
    const result = await clickhouse.client.query({ query: `${query} SETTINGS ${READ_FORMAT_SETTINGS}`, format: 'JSONEachRow' });
    return (await result.json()) as Row[];
  }

  it.each(ENTITY_NAMES)('gives for %s the record the wide read gives, from JavaScript and from SQL alike', async (entity) => {
    const table = quoteIdentifier(`${ENTITY_PLURALS[entity]}_image`);
    await clickhouse.client.command({ query: clickhouseTableDdl(entity, { table: `${ENTITY_PLURALS[entity]}_image` }) });
    const records = variants(entity);
    await clickhouse.client.insert({
      table: `${ENTITY_PLURALS[entity]}_image`,
      values: records.map((record) => ({ ...toClickHouseRow(entity, record as never), [RECORD_IMAGE_COLUMN]: recordImageJson(entity, record) })),
      format: 'JSONEachRow',
    });
    const columns = entityModels[entity].fields.filter((field) => field.name !== 'remote_data').map((field) => quoteIdentifier(field.name));
    const read = await rows(`SELECT ${columns.join(', ')}, ${RECORD_IMAGE_COLUMN} AS js_image, ${recordJsonExpression(entity)} AS sql_image FROM ${table} ORDER BY version`);
    expect(read).toHaveLength(2);
    for (const row of read) {
      const { js_image: jsImage, sql_image: sqlImage, ...fields } = row;
      const wide = readRow(entity, fields);
      expect(JSON.parse(jsImage as string)).toStrictEqual(wide);
      expect(JSON.parse(sqlImage as string)).toStrictEqual(wide);
      // Same fields in the same order as the wide read, so a page reads the same either way.
      expect(Object.keys(JSON.parse(jsImage as string))).toEqual(Object.keys(wide));
      expect(Object.keys(JSON.parse(sqlImage as string))).toEqual(Object.keys(wide));
    }
  });
});
