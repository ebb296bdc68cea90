/**
 * `npm run generate`: writes every artefact derived from the model (docs/model.md, TypeScript
 * types, Avro schemas, ClickHouse DDL). Run it after changing schemas/model/ and commit the result.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedArtefacts } from './artefacts.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let changed = 0;
for (const artefact of generatedArtefacts()) {
  const target = path.join(root, artefact.path);
  const content = artefact.content();
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
  changed += 1;
  process.stdout.write(`wrote ${artefact.path}\n`);
}
process.stdout.write(`${changed === 0 ? 'everything up to date' : `${changed} file(s) written`}\n`);
