import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouse } from '../../platform/clickhouse.js';
import { createLogger } from '../../platform/logger.js';
import { ENTITY_NAMES, ENTITY_PLURALS, toClickHouseRow } from '../../schemas/index.js';
import { recordImageJson } from '../../schemas/clickhouse/record-image.js';
import { waitFor } from '../../test/support/wait-for.js';
import { runMigrations } from './migration-runner.js';
import { MIGRATIONS } from './migrations/index.js';
import { queryRows, unifiedRecord } from './testing/sink-fixtures.js';

/**
 * A database from before migration 0006: rows without an image get one in the background, equal
 * to what the sink writes for the same record; a model field the table lacked is added first.
 */
describe('migration 0006: record images for rows already stored', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-record-images-'));
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  let clickhouse: ClickHouse;

  beforeAll(async () => {
    clickhouse = await openClickHouse({ database: 'record_images_test', dataDir });
  });

  afterAll(async () => {
    await clickhouse?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('fills record_json of every stored row with the image the sink would write, and leaves the fields alone', async () => {
    const before = MIGRATIONS.filter((migration) => migration.version < 6);
    await runMigrations(clickhouse, logger, before);
    // As an older release left it: no image column, and one model field missing from vendors.
    for (const entity of ENTITY_NAMES) await clickhouse.client.command({ query: `ALTER TABLE ${ENTITY_PLURALS[entity]} DROP COLUMN record_json` });
    await clickhouse.client.command({ query: 'ALTER TABLE vendors DROP COLUMN notes' });
    const stored = Object.fromEntries(ENTITY_NAMES.map((entity) => [entity, Array.from({ length: 3 }, (_, index) => unifiedRecord(entity, 'conn-before', index, entity === 'vendor' ? { notes: null } : {}))]));
    for (const entity of ENTITY_NAMES) {
      const rows = stored[entity]!.map((record) => toClickHouseRow(entity, record as never));
      // vendors has no notes column yet: the row is written as that release wrote it.
      const values = entity === 'vendor' ? rows.map(({ notes: _notes, ...row }) => row) : rows;
      await clickhouse.client.insert({ table: ENTITY_PLURALS[entity], values, format: 'JSONEachRow' });
    }

    const report = await runMigrations(clickhouse, logger);
    expect(report.applied).toEqual([6]);
    expect(report.columns.mismatched).toEqual([]);
    for (const entity of ENTITY_NAMES) {
      const table = ENTITY_PLURALS[entity];
      await waitFor(async () => (await queryRows<{ n: string }>(clickhouse, `SELECT count() AS n FROM ${table} WHERE record_json = ''`))[0]!.n === '0', { description: `images of ${table}`, timeoutMs: 60_000 });
      const images = await queryRows<{ remote_id: string; record_json: string }>(clickhouse, `SELECT remote_id, record_json FROM ${table} ORDER BY remote_id`);
      expect(images.map((row) => JSON.parse(row.record_json) as unknown)).toStrictEqual(stored[entity]!.map((record) => JSON.parse(recordImageJson(entity, record as never)) as unknown));
    }
    // The vendors' notes (dropped above, absent from the stored rows) read as null in the image.
    const [vendor] = await queryRows<{ record_json: string }>(clickhouse, 'SELECT record_json FROM vendors LIMIT 1');
    expect(JSON.parse(vendor!.record_json)).toHaveProperty('notes', null);
    expect(await queryRows(clickhouse, 'SELECT count() AS n FROM vendors_latest')).toEqual([{ n: '3' }]);
    expect((await queryRows<Record<string, unknown>>(clickhouse, 'SELECT * FROM vendors_latest LIMIT 1'))[0]).not.toHaveProperty('record_json');
  });
});
