/**
 * Avro schema parsing and compatibility, with the Avro specification's resolution rules as avsc
 * implements them: a reader can read a writer's data when every reader field missing from the
 * writer has a default, types match or promote (int → long → float → double, string ↔ bytes),
 * enum symbols resolve, and named types keep their names (or aliases).
 *   BACKWARD: the new schema reads data written with the previous one. FORWARD: the previous
 *   reads the new. FULL: both. *_TRANSITIVE: against every live version, not only the latest.
 */
import avro from 'avsc';
import { registryErrors } from './errors.js';
import type { CompatibilityLevel } from './log-records.js';

export interface ParsedSchema {
  type: avro.Type;
  /** The schema as compact JSON: two registrations are the same schema when these are equal. */
  canonical: string;
}

/** Parses an Avro schema text; throws 42201 with the parser's own message when it is invalid. */
export function parseAvroSchema(text: unknown): ParsedSchema {
  if (typeof text !== 'string' || text.trim() === '') throw registryErrors.invalidSchema('the request has no schema (a JSON string field "schema")');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw registryErrors.invalidSchema(`the schema is not JSON: ${(error as Error).message}`);
  }
  try {
    return { type: avro.Type.forSchema(json as avro.Schema), canonical: JSON.stringify(json) };
  } catch (error) {
    throw registryErrors.invalidSchema((error as Error).message);
  }
}

/** Null when `reader` can read data written with `writer`, else avsc's reason. */
export function readProblem(reader: avro.Type, writer: avro.Type): string | null {
  try {
    reader.createResolver(writer);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export interface ExistingVersion {
  version: number;
  type: avro.Type;
}

/**
 * Why `candidate` may not follow `existing` (live versions, oldest first) under `level`; empty
 * when it may. Each message names the version and the direction that fails.
 */
export function compatibilityProblems(level: CompatibilityLevel, candidate: avro.Type, existing: ExistingVersion[]): string[] {
  if (level === 'NONE' || existing.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? existing : existing.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const problems: string[] = [];
  for (const previous of against) {
    if (backward) {
      const problem = readProblem(candidate, previous.type);
      if (problem) problems.push(`${level}: the new schema cannot read data written with version ${previous.version}: ${problem}`);
    }
    if (forward) {
      const problem = readProblem(previous.type, candidate);
      if (problem) problems.push(`${level}: version ${previous.version} cannot read data written with the new schema: ${problem}`);
    }
  }
  return problems;
}
