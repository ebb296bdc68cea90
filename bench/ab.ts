import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { KafkaMessage, Message } from 'kafkajs';
import { loadConfig } from '../platform/config.js';
import { createKafka } from '../platform/kafka.js';
import { createLogger } from '../platform/logger.js';
import { resolveBrokers } from '../platform/services.js';
import { topicNames } from '../platform/topics.js';
import { ENTITY_PLURALS, startSchemaRegistry, type EntityName } from '../schemas/index.js';
import { asSinkMessage, plantRawMessages } from '../sinks/clickhouse/testing/pipeline-fixtures.js';
import { deleteBenchTopics } from './bench-topics.js';

/**
 * A/B of the per-record hot paths of two versions, inside one process. Between processes this
 * machine's figures move by 10–20 % from run to run, which hides changes of a few per cent;
 * rounds alternating inside one process share its ups and downs. Both versions are compiled with
 * tsc into a temporary folder (the base from a git ref through a worktree, the other from the
 * working tree), imported side by side and fed the same raw records (the pipeline benchmark's mix:
 * 30 % plant vendors, 70 % purchase orders with 3 lines):
 *
 *  - transformer: the chunk processor in chunks of 1,000 (map, validate, hash, Avro, events, state);
 *  - sink: the sink's converters on that output (raw, unified and event messages → rows).
 *
 * Prints each version's median CPU per record over the rounds (the first round warms up and is
 * not counted). Needs the broker (for the schema registry) and git.
 *
 *   npm run bench -- ab <git ref> [records=20000] [rounds=8]
 */
const [REF, RECORDS = '20000', ROUNDS = '8'] = process.argv.slice(2);
const CONNECTION = 'bench-ab';
const require = createRequire(import.meta.url);

interface Version {
  name: string;
  out: string;
  processChunk: (input: unknown, env: unknown) => Promise<{ topicMessages: { topic: string; messages: Message[] }[]; pending: Map<string, unknown> }>;
  newStateTable: (entity: EntityName) => { set(key: string, state: unknown): void };
  createCodec: (registryUrl: string, prefix: string) => unknown;
  sinkRoutes: (registryUrl: string, prefix: string) => Map<string, { convert(message: unknown): unknown }>;
  connectorLookup: unknown;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status})`);
}

/** Compiles the project at `source` into `out` and makes `out` runnable (ESM package, node_modules). */
function compile(source: string, out: string): void {
  const tsc = require.resolve('typescript/bin/tsc');
  run(process.execPath, [tsc, '-p', path.join(source, 'tsconfig.json'), '--noEmit', 'false', '--outDir', out], source);
  fs.copyFileSync(path.join(source, 'package.json'), path.join(out, 'package.json'));
  fs.symlinkSync(path.resolve('node_modules'), path.join(out, 'node_modules'));
}

async function load(name: string, out: string): Promise<Version> {
  const module = (file: string) => import(pathToFileURL(path.join(out, file)).href);
  const chunk = await module('transformers/chunk-processor.js');
  const hash = await module('transformers/field-hash.js');
  const state = await module('transformers/state-table.js');
  const plant = await module('transformers/testing/plant-connector.js');
  const schemas = await module('schemas/index.js');
  const routes = await module('sinks/clickhouse/converters/topic-routes.js');
  return {
    name,
    out,
    processChunk: chunk.processChunk,
    newStateTable: (entity) => new state.StateTable(hash.hashedFields(entity).length),
    createCodec: (registryUrl, prefix) => schemas.createUnifiedCodec({ registryUrl, topicPrefix: prefix }),
    sinkRoutes: (registryUrl, prefix) => routes.sinkRoutes({ topicPrefix: prefix, registryUrl, entities: ['vendor', 'purchase_order'] }),
    connectorLookup: plant.plantConnectorLookup,
  };
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** One round of one version: CPU µs per record of the transformer's chunk work and of the sink's converters. */
async function round(version: Version, raw: Map<EntityName, KafkaMessage[]>, registryUrl: string, prefix: string): Promise<{ transformer: number; sink: number }> {
  const names = topicNames(prefix);
  const codec = version.createCodec(registryUrl, prefix);
  const routes = version.sinkRoutes(registryUrl, prefix);
  let records = 0;
  let transformerCpu = 0;
  let sinkCpu = 0;
  for (const [entity, messages] of raw) {
    const rawTopic = names.raw(ENTITY_PLURALS[entity]);
    const topics = { unified: names.unified(ENTITY_PLURALS[entity]), events: names.events, deadLetters: names.deadLetters, state: names.transformerState };
    const table = version.newStateTable(entity);
    const output: { topic: string; messages: Message[] }[] = [{ topic: rawTopic, messages }];
    let before = cpuMicros();
    for (let start = 0; start < messages.length; start += 1_000) {
      const result = await version.processChunk({ topic: rawTopic, partition: 0, entity, table, messages: messages.slice(start, start + 1_000) }, { topics, codec, pipeline: { connectorLookup: version.connectorLookup, mappingFor: () => ({}) } });
      for (const [key, state] of result.pending) table.set(key, state);
      output.push(...result.topicMessages);
      // Let the registry's consumer heartbeat between chunks (a round holds the loop for seconds).
      await new Promise((resolve) => setImmediate(resolve));
    }
    transformerCpu += cpuMicros() - before;
    before = cpuMicros();
    for (const { topic, messages: produced } of output) {
      const converter = routes.get(topic);
      if (!converter) continue;
      for (const [index, message] of produced.entries()) {
        await converter.convert(asSinkMessage(topic, index, message));
        if (index % 1_000 === 999) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    sinkCpu += cpuMicros() - before;
    records += messages.length;
  }
  return { transformer: transformerCpu / records, sink: sinkCpu / records };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (!REF) {
    process.stderr.write('usage: npm run bench -- ab <git ref> [records=20000] [rounds=8]\n');
    process.exit(2);
  }
  const total = Number(RECORDS);
  const rounds = Number(ROUNDS);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'millrace-ab-'));
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const config = loadConfig();
  const { brokers } = await resolveBrokers(config, logger);
  const kafka = createKafka({ brokers, clientId: 'millrace-bench-ab', logger });
  const prefix = `bench-ab-${path.basename(work)}.`;
  const registry = config.SCHEMA_REGISTRY_URL ? null : await startSchemaRegistry({ kafka, topic: topicNames(prefix).schemas, port: 0, logger });
  const registryUrl = config.SCHEMA_REGISTRY_URL ?? registry!.url;
  const worktree = path.join(work, 'base-source');
  try {
    process.stdout.write(`compiling ${REF} and the working tree into ${work} …\n`);
    run('git', ['worktree', 'add', '--detach', '--quiet', worktree, REF], process.cwd());
    fs.symlinkSync(path.resolve('node_modules'), path.join(worktree, 'node_modules'));
    compile(worktree, path.join(work, 'base'));
    compile(process.cwd(), path.join(work, 'current'));
    const versions = [await load(REF, path.join(work, 'base')), await load('working tree', path.join(work, 'current'))];

    const vendors = Math.round(total * 0.3);
    const raw = new Map<EntityName, KafkaMessage[]>([
      ['vendor', plantRawMessages(CONNECTION, 'vendor', vendors, vendors)],
      ['purchase_order', plantRawMessages(CONNECTION, 'purchase_order', total - vendors, vendors)],
    ]);
    const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
    process.stdout.write(`machine: ${os.cpus().length} cores (${cpuModel}), Node ${process.version}; load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}\n`);
    process.stdout.write(`${total.toLocaleString('en')} records per round (30 % vendors, 70 % purchase orders with 3 lines), ${rounds} rounds, alternating\n\n`);
    const figures = new Map(versions.map((version) => [version.name, { transformer: [] as number[], sink: [] as number[] }]));
    for (let index = 0; index <= rounds; index++) {
      const order = index % 2 === 0 ? versions : [...versions].reverse();
      for (const version of order) {
        const result = await round(version, raw, registryUrl, prefix);
        if (index === 0) continue;
        figures.get(version.name)!.transformer.push(result.transformer);
        figures.get(version.name)!.sink.push(result.sink);
      }
    }
    process.stdout.write(`${'version'.padEnd(24)} median CPU µs per record: transformer   sink converters\n`);
    for (const [name, values] of figures) {
      process.stdout.write(`${name.padEnd(24)} ${' '.repeat(26)}${median(values.transformer).toFixed(1).padStart(11)} ${median(values.sink).toFixed(1).padStart(17)}\n`);
    }
    // Each round's two runs are neighbours in time: the median of their ratios is steadier than
    // the ratio of the medians when the machine's speed drifts.
    const [base, current] = [...figures.values()] as [{ transformer: number[]; sink: number[] }, { transformer: number[]; sink: number[] }];
    const pairedChange = (a: number[], b: number[]) => `${((median(b.map((value, index) => value / a[index]!)) - 1) * 100).toFixed(1)} %`;
    process.stdout.write(`working tree against ${REF}, median of the rounds' paired ratios: transformer ${pairedChange(base.transformer, current.transformer)}, sink converters ${pairedChange(base.sink, current.sink)}\n`);
    process.stdout.write(`(transformer µs per record by round: ${base.transformer.map((value) => value.toFixed(0)).join(' ')} | ${current.transformer.map((value) => value.toFixed(0)).join(' ')})\n`);
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', worktree], { stdio: 'ignore' });
    fs.rmSync(work, { recursive: true, force: true });
    await registry?.close();
    await deleteBenchTopics(kafka, prefix);
  }
}

await main();
