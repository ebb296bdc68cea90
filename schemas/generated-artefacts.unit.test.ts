import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generatedArtefacts } from './artefacts.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('generated artefacts', () => {
  it.each(generatedArtefacts().map((artefact) => [artefact.path, artefact] as const))('%s is up to date with schemas/model/', (file, artefact) => {
    const target = path.join(root, file);
    const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '(missing)';
    // On failure: run `npm run generate` and commit the result.
    expect(committed, `${file} is stale: run npm run generate`).toBe(artefact.content());
  });

  it('leaves no generated file behind that the model no longer produces', () => {
    const produced = new Set(generatedArtefacts().map((artefact) => artefact.path));
    const onDisk = fs
      .readdirSync(path.join(root, 'schemas/generated'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
    expect(onDisk.filter((file) => !produced.has(file))).toEqual([]);
  });
});
