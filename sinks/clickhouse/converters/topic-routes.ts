import { topicNames } from '../../../platform/topics.js';
import { ENTITY_NAMES, ENTITY_PLURALS, type EntityName } from '../../../schemas/index.js';
import { AvroRowDecoder } from './avro-row-decoder.js';
import { DeadLetterConverter } from './dead-letter-converter.js';
import { EventConverter } from './event-converter.js';
import { RawConverter } from './raw-converter.js';
import type { MessageConverter } from './sink-message.js';
import { UnifiedConverter } from './unified-converter.js';

/** Which topics the sink reads, and the converter of each. */
export interface SinkRouteOptions {
  topicPrefix: string;
  /** Any Confluent-compatible schema registry (SCHEMA_REGISTRY_URL). */
  registryUrl: string;
  entities?: readonly EntityName[];
  /** Read the raw topics into raw_records (default true). */
  raw?: boolean;
  /** Read the events topic into events and sync_runs (default true). */
  events?: boolean;
  /** Read the dead-letters topic into dead_letters (default true). */
  deadLetters?: boolean;
}

export function sinkRoutes(options: SinkRouteOptions): Map<string, MessageConverter> {
  const names = topicNames(options.topicPrefix);
  const entities = options.entities ?? ENTITY_NAMES;
  const routes = new Map<string, MessageConverter>();
  const decoder = new AvroRowDecoder(options.registryUrl);
  for (const entity of entities) routes.set(names.unified(ENTITY_PLURALS[entity]), new UnifiedConverter(entity, decoder));
  if (options.raw ?? true) {
    const raw = new RawConverter();
    for (const entity of entities) routes.set(names.raw(ENTITY_PLURALS[entity]), raw);
  }
  if (options.events ?? true) routes.set(names.events, new EventConverter());
  if (options.deadLetters ?? true) routes.set(names.deadLetters, new DeadLetterConverter());
  return routes;
}
