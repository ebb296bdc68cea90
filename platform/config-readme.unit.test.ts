import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from './config.js';

/**
 * The README's configuration table is what users read: every variable Millrace reads must be in
 * it, with the default Millrace applies, and it must not list variables Millrace ignores.
 */
interface Row {
  variables: string[];
  defaults: string;
}

function configurationTable(): Row[] {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration'));
  if (!section) throw new Error('README.md has no "## Configuration" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [variables = '', defaults = ''] = line.split('|').slice(1).map((cell) => cell.trim());
      return { variables: [...variables.matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1]!), defaults };
    });
}

describe('README configuration table', () => {
  const rows = configurationTable();
  const documented = rows.flatMap((row) => row.variables);
  const keys = Object.keys(configSchema.shape);

  it('lists every variable of the config schema', () => {
    expect(keys.filter((key) => !documented.includes(key))).toEqual([]);
  });

  it('lists no variable Millrace does not read, and none twice', () => {
    expect(documented.filter((name) => !keys.includes(name))).toEqual([]);
    expect(documented.filter((name, index) => documented.indexOf(name) !== index)).toEqual([]);
  });

  it('states the default Millrace applies where a row gives one literal value', () => {
    const defaults = loadConfig({}) as unknown as Record<string, unknown>;
    const literal = rows.filter((row) => row.variables.length === 1 && /^`[^`]*`$/.test(row.defaults));
    expect(literal.length).toBeGreaterThan(10);
    for (const row of literal) {
      const name = row.variables[0]!;
      expect(row.defaults, name).toBe(`\`${String(defaults[name])}\``);
    }
  });
});
