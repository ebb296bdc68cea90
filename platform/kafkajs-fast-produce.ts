import { createRequire } from 'node:module';
import { encodeProduceBody, type ProduceBody } from './kafkajs-produce-encoder.js';
import { millraceDefaultPartitioner } from './kafkajs-partitioner.js';

/**
 * Faster producing for kafkajs 2.2.4, installed by createKafka(): the same bytes on the wire and
 * the same partition for every key, at about a third of kafkajs's CPU per record
 * (docs/benchmarks.md, "Producer capture").
 *
 * - Produce requests v3–v7 (every broker since Kafka 0.11) are encoded by
 *   kafkajs-produce-encoder.ts instead of kafkajs's per-record Encoders.
 * - Producers created without `createPartitioner` get kafkajs-partitioner.ts, kafkajs's default
 *   partitioner without its BigInt murmur2.
 *
 * Why a patch at run time rather than patch-package: kafkajs's own files stay untouched, so the
 * fix holds on a fresh `npm ci`, with install scripts disabled (npm's `--ignore-scripts`, the
 * allowScripts policy) and when Millrace is itself installed as a dependency, where a
 * postinstall patch of a hoisted kafkajs never runs. The patch is small because kafkajs looks
 * both up at call time: the broker asks the Produce request definition (an exported object) for
 * its encoder on every send, and `Kafka#producer` is a prototype method. It installs only on
 * kafkajs 2.2.4, whose internals it was checked against; another version keeps kafkajs's own,
 * slower but correct, encoding.
 */
const require = createRequire(import.meta.url);
const PATCHED_VERSION = '2.2.4';
const INSTALLED = Symbol.for('millrace.kafkajs.fastProduce');

interface RequestDefinition {
  versions: string[];
  protocol: (options: { version: number }) => (request: ProduceBody) => { request: ProduceRequest; response: unknown };
  [INSTALLED]?: boolean;
}

interface ProduceRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  expectResponse: () => boolean;
  encode: () => Promise<unknown>;
}

interface ClientPrototype {
  producer: (config?: { createPartitioner?: unknown }) => unknown;
  [INSTALLED]?: boolean;
}

/** Produce API versions whose request body is v3's (v4–v7 differ only in the response). */
const RECORD_BATCH_VERSIONS = new Set([3, 4, 5, 6, 7]);

let enabled = true;
/**
 * Switches the installed patch off and on again (producers created meanwhile keep kafkajs's own
 * partitioner). For the benchmark's "kafkajs as shipped" line; Millrace itself never turns it off.
 */
export function setFastProduceEnabled(value: boolean): void {
  enabled = value;
}

export function kafkajsVersion(): string {
  return (require('kafkajs/package.json') as { version: string }).version;
}

/** Installs both parts once per process; a no-op on any kafkajs but 2.2.4. Returns whether it is active. */
export function installFastProduce(): boolean {
  if (kafkajsVersion() !== PATCHED_VERSION) return false;
  installProduceEncoder();
  installDefaultPartitioner();
  return true;
}

function installProduceEncoder(): void {
  const definition = require('kafkajs/src/protocol/requests/produce/index.js') as RequestDefinition;
  if (definition[INSTALLED]) return;
  const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as { Produce: number };
  const original = definition.protocol;
  definition.protocol = ({ version }) => {
    if (!enabled || !RECORD_BATCH_VERSIONS.has(version)) return original({ version });
    const response = require(`kafkajs/src/protocol/requests/produce/v${version}/response.js`) as unknown;
    return (body) => ({
      request: {
        apiKey: apiKeys.Produce,
        apiVersion: version,
        apiName: 'Produce',
        expectResponse: () => body.acks !== 0,
        encode: () => encodeProduceBody(body),
      },
      response,
    });
  };
  definition[INSTALLED] = true;
}

function installDefaultPartitioner(): void {
  const Client = require('kafkajs') as { Kafka: { prototype: ClientPrototype } };
  const prototype = Client.Kafka.prototype;
  if (prototype[INSTALLED]) return;
  const original = prototype.producer;
  prototype.producer = function producer(this: unknown, config = {}) {
    if (!enabled || config.createPartitioner) return original.call(this, config);
    return original.call(this, { ...config, createPartitioner: millraceDefaultPartitioner });
  };
  prototype[INSTALLED] = true;
}
