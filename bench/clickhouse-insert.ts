import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { KafkaMessage, Message } from 'kafkajs';
import { openClickHouse, type ClickHouse } from '../platform/clickhouse.js';
import { loadConfig } from '../platform/config.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { resolveBrokers } from '../platform/services.js';
import { topicNames } from '../platform/topics.js';
import { createUnifiedCodec, ENTITY_PLURALS, startSchemaRegistry } from '../schemas/index.js';
import { sinkRoutes } from '../sinks/clickhouse/converters/topic-routes.js';
import { InsertWriter } from '../sinks/clickhouse/insert-writer.js';
import { runMigrations } from '../sinks/clickhouse/migration-runner.js';
import { RowBuffer } from '../sinks/clickhouse/row-buffer.js';
import { asSinkMessage, plantRawMessages } from '../sinks/clickhouse/testing/pipeline-fixtures.js';
import { processChunk } from '../transformers/chunk-processor.js';
import { hashedFields } from '../transformers/field-hash.js';
import { StateTable } from '../transformers/state-table.js';
import { plantConnectorLookup } from '../transformers/testing/plant-connector.js';
import { deleteBenchTopics } from './bench-topics.js';

/**
 * Where embedded ClickHouse's time goes when the sink writes, per table: the rows are the ones
 * the sink writes for the pipeline benchmark's records (plant vendors and purchase orders with 3
 * lines, through the transformer's chunk processor and the sink's own converters), inserted the
 * way the sink inserts them (InsertWriter, batches of `batch` rows). Per table:
 *
 *  - insert: CPU of the INSERTs with merges stopped (parsing the text, building the part);
 *  - merges: CPU of the background merges that follow, until the parts settle;
 *  - floor: CPU of `INSERT … SELECT` of the same rows into a copy of the table (a part built from
 *    columns, no text to parse): what an insert costs without its format;
 *  - binary: CPU of inserting the same rows in the same batches as RowBinary (ClickHouse's own
 *    binary of them, written to files first and inserted `FROM INFILE`): what the text costs
 *    against the cheapest format to read.
 *
 * CPU is this process's (chdb runs on its threads). Needs the broker for the schema registry.
 *
 *   npm run bench -- clickhouse-insert [records=20000] [--batch=1000]
 */
const args = process.argv.slice(2);
const TOTAL = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 20_000);
const BATCH = Number(args.find((arg) => arg.startsWith('--batch='))?.split('=')[1] ?? 1_000);
const CONNECTION = 'bench-plant';
const TABLES = ['raw_records', 'vendors', 'purchase_orders', 'events'];

interface TableFigures {
  rows: number;
  bytes: number;
  insertCpu: number;
  mergeCpu: number;
  floorCpu: number;
  binaryCpu: number;
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** The sink's rows for `count` records of `entity`: raw_records, the entity table and events, by table. */
async function sinkRows(entity: 'vendor' | 'purchase_order', count: number, vendors: number, prefix: string, registryUrl: string, rows: Map<string, string[]>): Promise<void> {
  const names = topicNames(prefix);
  const topics = { unified: names.unified(ENTITY_PLURALS[entity]), events: names.events, deadLetters: names.deadLetters, state: names.transformerState };
  const codec = createUnifiedCodec({ registryUrl, topicPrefix: prefix });
  const routes = sinkRoutes({ topicPrefix: prefix, registryUrl, entities: [entity] });
  const table = new StateTable(hashedFields(entity).length);
  const raw = plantRawMessages(CONNECTION, entity, count, vendors);
  const add = async (topic: string, messages: (Message | KafkaMessage)[]) => {
    const converter = routes.get(topic);
    if (!converter) return;
    for (const [index, message] of messages.entries()) {
      const converted = await converter.convert(asSinkMessage(topic, index, message));
      for (const row of converted) {
        let list = rows.get(row.table);
        if (!list) rows.set(row.table, (list = []));
        list.push(row.json);
      }
    }
  };
  await add(names.raw(ENTITY_PLURALS[entity]), raw);
  for (let start = 0; start < count; start += 1_000) {
    const result = await processChunk({ topic: names.raw(ENTITY_PLURALS[entity]), partition: 0, entity, table, messages: raw.slice(start, start + 1_000) }, { topics, codec, pipeline: { connectorLookup: plantConnectorLookup, mappingFor: () => ({}) } });
    for (const [key, state] of result.pending) table.set(key, state);
    for (const { topic, messages } of result.topicMessages) await add(topic, messages);
  }
}

async function activeParts(clickhouse: ClickHouse, table: string): Promise<number> {
  const result = await clickhouse.client.query({ query: `SELECT count() AS parts FROM system.parts WHERE active AND database = currentDatabase() AND table = {table:String}`, query_params: { table }, format: 'JSONEachRow' });
  return Number((await result.json<{ parts: string }>())[0]?.parts ?? 0);
}

async function measureTable(clickhouse: ClickHouse, table: string, lines: string[]): Promise<TableFigures> {
  const writer = new InsertWriter(clickhouse);
  const batches: RowBuffer[] = [];
  let bytes = 0;
  for (let start = 0; start < lines.length; start += BATCH) {
    const buffer = new RowBuffer();
    lines.slice(start, start + BATCH).forEach((line, index) => buffer.push(line, start + index));
    bytes += buffer.bytes;
    batches.push(buffer);
  }
  await clickhouse.client.command({ query: `SYSTEM STOP MERGES ${table}` });
  let before = cpuSeconds();
  for (const [index, batch] of batches.entries()) await writer.insert(table, batch, `bench-${table}-${index}`);
  const insertCpu = cpuSeconds() - before;

  before = cpuSeconds();
  await clickhouse.client.command({ query: `SYSTEM START MERGES ${table}` });
  // Merges run in the background: the CPU until the part count last moved, once it has not moved
  // for 3 s. The polls until then are counted too (a few ms each): an upper bound.
  let parts = await activeParts(clickhouse, table);
  let mergeCpu = 0;
  let stableSince = performance.now();
  while (performance.now() - stableSince < 3_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await activeParts(clickhouse, table);
    if (now !== parts) {
      parts = now;
      mergeCpu = cpuSeconds() - before;
      stableSince = performance.now();
    }
  }

  await clickhouse.client.command({ query: `CREATE TABLE ${table}_floor AS ${table}` });
  await clickhouse.client.command({ query: `SYSTEM STOP MERGES ${table}_floor` });
  before = cpuSeconds();
  await clickhouse.client.command({ query: `INSERT INTO ${table}_floor SELECT * FROM ${table}` });
  const floorCpu = cpuSeconds() - before;
  const binaryCpu = await measureBinary(clickhouse, table, batches.length);
  return { rows: lines.length, bytes, insertCpu, mergeCpu, floorCpu, binaryCpu };
}

/** The table's rows as RowBinary files of BATCH rows, inserted into another copy with merges stopped. */
async function measureBinary(clickhouse: ClickHouse, table: string, batches: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-bench-chi-rowbinary-'));
  try {
    const files = Array.from({ length: batches }, (_, index) => path.join(dir, `${index}.bin`));
    for (const [index, file] of files.entries()) {
      await clickhouse.client.command({ query: `SELECT * FROM ${table} ORDER BY tuple() LIMIT ${BATCH} OFFSET ${index * BATCH} INTO OUTFILE '${file}' FORMAT RowBinary` });
    }
    await clickhouse.client.command({ query: `CREATE TABLE ${table}_binary AS ${table}` });
    await clickhouse.client.command({ query: `SYSTEM STOP MERGES ${table}_binary` });
    const before = cpuSeconds();
    for (const file of files) await clickhouse.client.command({ query: `INSERT INTO ${table}_binary FROM INFILE '${file}' FORMAT RowBinary` });
    return cpuSeconds() - before;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const { brokers } = await resolveBrokers(config, logger);
  const kafka = createKafka({ brokers, clientId: 'millrace-bench-clickhouse-insert', logger });
  const prefix = `bench-chi-${randomBytes(4).toString('hex')}.`;
  const registry = config.SCHEMA_REGISTRY_URL ? null : await startSchemaRegistry({ kafka, topic: topicNames(prefix).schemas, port: 0, logger });
  const registryUrl = config.SCHEMA_REGISTRY_URL ?? registry!.url;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-bench-chi-'));
  const clickhouse = await openClickHouse({ database: 'bench', dataDir });
  try {
    const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
    process.stdout.write(`machine: ${os.cpus().length} cores (${cpuModel}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; load average before: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}\n`);
    await runMigrations(clickhouse, logger);
    const vendors = Math.round(TOTAL * 0.3);
    const rows = new Map<string, string[]>();
    await sinkRows('vendor', vendors, vendors, prefix, registryUrl, rows);
    await sinkRows('purchase_order', TOTAL - vendors, vendors, prefix, registryUrl, rows);
    process.stdout.write(`embedded ClickHouse, the sink's rows for ${TOTAL.toLocaleString('en')} records (30 % vendors, 70 % purchase orders with 3 lines), inserts of ${BATCH.toLocaleString('en')} rows\n\n`);
    process.stdout.write(`${'table'.padEnd(16)} ${'rows'.padStart(7)} ${'bytes/row'.padStart(9)}   CPU µs per row: ${'insert'.padStart(6)} ${'merges'.padStart(6)} ${'floor'.padStart(6)} ${'binary'.padStart(6)}\n`);
    let perRecord = 0;
    for (const table of TABLES) {
      const lines = rows.get(table) ?? [];
      if (lines.length === 0) continue;
      const figures = await measureTable(clickhouse, table, lines);
      const micros = (seconds: number) => Math.round((seconds / figures.rows) * 1e6);
      perRecord += (figures.insertCpu + figures.mergeCpu) / TOTAL;
      process.stdout.write(`${table.padEnd(16)} ${String(figures.rows).padStart(7)} ${String(Math.round(figures.bytes / figures.rows)).padStart(9)}   ${' '.repeat(16)}${String(micros(figures.insertCpu)).padStart(6)} ${String(micros(figures.mergeCpu)).padStart(6)} ${String(micros(figures.floorCpu)).padStart(6)} ${String(micros(figures.binaryCpu)).padStart(6)}\n`);
    }
    process.stdout.write(`\nClickHouse CPU per record (inserts and merges of every table): ${Math.round(perRecord * 1e6)} µs\n`);
    process.stdout.write('insert − floor ≈ reading the text format; floor = building the part from columns; binary = the same batches as RowBinary\n');
  } finally {
    await clickhouse.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await registry?.close();
    await deleteBenchTopics(kafka, prefix);
  }
}

await main();
