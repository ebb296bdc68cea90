/**
 * Every file generated from the model, with its content. `npm run generate` writes them; the
 * staleness test compares them with what is committed. Paths are relative to the repository root.
 */
import { avroSchemaFor } from './avro/avro-schema.js';
import { clickhouseTableDdl } from './clickhouse/ddl.js';
import { modelMarkdown } from './docs/model-markdown.js';
import { ENTITY_NAMES, ENTITY_PLURALS } from './entities.js';
import { typesSource } from './typescript/types-source.js';

export interface Artefact {
  path: string;
  content: () => string;
}

export function generatedArtefacts(): Artefact[] {
  return [
    { path: 'docs/model.md', content: modelMarkdown },
    { path: 'schemas/generated/types.ts', content: typesSource },
    ...ENTITY_NAMES.flatMap((entity): Artefact[] => [
      { path: `schemas/generated/avro/${ENTITY_PLURALS[entity]}.avsc.json`, content: () => `${JSON.stringify(avroSchemaFor(entity), null, 2)}\n` },
      { path: `schemas/generated/clickhouse/${ENTITY_PLURALS[entity]}.sql`, content: () => `${clickhouseTableDdl(entity)};\n` },
    ]),
  ];
}
